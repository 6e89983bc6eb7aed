import { viewNames } from '../render/views.ts';
import { formatWatermark } from '../state/state.ts';
import { heldBack, pendingCount } from './pending.ts';
import { withProject, type CommonOptions } from './project.ts';

/** Per activation: the watermark, events waiting to be sent, rows held back by reason, the last runs. */
export async function status(options: CommonOptions): Promise<void> {
  await withProject(options, async (project) => {
    const { activations, warehouse: wh, state, log } = project;
    for (const name of activations) {
      const views = viewNames(name);
      const current = await state.read(name);
      const mark = current.watermark;
      const pending = await pendingCount(project, name, current);
      const held = Object.entries(await heldBack(project, name));
      const runs = await state.lastRuns(name, 3);
      log.info(
        [
          `${name}`,
          `  watermark: ${formatWatermark(mark) ?? 'none yet (the next sync starts from the beginning)'}`,
          `  pending: ${pending} event(s) in ${wh.schema}.${views.outbound} not sent yet`,
          `  held back: ${held.length ? held.map(([reason, n]) => `${n} ${reason}`).join(', ') : 'none'} (${wh.schema}.${views.rejected})`,
          ...runs.map((run) => `  run ${String(run.started_at instanceof Date ? run.started_at.toISOString() : run.started_at)}: ${run.status}, sent ${run.sent ?? 0}${run.error ? ` — ${run.error}` : ''}`),
        ].join('\n'),
        { activation: name, watermark: formatWatermark(mark), pending, held_back: Object.fromEntries(held) },
      );
    }
  });
}
