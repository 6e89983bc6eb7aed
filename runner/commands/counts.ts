import { REJECTION_REASONS } from '../render/fields.ts';
import type { Renderer } from '../render/render.ts';
import type { OutboundRow } from '../snap/batches.ts';
import { viewNames } from '../render/views.ts';
import type { Watermark } from '../state/state.ts';
import type { Project } from './project.ts';

/** `where` clause and parameters for rows of the view aliased `v` past the watermark (all rows without one). */
function pastWatermark(r: Renderer, mark: Watermark | null): { where: string; params: unknown[] } {
  return mark ? { where: `where ${r.macro('after_watermark', { row: 'v' })}`, params: [mark.cursor, mark.cursor, mark.event_id] } : { where: '', params: [] };
}

/** Events in the outbound view past the watermark. */
export async function pendingCount(project: Project, name: string, mark: Watermark | null): Promise<number> {
  const { warehouse: wh, renderer: r } = project;
  const { where, params } = pastWatermark(r, mark);
  const [row] = await wh.query(`select count(*) as n from ${r.quote(wh.schema, viewNames(name).outbound)} as v ${where}`, params);
  return Number(row.n);
}

/** Rows the rejected view holds back past the watermark (all, without one), by reason in the README's order. */
export async function heldBack(project: Project, name: string, mark: Watermark | null): Promise<Record<string, number>> {
  const { warehouse: wh, renderer: r } = project;
  const { where, params } = pastWatermark(r, mark);
  const reason = r.quote('reason');
  const rows = await wh.query(`select v.${reason} as reason, count(*) as n from ${r.quote(wh.schema, viewNames(name).rejected)} as v ${where} group by v.${reason}`, params);
  return inReasonOrder(rows.map((row) => [String(row.reason), Number(row.n)]));
}

/** A row of the sync's read: with the held-back summary on, held-back rows come with their reason and no payload. */
export type ReadRow = OutboundRow & { reason?: string | null };

/**
 * The rows to send from each fetch of the sync's read; the others are counted into `counts` by
 * reason. Fetches left empty are skipped.
 */
export async function* sendable(fetches: AsyncIterable<ReadRow[]>, counts: Record<string, number>): AsyncIterable<OutboundRow[]> {
  for await (const rows of fetches) {
    const send = rows.filter((row) => row.reason == null);
    if (send.length < rows.length) {
      for (const row of rows) if (row.reason != null) counts[row.reason] = (counts[row.reason] ?? 0) + 1;
    }
    if (send.length > 0) yield send;
  }
}

/** Counts by reason, in the README's order of the reasons. */
export function inReasonOrder(counts: Iterable<[string, number]>): Record<string, number> {
  const order = (code: string) => (REJECTION_REASONS as readonly string[]).indexOf(code);
  return Object.fromEntries([...counts].sort(([x], [y]) => order(x) - order(y)));
}
