import { randomUUID } from 'node:crypto';
import { WarehouseError } from '../errors.ts';
import { redact } from '../redact.ts';
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
      [run.status, c.sent, c.rejected_by_view, c.rejected_by_snap, c.retries, c.batches, formatWatermark(run.after), run.warnings.join('\n') || null, run.error === undefined ? null : redact(run.error), id],
    );
  }

  async recordDeliveryError(e: { run_id: string; activation: string; event_id: string; cursor: string; http_status: number; message: string }): Promise<void> {
    await this.wh.exec(
      `insert into ${this.table('capi_sync_delivery_errors')} (run_id, activation, event_id, cursor, http_status, message, recorded_at) values (?, ?, ?, ?, ?, ?, current_timestamp)`,
      [e.run_id, e.activation, e.event_id, e.cursor, e.http_status, redact(e.message)],
    );
  }

  async lastRuns(activation: string, limit = 5): Promise<Record<string, unknown>[]> {
    return this.wh.query(
      `select run_id, started_at, finished_at, status, sent, rejected_by_snap, retries, watermark_after, error from ${this.table('capi_sync_runs')} where activation = ? order by started_at desc limit ${Number(limit)}`,
      [activation],
    );
  }
}

export function formatWatermark(mark: Watermark | null): string | null {
  return mark ? `${mark.cursor} / ${mark.event_id}` : null;
}

export function splitStatements(sql: string): string[] {
  return sql.split(/^\s*;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
