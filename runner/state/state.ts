import { randomUUID } from 'node:crypto';
import { WarehouseError } from '../errors.ts';
import type { Renderer } from '../render/render.ts';
import type { Warehouse } from '../warehouse/types.ts';

/** The position of the last accepted event: rows after (cursor, event_id) are still to send. */
export interface Watermark {
  cursor: string;
  event_id: string;
}

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted' | 'abandoned';

export interface RunCounts {
  sent: number;
  rejected_by_view: number;
  rejected_by_snap: number;
  retries: number;
  batches: number;
}

/** Reads and writes capi-sync's tables; the SQL is standard but for the upsert, which is a macro. */
export class StateStore {
  constructor(private readonly wh: Warehouse, private readonly r: Renderer) {}

  private table(name: string): string {
    return this.r.quote(this.wh.schema, name);
  }

  /** The create statements of the state, runs and delivery-errors tables. */
  ddl(): string[] {
    return splitStatements(this.r.macro('state_tables', { schema: this.wh.schema }));
  }

  async watermark(activation: string): Promise<Watermark | null> {
    const rows = await this.wh.query(`select cursor, event_id from ${this.table('capi_sync_state')} where activation = ?`, [activation]).catch((error: Error) => {
      // The first thing every command reads: a missing table here means nothing was deployed yet.
      if (!/does not exist|not found/i.test(error.message)) throw error;
      throw new WarehouseError(`capi-sync's tables are not in ${this.wh.schema} yet: run \`capi-sync deploy\` (or \`capi-sync run\`, which deploys first)\n  ${error.message}`, { cause: error });
    });
    const row = rows[0];
    return row && row.cursor != null ? { cursor: String(row.cursor), event_id: String(row.event_id) } : null;
  }

  async saveWatermark(activation: string, mark: Watermark | null): Promise<void> {
    await this.wh.exec(this.r.macro('upsert_watermark', { schema: this.wh.schema }), [activation, mark?.cursor ?? null, mark?.event_id ?? null]);
  }

  /** Runs still marked running once this runner holds the lock were killed (kill -9, a lost machine). */
  async closeAbandonedRuns(activation: string): Promise<void> {
    await this.wh.exec(
      `update ${this.table('capi_sync_runs')} set status = 'abandoned', error = 'the runner stopped without finishing (killed?); the next run resumed from the saved watermark' where activation = ? and status = 'running'`,
      [activation],
    );
  }

  async startRun(activation: string, before: Watermark | null): Promise<string> {
    const id = randomUUID();
    await this.wh.exec(
      `insert into ${this.table('capi_sync_runs')} (run_id, activation, started_at, status, watermark_before) values (?, ?, current_timestamp, 'running', ?)`,
      [id, activation, formatWatermark(before)],
    );
    return id;
  }

  async finishRun(id: string, run: { status: RunStatus; counts: RunCounts; after: Watermark | null; warnings: string[]; error?: string }): Promise<void> {
    const c = run.counts;
    await this.wh.exec(
      `update ${this.table('capi_sync_runs')} set finished_at = current_timestamp, status = ?, sent = ?, rejected_by_view = ?, rejected_by_snap = ?, retries = ?, batches = ?, watermark_after = ?, warnings = ?, error = ? where run_id = ?`,
      [run.status, c.sent, c.rejected_by_view, c.rejected_by_snap, c.retries, c.batches, formatWatermark(run.after), run.warnings.join('\n') || null, run.error ?? null, id],
    );
  }

  async recordDeliveryError(e: { run_id: string; activation: string; event_id: string; cursor: string; http_status: number; message: string }): Promise<void> {
    await this.wh.exec(
      `insert into ${this.table('capi_sync_delivery_errors')} (run_id, activation, event_id, cursor, http_status, message, recorded_at) values (?, ?, ?, ?, ?, ?, current_timestamp)`,
      [e.run_id, e.activation, e.event_id, e.cursor, e.http_status, e.message],
    );
  }

  async lastRuns(activation: string, limit = 5): Promise<Record<string, unknown>[]> {
    return this.wh.query(
      `select run_id, started_at, finished_at, status, sent, rejected_by_snap, retries, watermark_after, error from ${this.table('capi_sync_runs')} where activation = ? order by started_at desc limit ${Number(limit)}`,
      [activation],
    );
  }

  /**
   * Facts for the warning rules. `window`: seconds back to look for the newest accepted event_time in
   * the ledger, or false for none. An event is sent after it happened, so one that happened within the
   * window was sent within it: the bound on sent_at loses nothing and keeps the read to recent rows.
   */
  async runHistory(activation: string, window: number | false): Promise<RunHistory> {
    const seconds = (column: string) => this.r.macro('timestamp_seconds', { value: column });
    const [runs] = await this.wh.query(
      `select ${this.r.macro('unix_now')} as now_seconds, min(${seconds('started_at')}) as first_run_at, max(case when sent > 0 then ${seconds('finished_at')} end) as last_sent_at from ${this.table('capi_sync_runs')} where activation = ?`,
      [activation],
    );
    let newest: unknown = null;
    if (window !== false) {
      const [ledger] = await this.wh.query(
        `select max(event_time) as newest from ${this.table('capi_sync_ledger')} where activation = ? and status = 'accepted' and sent_at >= ${this.r.macro('seconds_ago')}`,
        [activation, Math.ceil(window)],
      );
      newest = ledger?.newest;
    }
    return { now: Number(runs!.now_seconds), first_run_at: numberOrNull(runs!.first_run_at), last_sent_at: numberOrNull(runs!.last_sent_at), newest_event_time: numberOrNull(newest) };
  }

  /** The start (Unix seconds) and status of the activation's latest run, or null before the first. */
  async lastRun(activation: string): Promise<{ started_at: number; status: string } | null> {
    const rows = await this.wh.query(
      `select ${this.r.macro('timestamp_seconds', { value: 'started_at' })} as started_at, status from ${this.table('capi_sync_runs')} where activation = ? order by started_at desc limit 1`,
      [activation],
    );
    return rows[0] ? { started_at: Number(rows[0].started_at), status: String(rows[0].status) } : null;
  }

  /** The status last told for the activation, and since when (Unix seconds); null before any. */
  async alertStatus(activation: string): Promise<{ status: AlertStatus; changed_at: number | null } | null> {
    const rows = await this.wh.query(
      `select alert_status, ${this.r.macro('timestamp_seconds', { value: 'alert_changed_at' })} as changed_at from ${this.table('capi_sync_state')} where activation = ?`,
      [activation],
    );
    const status = rows[0]?.alert_status;
    return status === 'ok' || status === 'warning' || status === 'failed' ? { status, changed_at: numberOrNull(rows[0]!.changed_at) } : null;
  }

  /** Called under the activation's lock, so the update-then-insert cannot race another runner. */
  async saveAlertStatus(activation: string, status: AlertStatus): Promise<void> {
    const changed = await this.wh.exec(`update ${this.table('capi_sync_state')} set alert_status = ?, alert_changed_at = current_timestamp where activation = ?`, [status, activation]);
    if (changed === 0) {
      await this.wh.exec(`insert into ${this.table('capi_sync_state')} (activation, alert_status, alert_changed_at) values (?, ?, current_timestamp)`, [activation, status]);
    }
  }
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** An activation's health as last told (alerts): a failed run, warnings, or neither. */
export type AlertStatus = 'ok' | 'warning' | 'failed';

/** What the warning rules read of earlier runs: Unix seconds by the warehouse's clock. */
export interface RunHistory {
  now: number;
  /** Start of the activation's first recorded run (this one, if it is the first). */
  first_run_at: number | null;
  /** End of the last finished run that sent at least one event. */
  last_sent_at: number | null;
  /** Newest event_time among the events accepted in the window asked for (null: none, or none asked). */
  newest_event_time: number | null;
}

export function formatWatermark(mark: Watermark | null): string | null {
  return mark ? `${mark.cursor} / ${mark.event_id}` : null;
}

export function splitStatements(sql: string): string[] {
  return sql.split(/^\s*;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
