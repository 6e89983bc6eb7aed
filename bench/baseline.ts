// What a typical client-side integration does: select the raw columns, normalise and SHA-256 in
// JavaScript, build each event object, batch and post one request at a time.
// Usage: tsx bench/baseline.ts <activations.yml> <endpoint> <batch size> [limit]   → prints {"rows": N}
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { loadConfig } from '../runner/config/load.ts';
import { openWarehouse } from '../runner/warehouse/index.ts';
import { RAW_COLUMNS } from './data.ts';

const [file, endpoint, batchArg, limitArg] = process.argv.slice(2);
const batchSize = Number(batchArg);
const limit = limitArg ? Number(limitArg) : Infinity;
const config = await loadConfig(file);
const source = config.activations.orders.source!;
const wh = await openWarehouse(config);
const url = `${endpoint}/v3/bench-pixel/events?access_token=bench-token`;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const letters = (s: string | null) => (s ? s.toLowerCase().replace(/[^\p{L}]/gu, '') : '');
function phone(raw: string | null): string | null {
  if (!raw) return null;
  const digits = raw.replace(/\(0\)/g, '').replace(/\D/g, '');
  const e164 = raw.trim().startsWith('+') ? digits : raw.trim().startsWith('00') ? digits.slice(2) : `1${digits.replace(/^0+/, '')}`;
  return /^[1-9]\d{7,14}$/.test(e164) ? e164 : null;
}
function zip(raw: string | null): string {
  const z = (raw ?? '').toLowerCase().replace(/[\s-]/g, '');
  if (/^\d{5}(\d{4})?$/.test(z)) return z.slice(0, 5);
  if (/^[a-z]{1,2}\d[a-z\d]?\d[a-z]{2}$/.test(z)) return z.slice(0, -2);
  return z;
}

function toEvent(r: Record<string, unknown>) {
  const email = String(r.email ?? '').trim().toLowerCase();
  const ph = phone(r.phone as string | null);
  const user: Record<string, unknown> = {};
  if (/^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(email)) user.em = [sha(email)];
  if (ph) user.ph = [sha(ph)];
  for (const [key, value] of [['fn', letters(r.first_name as string)], ['ln', letters(r.last_name as string)], ['ct', letters(r.city as string)], ['zp', zip(r.zip as string)], ['country', String(r.country ?? '').trim().toLowerCase()]]) {
    if (value) user[key] = [sha(value)];
  }
  return {
    event_name: 'PURCHASE',
    event_time: Math.floor((r.paid_at as Date).getTime() / 1000),
    event_id: r.order_ref,
    action_source: 'OFFLINE',
    user_data: user,
    custom_data: { value: Number(r.total), currency: String(r.currency).trim().toUpperCase(), order_id: r.order_ref },
  };
}

async function post(events: unknown[]): Promise<void> {
  const res = await request(url, { method: 'POST', body: JSON.stringify({ data: events }), headers: { 'content-type': 'application/json' } });
  const body = await res.body.json() as { status?: string };
  if (res.statusCode !== 200 || body.status !== 'VALID') throw new Error(`refused: ${res.statusCode} ${JSON.stringify(body)}`);
}

let rows = 0;
let batch: unknown[] = [];
const sql = `select ${RAW_COLUMNS} from ${source}`;
reading: for await (const chunk of wh.stream(sql, [], { fetchSize: 2000 })) {
  for (const row of chunk) {
    batch.push(toEvent(row));
    if (batch.length === batchSize) {
      await post(batch);
      batch = [];
    }
    if (++rows >= limit) break reading;
  }
}
if (batch.length > 0) await post(batch);
await wh.close();
process.stdout.write(`${JSON.stringify({ rows })}\n`);
