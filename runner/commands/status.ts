import { viewNames } from '../render/views.ts';
import { formatWatermark } from '../state/state.ts';
import { withProject, type CommonOptions } from './project.ts';

/** Per activation: the watermark, events waiting to be sent, rows held back by reason, the last runs. */
export async function status(options: CommonOptions): Promise<void> {
  await withProject(options, async ({ activations, warehouse: wh, renderer: r, state, log }) => {
    for (const name of activations) {
      const views = viewNames(name);
      const mark = await state.watermark(name);
      const where = mark ? `where ${r.macro('after_watermark', { row: 'v' })}` : '';
      const params = mark ? [mark.cursor, mark.cursor, mark.event_id] : [];
      const [{ n: pending }] = await wh.query(`select count(*) as n from ${r.quote(wh.schema, views.outbound)} as v ${where}`, params);
      const held = await wh.query(`select ${r.quote('reason')} as reason, count(*) as n from ${r.quote(wh.schema, views.rejected)} group by ${r.quote('reason')} order by 2 desc`);
      const runs = await state.lastRuns(name, 3);
      log.info(
        [
          `${name}`,
          `  watermark: ${formatWatermark(mark) ?? 'none yet (the next sync starts from the beginning)'}`,
          `  pending: ${Number(pending)} event(s) past the watermark in ${wh.schema}.${views.outbound}`,
          `  held back: ${held.length ? held.map((h) => `${Number(h.n)} ${h.reason}`).join(', ') : 'none'} (${wh.schema}.${views.rejected})`,
          ...runs.map((run) => `  run ${String(run.started_at instanceof Date ? run.started_at.toISOString() : run.started_at)}: ${run.status}, sent ${run.sent ?? 0}${run.error ? ` — ${run.error}` : ''}`),
        ].join('\n'),
        { activation: name, watermark: formatWatermark(mark), pending: Number(pending), held_back: Object.fromEntries(held.map((h) => [h.reason, Number(h.n)])) },
      );
    }
  });
}
