import { REJECTION_REASONS } from '../render/fields.ts';
import { viewNames } from '../render/views.ts';
import type { OutboundRow } from '../snap/batches.ts';
import { scanStart } from '../state/lookback.ts';
import type { ActivationState, Watermark } from '../state/state.ts';
import type { Statement } from '../render/render.ts';
import type { Column } from '../warehouse/types.ts';
import type { Project } from './project.ts';

/** The runner's read of one activation, with what shaped it. */
export interface PendingRead extends Statement {
  watermark: Watermark | null;
  /** The cursor value the read starts at, when the look-back applies. */
  scanStart?: string;
  /** Why the look-back does not apply, when it is set but cannot (a text cursor). */
  lookbackNote?: string;
}

/**
 * The read of events not sent yet: past the watermark less the look-back, and not in the ledger. The
 * cursor's type decides how to go back (see scanStart); it is asked of the warehouse without reading rows.
 */
export async function pendingRead(project: Project, name: string, state: ActivationState, options: { reasons?: boolean; count?: boolean } = {}): Promise<PendingRead> {
  const { warehouse: wh, config } = project;
  const a = config.activations[name];
  const view = viewNames(name).prepared;
  const mark = state.watermark;
  let start: string | undefined;
  let lookbackNote: string | undefined;
  let cursor: Column | undefined;
  if (mark) {
    // The watermark is compared with the cursor in the cursor's own type (see macros/cursor_param).
    const columns = await wh.columns(`select ${project.renderer.quote('cursor')} from ${project.renderer.quote(wh.schema, view)}`);
    cursor = columns.find((c) => c.name === 'cursor');
    if (a.lookback > 0) {
      start = scanStart(mark.cursor, cursor?.kind ?? 'other', a.lookback);
      if (start === undefined) lookbackNote = `activations.${name}.lookback does not apply to this cursor (${cursor?.type ?? 'unknown'}, value ${mark.cursor}): only rows past the watermark are read; use a timestamp or number cursor, or set lookback: 0`;
    }
  }
  const statement = project.state.readStatement({
    activation: name, view, watermark: mark, scanStart: start, ledgerDays: a.max_event_age_days + 1, cursor, ...options,
  });
  return { ...statement, watermark: mark, scanStart: start, lookbackNote };
}

/** A row of the runner's read: held-back rows come with their reason and no payload. */
export type ReadRow = OutboundRow & { reason?: string | null };

/** What reading the rows told, beyond the events to send. */
export interface ReadTally {
  /** Rows held back past the watermark, by reason (rows read again within the look-back are not counted again). */
  heldBack: Record<string, number>;
  /** The last row read past the watermark whose place is settled by reading it (see syncActivation). */
  last?: Watermark;
}

// A row held back for these reasons may be sent later without its cursor moving: the watermark stays
// before it, so the look-back reads it again.
const PENDING_REASONS = new Set(['event_in_future', 'missing_cursor']);

/**
 * The rows to send from each fetch of the read; the others are counted into `tally` by reason. Fetches
 * left empty are skipped.
 */
export async function* sendable(fetches: AsyncIterable<ReadRow[]>, tally: ReadTally): AsyncIterable<OutboundRow[]> {
  for await (const rows of fetches) {
    const send: OutboundRow[] = [];
    for (const row of rows) {
      row.past = Number(row.past) === 1;
      if (row.reason == null) send.push(row);
      else if (row.past) tally.heldBack[row.reason] = (tally.heldBack[row.reason] ?? 0) + 1;
      if (row.past && row.cursor != null && !PENDING_REASONS.has(row.reason ?? '')) tally.last = { cursor: row.cursor, event_id: row.event_id };
    }
    if (send.length > 0) yield send;
  }
}

/** Events the next sync would send. */
export async function pendingCount(project: Project, name: string, state: ActivationState): Promise<number> {
  const read = await pendingRead(project, name, state, { count: true });
  const [row] = await project.warehouse.query(read.sql, read.params);
  return Number(row.n);
}

/** The events the next sync would send, counted, with the first `keep`: read with the sync's query, nothing sent. */
export async function pendingEvents(project: Project, name: string, keep: number): Promise<{ watermark: Watermark | null; count: number; first: OutboundRow[] }> {
  const read = await pendingRead(project, name, await project.state.read(name));
  const result = { watermark: read.watermark, count: 0, first: [] as OutboundRow[] };
  for await (const rows of project.warehouse.stream(read.sql, read.params, { fetchSize: project.config.snapchat.batch_size }) as AsyncIterable<OutboundRow[]>) {
    for (const row of rows) if (result.first.length < keep) result.first.push(row);
    result.count += rows.length;
  }
  return result;
}

/** Every row the rejected view holds back now, by reason in the README's order. */
export async function heldBack(project: Project, name: string): Promise<Record<string, number>> {
  const { warehouse: wh, renderer: r } = project;
  const reason = r.quote('reason');
  const rows = await wh.query(`select v.${reason} as reason, count(*) as n from ${r.quote(wh.schema, viewNames(name).rejected)} as v group by v.${reason}`);
  return inReasonOrder(rows.map((row) => [String(row.reason), Number(row.n)]));
}

/** Counts by reason, in the README's order of the reasons. */
export function inReasonOrder(counts: Iterable<[string, number]>): Record<string, number> {
  const order = (code: string) => (REJECTION_REASONS as readonly string[]).indexOf(code);
  return Object.fromEntries([...counts].sort(([x], [y]) => order(x) - order(y)));
}
