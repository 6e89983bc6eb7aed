import { randomUUID } from 'node:crypto';
import { WarehouseError } from '../errors.ts';
import { redact } from '../redact.ts';
import type { Renderer, Statement } from '../render/render.ts';
import type { EventRef, SentEvent } from '../snap/batches.ts';
import type { Column, Warehouse } from '../warehouse/types.ts';

/** The position of the last event settled: rows after (cursor, event_id) are still to read. */
export interface Watermark {
  cursor: string;
  event_id: string;
}

/** What capi_sync_state holds for an activation. */
export interface ActivationState {
  watermark: Watermark | null;
  /** SHA-256 of the views the last deploy created (null: deployed by a capi-sync that kept none). */
  viewsFingerprint: string | null;
  /** When the runner last removed ledger rows past the retention. */
  ledgerPrunedAt: Date | null;
}

/** An event for the ledger: accepted by Snap (with the digest of its JSON) or refused on its own. */
export type LedgerEvent = (SentEvent & { status: 'accepted' }) | (EventRef & { status: 'refused'; payload_sha256?: undefined });

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted' | 'abandoned' | 'skipped' | 'reset';

export interface RunCounts {
  sent: number;
  rejected_by_view: number;
  rejected_by_snap: number;
  retries: number;
  batches: number;
}

/** What the runner's read needs to know. */
export interface ReadOptions {
  activation: string;
  /** The view read: the prepared view (its rows with a reason are held back). */
  view: string;
  watermark: Watermark | null;
  /** Read from this cursor value instead (the watermark less the look-back). */
  scanStart?: string;
  /** Also return the held-back rows, with their reason and no payload. */
  reasons?: boolean;
  /** Count the events to send instead of reading them. */
  count?: boolean;
  /** Days of ledger the anti-join looks at: the activation's max_event_age_days and a day. */
  ledgerDays: number;
  /**
   * The prepared view's cursor column as the warehouse describes it: the watermark and the scan start
   * are read as its type (macros/cursor_param). Needed with a watermark on BigQuery, whose STRING
   * parameters do not compare with a number.
   */
  cursor?: Column;
  /** Read only part `part` (0-based) of `parts`, split by a hash of the cursor (warehouse.read_connections). */
  parts?: number;
  part?: number;
}

/**
 * Everything capi-sync remembers between runs, in the warehouse: watermarks, the ledger of sent events,
 * runs, refused events, deploy fingerprints. Every statement is a macro or standard SQL; commands ask
 * this class and never write SQL of their own.
 */
export class StateStore {
  constructor(private readonly wh: Warehouse, private readonly r: Renderer) {}

  private table(name: string): string {
    return this.r.quote(this.wh.schema, name);
  }

  private statement(macro: string, context: Record<string, unknown>, values: Record<string, unknown>): Statement {
    return this.r.statement(macro, { schema: this.wh.schema, ...context }, values);
  }

  /** What macros/cursor_param needs to read a value as the cursor's type. */
  private cursorContext(cursor: Column | undefined): Record<string, unknown> {
    return { cursor_type: cursor?.type, cursor_time: cursor?.kind === 'timestamp' || cursor?.kind === 'date', cursor_bytes: cursor?.kind === 'text' };
  }

  /** The create statements of capi-sync's tables, and the columns added to older ones. */
  ddl(): string[] {
    return splitStatements(this.r.macro('state_tables', { schema: this.wh.schema }));
  }

  async read(activation: string): Promise<ActivationState> {
    const rows = await this.wh.query(`select cursor, event_id, views_fingerprint, ledger_pruned_at from ${this.table('capi_sync_state')} where activation = ?`, [activation]).catch((error: Error) => {
      // The first thing every command reads: a missing table or column means nothing (recent) was deployed.
      if (!isMissingObject(error)) throw error;
      throw new WarehouseError(`capi-sync's tables in ${this.wh.schema} are missing or from an older version: run \`capi-sync deploy\` (or \`capi-sync run\`, which deploys first)\n  ${error.message}`, { cause: error });
    });
    const row = rows[0];
    return {
      watermark: row && row.cursor != null ? { cursor: String(row.cursor), event_id: String(row.event_id) } : null,
      viewsFingerprint: row?.views_fingerprint == null ? null : String(row.views_fingerprint),
      ledgerPrunedAt: row?.ledger_pruned_at == null ? null : new Date(row.ledger_pruned_at as string),
    };
  }

  async watermark(activation: string): Promise<Watermark | null> {
    return (await this.read(activation)).watermark;
  }

  /** Sets the watermark (null: from the start) at once. */
  async saveWatermark(activation: string, mark: Watermark | null): Promise<void> {
    const s = this.watermarkStatement(activation, mark);
    await this.wh.exec(s.sql, s.params);
  }

  /**
   * A checkpoint: the events settled since the last one into the ledger, then the watermark, in one
   * transaction where the warehouse has them (Postgres, PGlite), else in that order (a crash between the
   * two only re-reads events the ledger already holds).
   */
  async checkpoint(activation: string, runId: string, events: LedgerEvent[], mark: Watermark | undefined, ledgerDays: number): Promise<void> {
    const statements: Statement[] = [];
    if (events.length > 0) {
      const json = JSON.stringify(events.map((e) => ({
        event_id: e.event_id, cursor: e.cursor, event_time: e.event_time ?? null, match_keys: e.match_keys ?? null,
        status: e.status, payload_sha256: e.payload_sha256 ?? null,
      })));
      statements.push(this.statement('insert_ledger', { ledger_days: ledgerDays }, { activation, run_id: runId, events: json }));
    }
    if (mark) statements.push(this.watermarkStatement(activation, mark));
    if (statements.length > 0) await this.wh.execScript(statements);
  }

  private watermarkStatement(activation: string, mark: Watermark | null): Statement {
    return this.statement('upsert_state', { set: ['cursor', 'event_id'], now: ['updated_at'] }, { activation, cursor: mark?.cursor ?? null, event_id: mark?.event_id ?? null });
  }

  /** Kept by deploy with the views, in the same script: sync refuses views of an older mapping. */
  fingerprintStatement(activation: string, fingerprint: string): Statement {
    return this.statement('upsert_state', { set: ['views_fingerprint'], now: ['deployed_at'] }, { activation, views_fingerprint: fingerprint });
  }

  /** The runner's read (see macros/read_outbound). */
  readStatement(o: ReadOptions): Statement {
    return this.statement('read_outbound', {
      view: o.view, watermark: Boolean(o.watermark), lookback: o.scanStart !== undefined, reasons: o.reasons, count: o.count, ledger_days: o.ledgerDays,
      parts: o.parts && o.parts > 1 ? o.parts : undefined, part: o.part ?? 0, ...this.cursorContext(o.cursor),
    }, { activation: o.activation, watermark_cursor: o.watermark?.cursor, watermark_event_id: o.watermark?.event_id, scan_start: o.scanStart });
  }

  /** Removes ledger rows older than `days`, at most once a day per activation. */
  async pruneLedger(activation: string, days: number, lastPruned: Date | null): Promise<number> {
    if (lastPruned && Date.now() - lastPruned.getTime() < 86_400_000) return 0;
    const prune = this.statement('prune_ledger', { days }, { activation });
    const removed = await this.wh.exec(prune.sql, prune.params);
    const mark = this.statement('upsert_state', { set: [], now: ['ledger_pruned_at'] }, { activation });
    await this.wh.exec(mark.sql, mark.params);
    return removed;
  }

  /**
   * Moves the watermark to `after` (null: the start) and removes the ledger rows of the events the
   * prepared view holds past it, so that the next run sends them again; in one transaction where the
   * warehouse has one (ledger first, then watermark, elsewhere). Answers how many rows it removed.
   * `cursor`: the prepared view's cursor column, to read `after` as its type (see ReadOptions.cursor).
   */
  async reset(activation: string, prepared: string, after: Watermark | null, cursor?: Column): Promise<number> {
    const rows = (remove: boolean) => this.statement('ledger_rows', { prepared, after: Boolean(after), delete: remove, ...this.cursorContext(cursor) }, { activation, watermark_cursor: after?.cursor, watermark_event_id: after?.event_id });
    const count = rows(false);
    const [row] = await this.wh.query(count.sql, count.params);
    await this.wh.execScript([rows(true), this.watermarkStatement(activation, after)]);
    return Number(row.n);
  }

  /** A value given for the cursor, read as the cursor column's type and written back as the watermark keeps it. */
  async cursorValue(view: string, value: string, cursor: Column): Promise<string> {
    const s = this.statement('cursor_value', { view, ...this.cursorContext(cursor) }, { value });
    const [row] = await this.wh.query(s.sql, s.params);
    return String(row.cursor);
  }

  /** Forgets an activation's watermark and ledger: for demo's scratch state only. */
  async forget(activation: string): Promise<void> {
    await this.wh.execScript([
      { sql: `delete from ${this.table('capi_sync_ledger')} where activation = ?`, params: [activation] },
      { sql: `delete from ${this.table('capi_sync_state')} where activation = ?`, params: [activation] },
    ]);
  }

  /** Runs still marked running once this runner holds the lock were killed (kill -9, a lost machine). */
  async closeAbandonedRuns(activation: string): Promise<void> {
    await this.wh.exec(
      `update ${this.table('capi_sync_runs')} set status = 'abandoned', error = 'the runner stopped without finishing (killed?); the next run resumed from the saved watermark and the ledger' where activation = ? and status = 'running'`,
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

  async finishRun(id: string, run: { status: RunStatus; counts: RunCounts; after: Watermark | null; warnings: string[]; error?: string; note?: string }): Promise<void> {
    const c = run.counts;
    await this.wh.exec(
      `update ${this.table('capi_sync_runs')} set finished_at = current_timestamp, status = ?, sent = ?, rejected_by_view = ?, rejected_by_snap = ?, retries = ?, batches = ?, watermark_after = ?, warnings = ?, error = ?, note = ? where run_id = ?`,
      [run.status, c.sent, c.rejected_by_view, c.rejected_by_snap, c.retries, c.batches, formatWatermark(run.after), run.warnings.join('\n') || null, run.error === undefined ? null : redact(run.error), run.note ?? null, id],
    );
  }

  /** A run that did no sending (skipped, reset), recorded whole. */
  async recordRun(activation: string, run: { status: RunStatus; before: Watermark | null; after: Watermark | null; error?: string; note?: string }): Promise<string> {
    const id = await this.startRun(activation, run.before);
    await this.finishRun(id, { ...run, counts: { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 }, warnings: [] });
    return id;
  }

  async recordDeliveryError(e: { run_id: string; activation: string; event_id: string; cursor: string; http_status: number; message: string }): Promise<void> {
    await this.wh.exec(
      `insert into ${this.table('capi_sync_delivery_errors')} (run_id, activation, event_id, cursor, http_status, message, recorded_at) values (?, ?, ?, ?, ?, ?, current_timestamp)`,
      [e.run_id, e.activation, e.event_id, e.cursor, e.http_status, redact(e.message)],
    );
  }

  async lastRuns(activation: string, limit = 5): Promise<Record<string, unknown>[]> {
    return this.wh.query(
      `select run_id, started_at, finished_at, status, sent, rejected_by_snap, retries, watermark_after, error, note from ${this.table('capi_sync_runs')} where activation = ? order by started_at desc limit ${Number(limit)}`,
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
      `select ${this.r.macro('unix_now')} as now_seconds, min(${seconds('started_at')}) as first_run_at, max(case when sent > 0 then ${seconds('finished_at')} end) as last_sent_at from ${this.table('capi_sync_runs')} where activation = ? and ${SENDING_RUNS}`,
      [activation],
    );
    let newest: unknown = null;
    if (window !== false) {
      const [ledger] = await this.wh.query(
        `select max(event_time) as newest from ${this.table('capi_sync_ledger')} where activation = ? and status = 'accepted' and sent_at >= ${this.r.macro('seconds_ago', { seconds: Math.ceil(Number(window)) })}`,
        [activation],
      );
      newest = ledger?.newest;
    }
    return { now: Number(runs!.now_seconds), first_run_at: numberOrNull(runs!.first_run_at), last_sent_at: numberOrNull(runs!.last_sent_at), newest_event_time: numberOrNull(newest) };
  }

  /** The start (Unix seconds) and status of the activation's latest run that tried to send, or null before the first. */
  async lastRun(activation: string): Promise<{ started_at: number; status: string } | null> {
    const rows = await this.wh.query(
      `select ${this.r.macro('timestamp_seconds', { value: 'started_at' })} as started_at, status from ${this.table('capi_sync_runs')} where activation = ? and ${SENDING_RUNS} order by started_at desc limit 1`,
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

  async saveAlertStatus(activation: string, status: AlertStatus): Promise<void> {
    const s = this.statement('upsert_state', { set: ['alert_status'], now: ['alert_changed_at'] }, { activation, alert_status: status });
    await this.wh.exec(s.sql, s.params);
  }
}

/** The warehouse's answer when a table, view or column is not there (each warehouse words it its way). */
export function isMissingObject(error: unknown): boolean {
  return error instanceof Error && /does not exist|not found|unrecognized name|invalid identifier/i.test(error.message);
}

export function numberOrNull(value: unknown): number | null {
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

/** Rows of capi_sync_runs that are runs of the schedule: a skipped run (lock held elsewhere) or a reset sent nothing. */
const SENDING_RUNS = "status not in ('skipped', 'reset')";

export function formatWatermark(mark: Watermark | null): string | null {
  return mark ? `${mark.cursor} / ${mark.event_id}` : null;
}

export function splitStatements(sql: string): string[] {
  return sql.split(/^\s*;\s*$/m).map((s) => s.trim()).filter(Boolean);
}
