import { heldBack, pendingCount } from '../../runner/commands/pending.ts';
import type { Project } from '../../runner/commands/project.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { History } from '../../runner/state/history.ts';
import { StateStore } from '../../runner/state/state.ts';
import { bigqueryDialect, bigqueryLeaseUntil } from '../../runner/warehouse/bigquery.ts';
import { takeLease } from '../../runner/warehouse/lease.ts';
import { snowflakeDialect, snowflakeLeaseUntil } from '../../runner/warehouse/snowflake.ts';
import type { Column, Dialect, Warehouse } from '../../runner/warehouse/types.ts';
import { goldenConfig, renderGoldenViews } from '../render/golden-activations.ts';

/** One statement as the runner sends it, with the values of its `?` parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Each cloud dialect, with the golden activations' cursor (loaded_at, a timestamp) as its warehouse describes it. */
export const CLOUD_DIALECTS = [
  { dialect: snowflakeDialect, parser: 'snowflake', schema: 'capi_sync', leaseUntil: snowflakeLeaseUntil, cursor: { name: 'cursor', type: 'timestamp_ntz', kind: 'timestamp' } as Column },
  { dialect: bigqueryDialect, parser: 'bigquery', schema: 'my-project.capi_sync', leaseUntil: bigqueryLeaseUntil, cursor: { name: 'cursor', type: 'TIMESTAMP', kind: 'timestamp' } as Column },
] as const;

/**
 * Every statement capi-sync sends to a cloud warehouse, by golden file name and in the order a
 * deploy and a run send them: the state DDL and DML (recorded from StateStore and the lease, so these
 * are the runner's own strings), each golden activation's views (dropped, then created), the
 * runner's reads of them, and what `report` and `status` read of the runs, the ledger and the refusals.
 */
export async function renderCloudStatements(dialect: Dialect, schema: string, leaseUntil: (seconds: number) => string, cursor: Column): Promise<Record<string, Statement[]>> {
  const r = createRenderer(dialect);
  const out: Record<string, Statement[]> = {};
  for (const name of Object.keys(goldenConfig.activations)) {
    const drops = ['sent', 'outbound', 'rejected', 'prepared'].map((kind) => r.macro('drop_view', { schema, name: `${name}_${kind}` }));
    out[`${name}.views`] = [...drops.filter(Boolean), ...(await renderGoldenViews(dialect, schema, name))].map((sql) => ({ sql, params: [] }));
  }
  const recorder = recordingWarehouse(dialect, schema, cursor, [{ n: 0, cursor: '2026-01-01T00:00:00Z' }]);
  const state = new StateStore(recorder.wh, r);
  const mark = { cursor: '2026-01-01T00:00:00.123456', event_id: 'e' };
  await state.read('a');
  await state.closeAbandonedRuns('a');
  await state.saveWatermark('a', mark);
  const run = await state.startRun('a', null);
  await state.checkpoint('a', run, [{ event_id: 'e', cursor: '1', event_time: 1, match_keys: 'em', status: 'accepted', payload_sha256: 'ab' }], mark, 8);
  await state.finishRun(run, { status: 'ok', counts: { sent: 1, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 1 }, after: null, warnings: [] });
  await state.recordDeliveryError({ run_id: run, activation: 'a', event_id: 'e', cursor: '1', http_status: 400, message: 'm' });
  await state.lastRuns('a');
  await state.pruneLedger('a', 90, null);
  // The warning rules' facts, serve's and status's last run, the alert status.
  await state.runHistory('a', 6 * 3600);
  await state.lastRun('a');
  await state.alertStatus('a');
  await state.saveAlertStatus('a', 'warning');
  await recorder.wh.execScript([state.fingerprintStatement('a', 'f')]);
  await (await takeLease(recorder.wh, 'a', 600, leaseUntil))!.release();
  out.state = [r.macro('create_schema', { schema }), ...state.ddl()].map((sql) => ({ sql, params: [] as unknown[] })).concat(recorder.statements);
  const read = (o: { watermark?: typeof mark; scanStart?: string; reasons?: boolean; count?: boolean }) => state.readStatement({ activation: 'store_purchases', view: 'store_purchases_prepared', watermark: null, ledgerDays: 8, cursor, ...o });
  // From the start; past the watermark (lookback 0); from the watermark less the look-back (the default).
  out.read = [
    read({}), read({ reasons: true }), read({ watermark: mark, reasons: true }), read({ watermark: mark, scanStart: '2025-12-31T23:00:00.123', reasons: true }),
  ];
  // capi-sync status: the pending count (from the start, past a watermark, with a look-back) and the held-back counts.
  const reader = recordingWarehouse(dialect, schema, cursor, [{ n: 0 }]);
  const project = { warehouse: reader.wh, renderer: r, state: new StateStore(reader.wh, r), config: goldenConfig } as unknown as Project;
  for (const watermark of [null, mark]) await pendingCount(project, 'store_purchases', { watermark, viewsFingerprint: null, ledgerPrunedAt: null });
  await heldBack(project, 'store_purchases');
  // capi-sync reset: --to read as the cursor's type, the ledger rows past it counted and removed.
  const resetting = new StateStore(reader.wh, r);
  await resetting.cursorValue('store_purchases_prepared', '2026-01-01', cursor);
  await resetting.reset('store_purchases', 'store_purchases_prepared', { cursor: '2026-01-01T00:00:00', event_id: '' }, cursor);
  await resetting.reset('store_purchases', 'store_purchases_prepared', null, cursor);
  out.read.push(...reader.statements);
  // capi-sync report (and status's coverage line): the runs in total and by hour, the coverage and lag, the refusals.
  const reporter = recordingWarehouse(dialect, schema, cursor, [{}]);
  const history = new History(reporter.wh, r);
  await history.runTotals('store_purchases', 30);
  await history.runSeries('store_purchases', 30, 3600);
  await history.coverage('store_purchases', 30);
  await history.refusals('store_purchases', 30);
  out.report = reporter.statements;
  return out;
}

/** Records what the runner sends; the lease's conditional UPDATE "changes one row" so it is taken. */
function recordingWarehouse(dialect: Dialect, schema: string, cursor: Column, answer: Record<string, unknown>[] = []): { wh: Warehouse; statements: Statement[] } {
  const statements: Statement[] = [];
  const record = async (sql: string, params: unknown[] = []) => {
    statements.push({ sql, params });
    return sql.startsWith('update') && sql.includes('lease_owner = ?') ? 1 : 0;
  };
  const wh: Warehouse = {
    dialect, schema,
    query: async (sql, params) => (await record(sql, params), answer),
    exec: record,
    execScript: async (script) => {
      for (const s of script) await (typeof s === 'string' ? record(s) : record(s.sql, s.params));
    },
    columns: async () => [cursor],
    stream: () => { throw new Error('not used'); },
    tryLock: async () => null,
    close: async () => {},
  };
  return { wh, statements };
}
