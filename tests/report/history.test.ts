import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketSeconds } from '../../runner/commands/report.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { coverageLine, percent } from '../../runner/report/format.ts';
import { History, lagSeconds } from '../../runner/state/history.ts';
import { StateStore, type RunStatus } from '../../runner/state/state.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';
import { openPostgres } from '../../runner/warehouse/postgres.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';
import { dropSchemas, POSTGRES_URL, postgresReachable, uniqueName } from '../support/postgres.ts';

const counts = { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 };

/** What the report and status count, from capi-sync's real tables, written as the runner writes them. */
function historyTests(open: () => Promise<{ warehouse: Warehouse; close: () => Promise<void> }>) {
  let warehouse: Warehouse;
  let close: () => Promise<void>;
  let state: StateStore;
  let history: History;
  const table = (name: string) => `"${warehouse.schema}".${name}`;
  beforeAll(async () => {
    ({ warehouse, close } = await open());
    const r = createRenderer(warehouse.dialect);
    state = new StateStore(warehouse, r);
    history = new History(warehouse, r);
    await warehouse.execScript([r.macro('create_schema', { schema: warehouse.schema }), ...state.ddl()]);
  });
  afterAll(() => close());

  /** A run recorded by the runner's own calls, then moved `hoursAgo` back, lasting `seconds`. */
  async function run(activation: string, hoursAgo: number, status: RunStatus, c: Partial<typeof counts>, seconds = 2.5): Promise<void> {
    const id = await state.startRun(activation, null);
    await state.finishRun(id, { status, counts: { ...counts, ...c }, after: null, warnings: [] });
    await warehouse.exec(`update ${table('capi_sync_runs')} set started_at = now() - ? * interval '1 hour', finished_at = now() - ? * interval '1 hour' + ? * interval '1 second' where run_id = ?`, [hoursAgo, hoursAgo, seconds, id]);
  }

  it('runs: the period\'s runs that tried to send, summed, and in buckets of start time', async () => {
    await run('a', 2, 'ok', { sent: 100, rejected_by_view: 4, retries: 1 }, 2);
    await run('a', 1.5, 'partial', { sent: 50, rejected_by_snap: 3 }, 4);
    await run('a', 1, 'failed', { sent: 0 }, 0.25);
    await run('a', 0.5, 'skipped', {});
    await run('a', 0.4, 'reset', {});
    await run('a', 24 * 40, 'ok', { sent: 1000 }); // before the period
    await run('b', 1, 'ok', { sent: 7 }); // another activation
    const totals = await history.runTotals('a', 30);
    expect(totals).toMatchObject({ runs: 3, failed: 1, sent: 150, held_back: 4, refused: 3, retries: 1, max_seconds: 4 });
    expect(totals.mean_seconds).toBeCloseTo((2 + 4 + 0.25) / 3, 3);
    expect(totals.last_start! - totals.first_start!).toBeGreaterThanOrEqual(3600 - 1);
    // One bucket per run, oldest first.
    const runs = await history.runSeries('a', 30, 1);
    expect(runs.map((b) => [b.runs, b.sent, b.held_back, b.refused, b.mean_seconds])).toEqual([[1, 100, 4, 0, 2], [1, 50, 0, 3, 4], [1, 0, 0, 0, 0.25]]);
    expect(runs.every((b) => b.bucket_start === b.first_start)).toBe(true);
    // A day's bucket holds all three (or two days' when the day turns within the last two hours).
    const days = await history.runSeries('a', 30, 86_400);
    expect(days.reduce((n, b) => n + b.runs, 0)).toBe(3);
    expect(days.every((b) => b.bucket_start! % 86_400 === 0)).toBe(true);
    // A longer period takes the older run in.
    expect((await history.runTotals('a', 41)).sent).toBe(1150);
  });

  it('runs: nothing for an activation never run', async () => {
    expect(await history.runTotals('never', 30)).toMatchObject({ runs: 0, sent: 0, mean_seconds: null, first_start: null });
    expect(await history.runSeries('never', 30, 1)).toEqual([]);
  });

  it('coverage: the share of accepted events sent in the period carrying each key, and the lag', async () => {
    const ledger = (id: string, keys: string | null, status: string, eventAgo: number, sentAgo: number) => warehouse.exec(
      `insert into ${table('capi_sync_ledger')} (activation, event_id, cursor, event_time, match_keys, status, run_id, sent_at)
       values ('c', ?, '1', cast(floor(extract(epoch from now())) as bigint) - ?, ?, ?, 'r', now() - ? * interval '1 second')`,
      [id, eventAgo, keys, status, sentAgo],
    );
    await ledger('e1', 'em,ph,fn,ln,ct,zp,country', 'accepted', 7200, 60);
    await ledger('e2', 'em,country', 'accepted', 3600, 60);
    await ledger('e3', 'ph,external_id,mobile_ad_id', 'accepted', 5400, 60);
    await ledger('e4', null, 'accepted', 9000, 60); // sent before match_keys were recorded
    await ledger('e5', 'em,ph', 'refused', 60, 60); // refused: not sent
    await ledger('e6', 'em,ph', 'accepted', 40 * 86_400, 40 * 86_400); // sent before the period
    const c = await history.coverage('c', 30);
    expect(c.sent).toBe(4);
    expect(c.keys).toMatchObject({ em: 2, ph: 2, fn: 1, ln: 1, ct: 1, zp: 1, country: 2, external_id: 1, mobile_ad_id: 1, ge: 0, st: 0, client_ip_address: 0 });
    expect(Math.abs(lagSeconds(c)! - 3600)).toBeLessThan(60);
    expect(coverageLine(c, 30)).toMatch(/^em 50%, ph 50%, fn 25%, ln 25%, ct 25%, zp 25%, country 50%, external_id 25%, mobile_ad_id 25% of 4 event\(s\) sent in 30 days; lag (59m|1h)/);
    expect(await history.coverage('nothing', 30)).toMatchObject({ sent: 0, newest_event_time: null, keys: expect.objectContaining({ em: 0 }) });
    expect(coverageLine(await history.coverage('nothing', 30), 30)).toBe('no event sent in the last 30 days; lag: none');
  });

  it('refusals: by answer, most frequent first, with the count past the limit', async () => {
    const refuse = (event_id: string, status: number, message: string) => state.recordDeliveryError({ run_id: 'r', activation: 'd', event_id, cursor: '1', http_status: status, message });
    for (const id of ['x1', 'x2', 'x3']) await refuse(id, 400, 'INVALID: user_data.em');
    await refuse('y1', 400, '</script><img src=x onerror=alert(1)>');
    await refuse('z1', 422, 'unprocessable');
    await refuse('old', 400, 'INVALID: user_data.em');
    await warehouse.exec(`update ${table('capi_sync_delivery_errors')} set recorded_at = now() - interval '40 days' where event_id = 'old'`);
    const all = await history.refusals('d', 30);
    expect(all).toMatchObject({ events: 5, answers: 3 });
    expect(all.top[0]).toMatchObject({ http_status: 400, message: 'INVALID: user_data.em', events: 3, example_event_id: 'x1' });
    expect(all.top.slice(1).map((r) => r.message).sort()).toEqual(['</script><img src=x onerror=alert(1)>', 'unprocessable']);
    const top = await history.refusals('d', 30, 1);
    expect(top).toMatchObject({ events: 5, answers: 3, top: [{ events: 3 }] });
    expect(await history.refusals('none', 30)).toEqual({ events: 0, answers: 0, top: [] });
  });
}

describe('report figures on PGlite', () => {
  historyTests(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-report-'));
    const warehouse = await openPglite({ path: join(dir, 'wh'), schema: 'capi_sync' });
    return { warehouse, close: async () => { await warehouse.close(); await rm(dir, { recursive: true, force: true }); } };
  });
});

describe.skipIf(!postgresReachable)('report figures on Postgres', () => {
  historyTests(async () => {
    const schema = uniqueName('capi_report');
    const warehouse = await openPostgres({ url: POSTGRES_URL, schema });
    return { warehouse, close: async () => { await warehouse.close(); await dropSchemas(schema); } };
  });
});

describe('how the report rounds', () => {
  it('a share is rounded down below 100%, so 100% means every event', () => {
    expect([percent(221, 222), percent(222, 222), percent(1, 1000), percent(0, 5), percent(0, 0)]).toEqual(['99%', '100%', '<1%', '0%', '–']);
  });

  it('one bar per run up to 120 runs; past that, the narrowest round width that fits the period in 120 bars', () => {
    const totals = (runs: number) => ({ runs }) as Parameters<typeof bucketSeconds>[0];
    expect(bucketSeconds(totals(120), 30)).toBe(1);
    expect(bucketSeconds(totals(2880), 30)).toBe(6 * 3600); // every 15 minutes for 30 days: 120 bars of 6 hours
    expect(bucketSeconds(totals(500), 1)).toBe(900);
    expect(bucketSeconds(totals(500), 3650)).toBe(7 * 86_400);
  });
});
