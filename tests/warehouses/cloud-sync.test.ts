import { createHash } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../runner/config/load.ts';
import type { Project } from '../../runner/commands/project.ts';
import { syncActivation } from '../../runner/commands/sync.ts';
import type { Logger } from '../../runner/log.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { StateStore } from '../../runner/state/state.ts';
import { dialectOf, openWarehouse } from '../../runner/warehouse/index.ts';
import { startBigQueryStandin } from '../standins/bigquery-standin.ts';
import { FakeWarehouse, type OutboundRow } from '../standins/fake-warehouse.ts';
import { startSnowflakeStandin } from '../standins/snowflake-standin.ts';
import { tempProject } from '../support/cli.ts';

/**
 * A whole sync (runner/commands/sync.ts) on each cloud warehouse's real driver, against its stand-in
 * and the Snap sandbox: one read per run (events and held-back rows), streamed in pages or chunks; the
 * watermark written as a checkpoint, never once per batch; the lease taken and given back.
 */
const WAREHOUSES = [
  {
    name: 'bigquery',
    start: (engine: FakeWarehouse) => startBigQueryStandin({ engine, project: 'acme-analytics' }),
    yaml: (url: string, interval = INTERVAL_S) => `{ type: bigquery, project: acme-analytics, dataset: capi_sync, api_endpoint: "${url}", checkpoint_seconds: ${interval} }`,
    /** Result pages after the first, fetched as the run read them. */
    fetches: (requests: string[]) => requests.filter((r) => r.startsWith('GET /bigquery/v2/projects/acme-analytics/queries/')).length,
  },
  {
    name: 'snowflake',
    start: (engine: FakeWarehouse) => startSnowflakeStandin({ engine, account: 'acme', user: 'CAPI', password: 'secret', chunkRows: 20 }),
    yaml: (url: string, interval = INTERVAL_S) => `{ type: snowflake, account: acme, user: CAPI, database: SALES, password: "\${SNOWFLAKE_PASSWORD}", access_url: "${url}", checkpoint_seconds: ${interval} }`,
    fetches: (requests: string[]) => requests.filter((r) => r.startsWith('GET /chunks/')).length,
  },
] as const;

const INTERVAL_S = 0.2;
const WATERMARK_WRITE = /^merge into \S+ as s using \(select \? as activation, \? as cursor, \? as event_id\)/;
const LEDGER_WRITE = /^merge into \S*capi_sync_ledger\W/i;
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function events(from: number, count: number): OutboundRow[] {
  const now = Math.floor(Date.now() / 1000);
  const em = createHash('sha256').update('someone@example.com').digest('hex');
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const event = { event_name: 'PURCHASE', event_time: now - 3600, event_id: `e${i}`, action_source: 'OFFLINE', user_data: { em: [em] }, custom_data: { value: 9.5, currency: 'USD' } };
    return { event_id: `e${i}`, cursor: String(1000 + i), payload: JSON.stringify(event) };
  });
}

async function project(warehouseYaml: string, log: Logger = quiet): Promise<Project> {
  const dir = await tempProject({
    'activations.yml': `warehouse: ${warehouseYaml}
snapchat: { endpoint: sandbox, batch_size: 20, max_in_flight: 1 }
activations:
  store_purchases: { pixel_id: px, event_name: PURCHASE, source: shop.orders, mapping: { event_time: paid_at, email: mail } }
`,
  });
  const config = await loadConfig(`${dir}/activations.yml`, { SNOWFLAKE_PASSWORD: 'secret' });
  const warehouse = await openWarehouse(config);
  closers.push(() => warehouse.close());
  const renderer = createRenderer(dialectOf(config));
  return { config, activations: ['store_purchases'], warehouse, renderer, state: new StateStore(warehouse, renderer), log };
}

describe.each(WAREHOUSES)('a sync on $name', (w) => {
  test('reads once past the watermark (events and held-back rows), streams it, checkpoints the watermark and releases the lease', async () => {
    const engine = new FakeWarehouse();
    engine.outbound = events(0, 300);
    engine.rejected = [{ reason: 'no_user_identifier', n: 2 }];
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const sandbox: Sandbox = await startSandbox({ latencyMs: 40 });
    closers.push(() => sandbox.close());
    const p = await project(w.yaml(standin.url));
    const signals = { stop: new AbortController().signal, abort: new AbortController().signal };

    const started = Date.now();
    const result = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    const elapsed = Date.now() - started;
    // The held-back rows come in the same read (a warehouse that bills each scan bills one).
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 300, batches: 15, rejected_by_view: 2 }, heldBack: { no_user_identifier: 2 } });
    expect(sandbox.stats().accepted).toBe(300);

    // The read, not the probe of the cursor column's type (a dry run, or a read of no rows).
    const reads = () => engine.log.filter((s) => /_(prepared|outbound|rejected)\W/i.test(s.sql) && !/^select (\* from \(select )?\W?cursor\W? from/i.test(s.sql));
    expect(reads()).toHaveLength(1);
    expect(w.fetches(standin.requests)).toBe(15); // 302 rows in pages of 20: the first comes with the query
    // The ledger is written at checkpoints, at most one per interval plus the run's end; the watermark
    // once, at the end of the complete read, after the ledger (the read comes in no order).
    const ledgerWrites = engine.log.filter((s) => LEDGER_WRITE.test(s.sql));
    expect(ledgerWrites.length).toBeGreaterThanOrEqual(1);
    expect(ledgerWrites.length).toBeLessThanOrEqual(Math.ceil(elapsed / (INTERVAL_S * 1000)) + 1);
    for (let i = 1; i < ledgerWrites.length - 1; i++) expect(ledgerWrites[i].at - ledgerWrites[i - 1].at).toBeGreaterThanOrEqual(INTERVAL_S * 1000 - 5);
    const writes = engine.log.filter((s) => WATERMARK_WRITE.test(s.sql));
    expect(writes.map((w) => w.params)).toEqual([['store_purchases', '1299', 'e299']]);
    expect(engine.state.get('store_purchases')).toMatchObject({ cursor: '1299', event_id: 'e299', lease_owner: null });
    // Every event is in the ledger, each with the digest of its JSON.
    expect(engine.ledger.map((l) => l.event_id).sort()).toEqual(events(0, 300).map((e) => e.event_id).sort());
    expect(engine.ledger.every((l) => l.status === 'accepted' && /^[0-9a-f]{64}$/.test(l.payload_sha256 ?? ''))).toBe(true);
    const saves = engine.log.filter((s) => WATERMARK_WRITE.test(s.sql) || LEDGER_WRITE.test(s.sql)).map((s) => (LEDGER_WRITE.test(s.sql) ? 'ledger' : 'watermark'));
    expect(saves.join(' ')).toMatch(/^(ledger )+watermark$/);

    engine.outbound.push(...events(300, 50));
    const again = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    expect(again.counts.sent).toBe(50);
    expect(reads(), JSON.stringify(reads().map((r) => r.sql.slice(0, 120)))).toHaveLength(2);
    expect(reads()[1].params).toEqual(expect.arrayContaining(['1299', 'e299', 'store_purchases']));
    // Sent once: the second run sent only the new events, and the ledger holds each once.
    expect(engine.ledger).toHaveLength(350);
  });

  test('the next run reads from the watermark less the look-back, with the cursor compared in its own type: a late row is sent, nothing twice', async () => {
    const engine = new FakeWarehouse();
    engine.cursorType = 'integer';
    engine.outbound = events(0, 300);
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const sandbox: Sandbox = await startSandbox();
    closers.push(() => sandbox.close());
    const p = await project(w.yaml(standin.url));
    const signals = { stop: new AbortController().signal, abort: new AbortController().signal };
    expect((await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals)).counts.sent).toBe(300);

    // A row committed late, its cursor behind the watermark (1299), and ten new ones.
    engine.outbound.push({ ...events(1000, 1)[0], cursor: '1250' }, ...events(300, 10));
    const again = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    expect(again.counts.sent).toBe(11);
    const read = engine.log.filter((s) => /\bfrom \S+_prepared\W/i.test(s.sql) && / as past /.test(s.sql)).at(-1)!;
    // The look-back (3600, the default, in the cursor's unit) from the watermark, as a plain comparison
    // of the cursor column with a value of its type: BigQuery casts it to INT64 (it does not coerce a
    // STRING parameter to a number); Snowflake compares a number with the text as a number.
    const typed = w.name === 'bigquery' ? 'cast\\(\\? as INT64\\)' : '\\?';
    expect(read.sql).toMatch(new RegExp(`from \\S+ as v where v\\.\\W?cursor\\W? >= ${typed} and not exists \\( select 1 from \\S+ as l where l\\.activation = \\? and l\\.event_id = v\\.\\S+ and l\\.sent_at >= `, 'i'));
    expect(read.params).toContain('-2301');
    // Every event sent once: the late one too, and none of the 300 the ledger holds again.
    expect(sandbox.stats().accepted).toBe(311);
    expect(new Set(engine.ledger.map((l) => l.event_id)).size).toBe(311);
    expect(engine.state.get('store_purchases')).toMatchObject({ cursor: '1309', event_id: 'e309' });
  });

  test('a run shorter than checkpoint_seconds writes the ledger and the watermark once each, at its end (the interval starts with the run)', async () => {
    const engine = new FakeWarehouse();
    engine.outbound = events(0, 60);
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const sandbox: Sandbox = await startSandbox();
    closers.push(() => sandbox.close());
    const p = await project(w.yaml(standin.url, 60));
    const signals = { stop: new AbortController().signal, abort: new AbortController().signal };
    const result = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 60, batches: 3 } });
    // Three batches settled within the first minute: one DML for their ledger rows, then the watermark.
    const saves = engine.log.filter((s) => WATERMARK_WRITE.test(s.sql) || LEDGER_WRITE.test(s.sql)).map((s) => (LEDGER_WRITE.test(s.sql) ? 'ledger' : 'watermark'));
    expect(saves).toEqual(['ledger', 'watermark']);
    expect(engine.ledger).toHaveLength(60);
  });

  test('a second runner finds the lease taken and sends nothing', async () => {
    const engine = new FakeWarehouse();
    engine.outbound = events(0, 10);
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const p = await project(w.yaml(standin.url));
    const held = await p.warehouse.tryLock('store_purchases');
    const signals = { stop: new AbortController().signal, abort: new AbortController().signal };
    const result = await syncActivation(p, 'store_purchases', { endpoint: 'http://127.0.0.1:9', token: 't' }, signals);
    expect(result.status).toBe('skipped');
    expect(engine.count(/_(prepared|outbound)\W/i)).toBe(0);
    await held!.release();
  });
});

describe.each(WAREHOUSES)('a sync on $name when the warehouse fails late in the run', (w) => {
  /** A run of 40 events on a warehouse that answers `failing` statements with an error; what was logged. */
  async function runFailing(failing: RegExp) {
    const engine = new FakeWarehouse();
    engine.outbound = events(0, 40);
    engine.rules.push({ match: failing, answer: () => ({ kind: 'error', message: 'Access Denied: the stand-in refuses this statement' }) });
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const sandbox = await startSandbox();
    closers.push(() => sandbox.close());
    const lines: string[] = [];
    const log: Logger = { info: () => {}, warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
    const p = await project(w.yaml(standin.url), log);
    const result = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, { stop: new AbortController().signal, abort: new AbortController().signal });
    return { engine, sandbox, result, lines };
  }

  test('the ledger cannot be pruned: the run is ok and says the next run tries again', async () => {
    const { result, lines, engine } = await runFailing(/^delete from \S*capi_sync_ledger\W.* sent_at < /i);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 40 } });
    expect(lines).toEqual([expect.stringMatching(/^warn: store_purchases: could not remove ledger rows past 90 days \(the next run tries again\): .*Access Denied/)]);
    expect(engine.state.get('store_purchases')).toMatchObject({ cursor: '1039', lease_owner: null });
  });

  test('the run cannot be recorded: the run is still ok, and the log says so', async () => {
    const { result, lines, engine } = await runFailing(/^update \S*capi_sync_runs\W.* set finished_at = /i);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 40 } });
    expect(lines).toEqual([expect.stringMatching(/^error: store_purchases: could not record the run: .*Access Denied/)]);
    expect(engine.state.get('store_purchases')).toMatchObject({ lease_owner: null });
  });

  test('the ledger cannot be written: the run fails with a warehouse error, says the last events may be sent again, and gives the lease back', async () => {
    const { result, lines, engine, sandbox } = await runFailing(/^merge into \S*capi_sync_ledger\W/i);
    expect(sandbox.stats().accepted).toBeGreaterThan(0);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^warehouse: .*Access Denied.*; what Snap accepted is in the ledger and the next run sends the rest$/s);
    expect(lines).toContainEqual(expect.stringMatching(/^error: store_purchases: could not save the ledger and watermark at the end: .*Access Denied.*; the next run may send the last accepted events again \(Snap drops them by event_id\)$/s));
    expect(engine.state.get('store_purchases')).toMatchObject({ cursor: null, lease_owner: null });
  });
});
