import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployProject, ensureState } from '../../runner/commands/deploy.ts';
import { syncActivation, type ActivationResult } from '../../runner/commands/sync.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { tempProject } from '../support/cli.ts';
import { openProject, signals, type OpenProject } from '../support/project.ts';
import { answering } from './deliver-support.ts';

/**
 * One activation's sync (runner/commands/sync.ts) in this process, on the embedded warehouse and the
 * sandbox over a real socket: what Snap receives, what the warehouse holds afterwards, the run's record
 * and the sentence a person reads. Each test syncs an activation of its own, from a table of its own.
 */

const TOKEN = 'sync-test-token';
const PIXEL = 'px-sync';
/** Source tables, each `rows` rows: ids `<table>-001`…, loaded a ms apart, all eligible but the ones said. */
const TABLES = { orders: 25, refused: 12, token: 8, retried: 30, stopped: 40, invalid: 5, gaveup: 5, unseen: 3, slow: 30, textcur: 4, resetme: 10, oddcur: 3, stopped2: 20, waited: 2 } as const;
type Table = keyof typeof TABLES;
/** Cursors that are not a load time: text, and a type capi-sync cannot order (uuid). */
const LOADED_AT: Partial<Record<Table, string>> = { textcur: `'k' || lpad(g::text, 3, '0')`, oddcur: `md5(g::text)::uuid` };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let project: OpenProject;
let dir: string;
beforeAll(async () => {
  const tables = Object.entries(TABLES).map(([name, rows]) => `create table shop.${name} as
  select '${name}-' || lpad(g::text, 3, '0') as id, now() - interval '2 hours' as paid_at,
         ${LOADED_AT[name as Table] ?? `timestamptz '2030-01-01 00:00:00+00' + g * interval '1 ms'`} as loaded_at,
         'user' || g || '@example.com' as email, (10 + g)::numeric as total, 'EUR' as cur
  from generate_series(1, ${rows}) as g;`).join('\n');
  // Held back in orders: two rows without an identifier, one without a value.
  const heldBack = `update shop.orders set email = null where id in ('orders-003', 'orders-017');
update shop.orders set total = null where id = 'orders-009';`;
  dir = await tempProject({
    'activations.yml': `warehouse: { type: pglite, seeds: seeds }
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
  batch_size: 10
  max_in_flight: 2
  request_timeout_seconds: 2
  retry: { max_retries: 3, min_timeout: 1, max_timeout: 1000 }
activations:
${Object.keys(TABLES).map((name) => `  ${name}:
    pixel_id: ${PIXEL}
    event_name: PURCHASE
    source: shop.${name}
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, event_id: id }
    cursor: loaded_at
    warnings: { rejected_rate_above: false, refused_above: false }`).join('\n')}
`,
  });
  await mkdir(join(dir, 'seeds'));
  await writeFile(join(dir, 'seeds', 'shop.sql'), `create schema shop;\n${tables}\n${heldBack}\n`);
  project = await openProject(join(dir, 'activations.yml'), { SNAP_CAPI_TOKEN: TOKEN, SNAP_ENDPOINT: 'https://tr.snapchat.com' });
  await ensureState(project);
});
afterAll(async () => {
  await project?.warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox({ token: TOKEN, ...options });
  cleanup.push(() => started.close());
  return started;
}

/** Each activation's views are deployed before its first sync (`unseen`'s never: its sync meets a warehouse error). */
const deployed = new Set<Table>(['unseen']);

async function sync(name: Table, endpoint: string, more: { stop?: AbortSignal; progressSeconds?: number } = {}): Promise<ActivationResult> {
  if (!deployed.has(name)) await deployProject({ ...project, activations: [name] }, { tables: false });
  deployed.add(name);
  return syncActivation(project, name, { endpoint, token: TOKEN }, { ...signals(), ...(more.stop ? { stop: more.stop } : {}) }, { progressSeconds: more.progressSeconds ?? 0 });
}

const q = (sql: string, params: unknown[] = []) => project.warehouse.query(sql, params);
const runs = (name: Table) => q(`select * from capi_sync.capi_sync_runs where activation = ? order by started_at`, [name]);
const watermark = async (name: Table) => (await q('select cursor, event_id from capi_sync.capi_sync_state where activation = ?', [name]))[0];
const ledger = (name: Table) => q('select event_id, status, payload_sha256 from capi_sync.capi_sync_ledger where activation = ? order by event_id', [name]);
const ids = (table: Table, numbers: number[]) => numbers.map((n) => `${table}-${String(n).padStart(3, '0')}`);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const eventIds = (events: unknown[]) => events.map((e) => (e as { event_id: string }).event_id).sort();
const logged = (level: 'info' | 'warn' | 'error', name: Table) => project.logged(level).filter((m) => m.startsWith(`${name}: `));

describe('a sync that goes well', () => {
  it('sends each new event once in requests of batch_size, counts the held-back rows by reason, and records the run and the watermark', async () => {
    const snap = await sandbox();
    const result = await sync('orders', snap.url);

    const sent = ids('orders', range(1, 25).filter((n) => ![3, 9, 17].includes(n)));
    expect(eventIds(snap.events(PIXEL))).toEqual(sent);
    expect(snap.stats()).toMatchObject({ requests: 3, duplicates: 0, max_events_per_request: 10 });
    expect(result).toMatchObject({
      activation: 'orders', status: 'ok', before: null, after: { cursor: '2030-01-01T00:00:00.025+00:00', event_id: 'orders-025' },
      counts: { sent: 22, rejected_by_view: 3, rejected_by_snap: 0, retries: 0, batches: 3 },
    });
    // In the documented order of the reasons, whatever order the rows came in.
    expect(Object.entries(result.heldBack)).toEqual([['missing_value', 1], ['no_user_identifier', 2]]);
    expect(result.error).toBeUndefined();
    expect(result.seconds).toBeGreaterThan(0);

    expect(await watermark('orders')).toEqual({ cursor: '2030-01-01T00:00:00.025+00:00', event_id: 'orders-025' });
    const rows = await ledger('orders');
    expect(rows.map((r) => r.event_id)).toEqual(sent);
    expect(rows.every((r) => r.status === 'accepted' && /^[0-9a-f]{64}$/.test(String(r.payload_sha256)))).toBe(true);
    const [run] = await runs('orders');
    expect(run).toMatchObject({
      status: 'ok', sent: 22, rejected_by_view: 3, rejected_by_snap: 0, retries: 0, batches: 3, error: null, warnings: null,
      watermark_before: null, watermark_after: '2030-01-01T00:00:00.025+00:00 / orders-025',
    });
    expect(run.finished_at).not.toBeNull();

    // Nothing new: the next run sends nothing, from where this one left the watermark.
    const again = await sync('orders', snap.url);
    expect(again).toMatchObject({ status: 'ok', counts: { sent: 0, batches: 0, rejected_by_view: 0 }, before: result.after, after: result.after });
    expect(snap.stats().requests).toBe(3);
  });

  it('says every progress_seconds how far the run got, and nothing once it is over', async () => {
    const snap = await sandbox({ latencyMs: 150 });
    const result = await sync('slow', snap.url, { progressSeconds: 0.1 });
    expect(result.status).toBe('ok');
    const lines = logged('info', 'slow');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^slow: (reading past the watermark, nothing sent yet \(\d+ s\)|\d+ event\(s\) sent so far \(\d+\/s\), 0 held back)$/);
    expect(lines.some((line) => /^slow: [1-9]\d* event\(s\) sent so far/.test(line))).toBe(true);
    const count = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logged('info', 'slow')).toHaveLength(count);
  });
});

describe('a sync that meets refusals and failures', () => {
  it('events Snap refuses: recorded with Snap\'s words and warned of by event id; the run is partial and the rest is sent', async () => {
    const refusedIds = ids('refused', [4, 11]);
    const snap = await sandbox({ refuseEventIds: new Set(refusedIds) });
    const result = await sync('refused', snap.url);
    expect(result).toMatchObject({ status: 'partial', counts: { sent: 10, rejected_by_snap: 2 }, after: { event_id: 'refused-012' } });
    expect(eventIds(snap.events())).toEqual(ids('refused', range(1, 12).filter((n) => n !== 4 && n !== 11)));
    const errors = await q('select event_id, cursor, http_status, message from capi_sync.capi_sync_delivery_errors where activation = ? order by event_id', ['refused']);
    expect(errors.map((e) => [e.event_id, e.http_status])).toEqual([[refusedIds[0], 400], [refusedIds[1], 400]]);
    expect(String(errors[0].message)).toMatch(/^INVALID; /);
    expect(String(errors[0].cursor)).toMatch(/^2030-01-01/);
    const warnings = logged('warn', 'refused');
    expect(warnings.sort()).toEqual(refusedIds.map((id) => `refused: Snap refused event ${id}: INVALID; event 0 is invalid: event_id ${id} was refused (sandbox refuseEventIds); event_id ${id} was refused (sandbox refuseEventIds)`));
    expect((await ledger('refused')).filter((r) => r.status === 'refused').map((r) => r.event_id)).toEqual(refusedIds);
    expect((await runs('refused'))[0]).toMatchObject({ status: 'partial', sent: 10, rejected_by_snap: 2 });
  });

  it.each([401, 403])('a %i is a refused token: the run stops at the first answer (no retry, no split), naming the pixel and the fix, and the watermark stays', async (status) => {
    const snap = await answering(status, { status: 'FORBIDDEN', reason: 'no access to this pixel' });
    cleanup.push(() => snap.close());
    const result = await sync('token', snap.url);
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`Snap refused the access token for pixel ${PIXEL} (${status}: FORBIDDEN; no access to this pixel); the run stopped at once; what Snap accepted before is in the ledger. Check that SNAP_CAPI_TOKEN (snapchat.access_token) is a Conversions API token with access to pixel ${PIXEL}, and that pixel_id is right (${snap.url}/v3/${PIXEL}/events?access_token=***)`);
    expect(result.error).not.toContain(TOKEN);
    expect(snap.requests()).toBe(1);
    expect(result.counts).toMatchObject({ sent: 0, rejected_by_snap: 0, retries: 0 });
    expect(await watermark('token')).toEqual({ cursor: null, event_id: null });
    const [run] = (await runs('token')).slice(-1);
    expect(run).toMatchObject({ status: 'failed', error: result.error });
  });

  it('retries what Snap answers 503, saying so in a warning per retry, and counts the retries it sent', async () => {
    const snap = await sandbox({ failureRate: 0.4, faults: ['503'], seed: 7 });
    const result = await sync('retried', snap.url);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 30 } });
    const failures = snap.stats().by_status['503'];
    expect(failures).toBeGreaterThan(0);
    expect(result.counts.retries).toBe(failures);
    const warnings = logged('warn', 'retried');
    expect(warnings).toHaveLength(failures);
    for (const line of warnings) expect(line).toMatch(/^retried: Snap answered 503: SERVICE_UNAVAILABLE; Service unavailable \(sandbox fault injection\); retry [1-3] of 3 in \d+ ms \([12] request\(s\) in flight at most\)$/);
    expect((await runs('retried'))[0]).toMatchObject({ status: 'ok', retries: failures });
  });

  it('gives up when the retries are used up: failed, with what happened and where it was posted, the token hidden', async () => {
    const snap = await sandbox({ failureRate: 1, faults: ['503'] });
    const result = await sync('gaveup', snap.url);
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`gave up after 4 attempts: Snap answered 503: SERVICE_UNAVAILABLE; Service unavailable (sandbox fault injection); what Snap accepted is in the ledger and the next run sends the rest (${snap.url}/v3/${PIXEL}/events?access_token=***)`);
    expect(result.counts.retries).toBe(3);
    expect(await watermark('gaveup')).toEqual({ cursor: null, event_id: null });
  });

  it('a 200 that does not say VALID sends nothing: failed, and the batch is sent again next time', async () => {
    const snap = await answering(200, { status: 'PARTIAL' });
    cleanup.push(() => snap.close());
    const result = await sync('invalid', snap.url);
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Snap answered 200 but not VALID: PARTIAL; the batch does not count as sent: the next run sends it again');
    expect(await ledger('invalid')).toEqual([]);
  });

  it('a warehouse error fails the run with a sentence saying what Snap accepted is kept', async () => {
    const snap = await sandbox();
    const result = await sync('unseen', snap.url);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^warehouse: relation "capi_sync.unseen_prepared" does not exist\n.*; what Snap accepted is in the ledger and the next run sends the rest$/s);
    expect((await runs('unseen'))[0]).toMatchObject({ status: 'failed', error: result.error });
    expect(snap.stats().requests).toBe(0);
  });

  it('a stop lets the requests in flight finish: interrupted, by what, and what Snap accepted is in the ledger', async () => {
    const snap = await sandbox({ latencyMs: 300 });
    const stop = new AbortController();
    const running = sync('stopped', snap.url, { stop: stop.signal });
    // Stopped while the first two requests (max_in_flight) wait for their answer.
    while (snap.stats().requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort('SIGTERM');
    const result = await running;
    expect(result.status).toBe('interrupted');
    expect(result.error).toBe('interrupted by SIGTERM; every event Snap accepted is in the ledger, and the next run sends the rest');
    expect(snap.stats()).toMatchObject({ requests: 2, accepted: 20 });
    expect(result.counts).toMatchObject({ sent: 20, batches: 2 });
    expect((await ledger('stopped')).map((r) => r.event_id)).toEqual(eventIds(snap.events()));
    // The read came in no order: the watermark moves only after a complete read.
    expect(await watermark('stopped')).toEqual({ cursor: null, event_id: null });
    expect((await runs('stopped'))[0]).toMatchObject({ status: 'interrupted', sent: result.counts.sent });
  });
});

describe('stops and waits, as the log says them', () => {
  it('a stop without a reason is said as a stop request', async () => {
    const snap = await sandbox({ latencyMs: 300 });
    const stop = new AbortController();
    const running = sync('stopped2', snap.url, { stop: stop.signal });
    while (snap.stats().requests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect((await running).error).toBe('interrupted by a stop request; every event Snap accepted is in the ledger, and the next run sends the rest');
  });

  it('a wait of a second or more is said in seconds', async () => {
    let requests = 0;
    const snap = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (requests++ === 0) res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"status":"RATE_LIMITED"}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"VALID"}');
      });
    });
    await new Promise<void>((resolve) => snap.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => snap.close(resolve)));
    const result = await sync('waited', `http://127.0.0.1:${(snap.address() as AddressInfo).port}`);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 2, retries: 1 } });
    expect(logged('warn', 'waited')).toEqual(['waited: Snap answered 429: RATE_LIMITED; retry 1 of 3 in 1.0 s (1 request(s) in flight at most)']);
  });
});

describe('a cursor the look-back cannot go back on', () => {
  it('a text cursor: the next run warns that the look-back does not apply, and reads past the watermark', async () => {
    const snap = await sandbox();
    expect((await sync('textcur', snap.url)).counts.sent).toBe(4);
    expect(logged('warn', 'textcur')).toEqual([]);
    const again = await sync('textcur', snap.url);
    expect(again.counts.sent).toBe(0);
    expect(logged('warn', 'textcur')).toEqual(['textcur: activations.textcur.lookback does not apply to this cursor (text, value k004): only rows past the watermark are read; use a timestamp or number cursor, or set lookback: 0']);
  });
});

describe('a cursor capi-sync cannot order', () => {
  it('sends the events and leaves the watermark where it was, saying why and what cursor to use', async () => {
    const snap = await sandbox();
    const result = await sync('oddcur', snap.url);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 3 }, after: null });
    expect(logged('warn', 'oddcur')).toEqual([expect.stringMatching(/^oddcur: the watermark stays where it is: the cursor value [0-9a-f-]{36} \(oid 2950\) has no place in the watermark order; use a timestamp, date, number or text cursor$/)]);
    expect(await watermark('oddcur')).toEqual({ cursor: null, event_id: null });
  });
});

describe('a reset, then a sync', () => {
  it('sends again the events past the cursor the reset was given, read as the cursor column\'s type', async () => {
    const snap = await sandbox();
    expect((await sync('resetme', snap.url)).counts.sent).toBe(10);
    const { state, warehouse: wh, renderer: r } = project;
    const [cursor] = await wh.columns(`select ${r.quote('cursor')} from ${r.quote(wh.schema, 'resetme_prepared')}`);
    const value = await state.cursorValue('resetme_prepared', '2030-01-01 01:00:00.005+01', cursor!);
    expect(value).toBe('2030-01-01T00:00:00.005+00:00');
    await expect(state.cursorValue('resetme_prepared', 'not a time', cursor!)).rejects.toThrow();
    expect(await state.reset('resetme', 'resetme_prepared', { cursor: value, event_id: '' }, cursor)).toBe(6);
    expect(await watermark('resetme')).toEqual({ cursor: value, event_id: '' });
    expect((await ledger('resetme')).map((row) => row.event_id)).toEqual(ids('resetme', range(1, 4)));

    snap.reset();
    const again = await sync('resetme', snap.url);
    expect(again.counts.sent).toBe(6);
    expect(eventIds(snap.events())).toEqual(ids('resetme', range(5, 10)));
    expect(await state.reset('resetme', 'resetme_prepared', null, cursor)).toBe(10);
    expect(await watermark('resetme')).toEqual({ cursor: null, event_id: null });
  });
});

