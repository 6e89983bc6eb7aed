import { REJECTION_REASONS } from '../render/fields.ts';
import type { Renderer } from '../render/render.ts';
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
  const order = (code: string) => (REJECTION_REASONS as readonly string[]).indexOf(code);
  rows.sort((x, y) => order(String(x.reason)) - order(String(y.reason)));
  return Object.fromEntries(rows.map((row) => [String(row.reason), Number(row.n)]));
}
