import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, firedWarnings } from '../../runner/alerts/rules.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { StateStore } from '../../runner/state/state.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';
import { openPostgres } from '../../runner/warehouse/postgres.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';
import { dropSchemas, POSTGRES_URL, postgresReachable, uniqueName } from '../support/postgres.ts';

const DAY = 86_400;
const zero = { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 };

/** The facts the warning rules read, from capi-sync's real tables on each Postgres-family warehouse. */
function historyTests(open: () => Promise<{ warehouse: Warehouse; close: () => Promise<void> }>) {
  let warehouse: Warehouse;
  let close: () => Promise<void>;
  let state: StateStore;
  beforeAll(async () => {
    ({ warehouse, close } = await open());
    const r = createRenderer(warehouse.dialect);
    state = new StateStore(warehouse, r);
    await warehouse.execScript([r.macro('create_schema', { schema: warehouse.schema }), ...state.ddl()]);
  });
  afterAll(() => close());

  const runs = () => `"${warehouse.schema}".capi_sync_runs`;
  /** A finished run that started `daysAgo` days ago and lasted a minute. */
  async function pastRun(activation: string, daysAgo: number, sent: number): Promise<void> {
    const id = await state.startRun(activation, null);
    await state.finishRun(id, { status: 'ok', counts: { ...zero, sent }, after: null, warnings: [] });
    await warehouse.exec(`update ${runs()} set started_at = now() - ? * interval '1 day', finished_at = now() - ? * interval '1 day' + interval '1 minute' where run_id = ?`, [daysAgo, daysAgo, id]);
  }
  async function accepted(activation: string, id: string, eventAgeSeconds: number, sentAgoSeconds: number): Promise<void> {
    await warehouse.exec(
      `insert into "${warehouse.schema}".capi_sync_ledger (activation, event_id, cursor, event_time, status, run_id, sent_at) values (?, ?, '1', cast(floor(extract(epoch from now())) as bigint) - ?, 'accepted', 'r', now() - ? * interval '1 second')`,
      [activation, id, eventAgeSeconds, sentAgoSeconds],
    );
  }

  it('no runs yet: nothing is known, and no history rule fires', async () => {
    const history = await state.runHistory('fresh', 6 * 3600);
    expect(history).toMatchObject({ first_run_at: null, last_sent_at: null, newest_event_time: null });
    expect(Math.abs(history.now - Date.now() / 1000)).toBeLessThan(60);
    expect(firedWarnings({ ...DEFAULT_RULES, newest_event_older_than: 6 * 3600 }, { ...zero, seconds: 1 }, history, { activation: 'fresh', schema: 's' })).toEqual([]);
    expect(await state.lastRun('fresh')).toBeNull();
  });

  it('no_events_for: the last run that sent, among runs going back further', async () => {
    await pastRun('quiet', 10, 50);
    await pastRun('quiet', 3, 20);
    await pastRun('quiet', 1, 0);
    const history = await state.runHistory('quiet', false);
    expect(history.now - history.first_run_at!).toBeGreaterThanOrEqual(10 * DAY);
    expect(Math.round((history.now - history.last_sent_at!) / 60)).toBe(3 * 24 * 60 - 1);
    expect(history.newest_event_time).toBeNull();
    const fired = firedWarnings(DEFAULT_RULES, { ...zero, seconds: 1 }, history, { activation: 'quiet', schema: 's' });
    expect(fired).toEqual([expect.stringMatching(/^quiet: no event sent for 2d 23h \(no_events_for 1d\) although capi-sync ran/)]);
    const last = await state.lastRun('quiet');
    expect(last?.status).toBe('ok');
    expect(Math.round((history.now - last!.started_at) / DAY)).toBe(1);
  });

  it('newest_event_older_than: the newest accepted event_time sent within the window; refused events do not count', async () => {
    await pastRun('stale', 5, 3);
    await accepted('stale', 'e1', 9 * 3600, 8 * 3600);
    await accepted('stale', 'e2', 30 * 3600, 3600); // a late, old event sent an hour ago
    await warehouse.exec(`insert into "${warehouse.schema}".capi_sync_ledger (activation, event_id, event_time, status, run_id, sent_at) values ('stale', 'e3', cast(floor(extract(epoch from now())) as bigint), 'refused', 'r', now())`);
    const six = await state.runHistory('stale', 6 * 3600);
    expect(Math.round((six.now - six.newest_event_time!) / 3600)).toBe(30);
    const rules = { ...DEFAULT_RULES, newest_event_older_than: 6 * 3600 };
    expect(firedWarnings(rules, { ...zero, sent: 1, seconds: 1 }, six, { activation: 'stale', schema: 's' })).toEqual([
      expect.stringMatching(/^stale: the newest event sent happened 1d 6h ago \(newest_event_older_than 6h\)/),
    ]);
    const twelve = await state.runHistory('stale', 12 * 3600);
    expect(Math.round((twelve.now - twelve.newest_event_time!) / 3600)).toBe(9);
  });

  it('keeps the alert status per activation, inserting the state row when there is none yet', async () => {
    expect(await state.alertStatus('alerted')).toBeNull();
    await state.saveAlertStatus('alerted', 'warning');
    expect(await state.alertStatus('alerted')).toMatchObject({ status: 'warning' });
    await state.saveWatermark('alerted', { cursor: '5', event_id: 'e5' });
    await state.saveAlertStatus('alerted', 'failed');
    const saved = await state.alertStatus('alerted');
    expect(saved?.status).toBe('failed');
    expect(Math.abs(saved!.changed_at! - Date.now() / 1000)).toBeLessThan(60);
    expect(await state.watermark('alerted')).toEqual({ cursor: '5', event_id: 'e5' });
  });
}

describe('warning facts on PGlite', () => {
  historyTests(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-history-'));
    const warehouse = await openPglite({ path: join(dir, 'wh'), schema: 'capi_sync' });
    return { warehouse, close: async () => { await warehouse.close(); await rm(dir, { recursive: true, force: true }); } };
  });
});

describe.skipIf(!postgresReachable)('warning facts on Postgres', () => {
  historyTests(async () => {
    const schema = uniqueName('capi_hist');
    const warehouse = await openPostgres({ url: POSTGRES_URL, schema });
    return { warehouse, close: async () => { await warehouse.close(); await dropSchemas(schema); } };
  });
});
