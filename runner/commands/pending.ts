import { REJECTION_REASONS } from '../render/fields.ts';
import { viewNames } from '../render/views.ts';
import type { OutboundRow } from '../snap/batches.ts';
import { scanStart } from '../state/lookback.ts';
import { comparePositions } from '../state/position.ts';
import type { ActivationState, Watermark } from '../state/state.ts';
import type { Statement } from '../render/render.ts';
import type { Column, ValueKind } from '../warehouse/types.ts';
import type { Project } from './project.ts';

/** The runner's read of one activation, with what shaped it. */
export interface PendingRead {
  /** One statement, or one per connection when the read is split (warehouse.read_connections). */
  reads: Statement[];
  watermark: Watermark | null;
  /** The prepared view's cursor column: how places compare (see comparePositions). */
  cursor: Column;
  /** The cursor value the read starts at, when the look-back applies. */
  scanStart?: string;
  /** Why the look-back does not apply, when it is set but cannot (a text cursor). */
  lookbackNote?: string;
}

/**
 * The read of events not sent yet: past the watermark less the look-back, and not in the ledger. The
 * cursor's type decides how to go back (see scanStart) and how places compare; it is asked of the
 * warehouse without reading rows. With `parts`, the read is split in that many by a hash of the cursor.
 */
export async function pendingRead(project: Project, name: string, state: ActivationState, options: { reasons?: boolean; count?: boolean; parts?: number } = {}): Promise<PendingRead> {
  const { warehouse: wh, config } = project;
  const a = config.activations[name];
  const view = viewNames(name).prepared;
  const mark = state.watermark;
  const columns = await wh.columns(`select ${project.renderer.quote('cursor')} from ${project.renderer.quote(wh.schema, view)}`);
  const cursor = columns.find((c) => c.name === 'cursor') ?? { name: 'cursor', type: 'unknown', kind: 'other' };
  let start: string | undefined;
  let lookbackNote: string | undefined;
  if (mark && a.lookback > 0) {
    start = scanStart(mark.cursor, cursor.kind, a.lookback);
    if (start === undefined) lookbackNote = `activations.${name}.lookback does not apply to this cursor (${cursor.type}, value ${mark.cursor}): only rows past the watermark are read; use a timestamp or number cursor, or set lookback: 0`;
  }
  const parts = options.parts ?? 1;
  const reads = Array.from({ length: parts }, (_, part) => project.state.readStatement({
    activation: name, view, watermark: mark, scanStart: start, ledgerDays: a.max_event_age_days + 1, cursor,
    reasons: options.reasons, count: options.count, parts, part,
  }));
  return { reads, watermark: mark, cursor, scanStart: start, lookbackNote };
}

/** A row of the runner's read: held-back rows come with their reason and no payload. */
export type ReadRow = OutboundRow & { reason?: string | null };

/** What reading the rows told, beyond the events to send. */
export interface ReadTally {
  /** Rows held back past the watermark, by reason (rows read again within the look-back are not counted again). */
  heldBack: Record<string, number>;
  /** The greatest place read past the watermark whose row is settled by reading it (see syncActivation). */
  greatest?: Watermark;
  /** A cursor the runner could not place (see comparePositions): the watermark stays where it is. */
  unplaced?: string;
}

// A row held back for these reasons may be sent later without its cursor moving: the watermark stays
// before it, so the look-back reads it again.
const PENDING_REASONS = new Set(['event_in_future', 'missing_cursor']);

/**
 * The rows to send from each fetch of the read; the others are counted into `tally` by reason, which
 * also keeps the greatest place read (the read comes in no order). Fetches left empty are skipped.
 */
export async function* sendable(fetches: AsyncIterable<ReadRow[]>, tally: ReadTally, kind: ValueKind): AsyncIterable<OutboundRow[]> {
  for await (const rows of fetches) {
    const send: OutboundRow[] = [];
    for (const row of rows) {
      row.past = Number(row.past) === 1;
      if (row.reason == null) send.push(row);
      else if (row.past) tally.heldBack[row.reason] = (tally.heldBack[row.reason] ?? 0) + 1;
      if (!row.past || row.cursor == null || PENDING_REASONS.has(row.reason ?? '') || tally.unplaced !== undefined) continue;
      const place = { cursor: row.cursor, event_id: row.event_id };
      const order = tally.greatest ? comparePositions(place, tally.greatest, kind) : 1;
      if (order === undefined) tally.unplaced = row.cursor;
      else if (order > 0) tally.greatest = place;
    }
    if (send.length > 0) yield send;
  }
}

/** Fetches of several reads as they come, whichever is first; all are closed when one fails or the consumer stops. */
export async function* merged<T>(reads: AsyncIterable<T>[]): AsyncIterable<T> {
  if (reads.length === 1) return yield* reads[0];
  const iterators = reads.map((r) => r[Symbol.asyncIterator]());
  const next = (i: number) => {
    const pending = iterators[i].next().then((result) => ({ i, result }));
    // A read that fails while another's rows are handled is reported by the race that awaits it next, or
    // not at all once the merge is over (the first failure ends it): never as an unhandled rejection.
    pending.catch(() => {});
    return pending;
  };
  const waiting = new Map(iterators.map((_, i) => [i, next(i)]));
  try {
    while (waiting.size > 0) {
      const { i, result } = await Promise.race(waiting.values());
      if (result.done) waiting.delete(i);
      else {
        waiting.set(i, next(i));
        yield result.value;
      }
    }
  } finally {
    // Reads still open (a failure or a stop): each closes its cursor and gives its connection back.
    await Promise.allSettled([...waiting.keys()].map((i) => iterators[i].return?.()));
  }
}

/** Events the next sync would send. */
export async function pendingCount(project: Project, name: string, state: ActivationState): Promise<number> {
  const { reads: [read] } = await pendingRead(project, name, state, { count: true });
  const [row] = await project.warehouse.query(read.sql, read.params);
  return Number(row.n);
}

/** The events the next sync would send, counted, with the first `keep`: read with the sync's query, nothing sent. */
export async function pendingEvents(project: Project, name: string, keep: number): Promise<{ watermark: Watermark | null; count: number; first: OutboundRow[] }> {
  const { reads: [read], watermark } = await pendingRead(project, name, await project.state.read(name));
  const result = { watermark, count: 0, first: [] as OutboundRow[] };
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
