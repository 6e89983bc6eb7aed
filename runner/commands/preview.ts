import { viewNames } from '../render/views.ts';
import type { OutboundRow } from '../snap/batches.ts';
import type { Watermark } from '../state/state.ts';
import type { Project } from './project.ts';

export interface Pending {
  watermark: Watermark | null;
  /** Events past the watermark in the outbound view. */
  count: number;
  /** The first `keep` rows; their payloads are what would be posted. */
  first: OutboundRow[];
}

/** Reads what the next sync would send, with the same query, and sends nothing. */
export async function pending(project: Project, name: string, keep: number): Promise<Pending> {
  const { warehouse: wh, renderer: r, state, config } = project;
  const watermark = await state.watermark(name);
  const sql = r.macro('read_outbound', { schema: wh.schema, view: viewNames(name).outbound, after: Boolean(watermark) });
  const params = watermark ? [watermark.cursor, watermark.cursor, watermark.event_id] : [];
  const result: Pending = { watermark, count: 0, first: [] };
  for await (const rows of wh.stream(sql, params, { fetchSize: config.snapchat.batch_size }) as AsyncIterable<OutboundRow[]>) {
    for (const row of rows) if (result.first.length < keep) result.first.push(row);
    result.count += rows.length;
  }
  return result;
}
