import { viewNames } from '../render/views.ts';
import { coverageLine, DEFAULT_DAYS } from '../report/format.ts';
import { History, lagSeconds } from '../state/history.ts';
import { formatWatermark } from '../state/state.ts';
import { heldBack, pendingCount } from './pending.ts';
import { withProject, type CommonOptions } from './project.ts';
import { iso, scheduling } from './scheduling.ts';

/**
 * Per activation: the watermark, events waiting to be sent, rows held back by reason, the match-key
 * coverage of the events sent in the last 30 days and the lag (as `report` counts them), the schedule
 * with the next due time, the alert status, the last runs. One log line (one JSON object) each.
 */
export async function status(options: CommonOptions): Promise<void> {
  await withProject(options, async (project) => {
    const { activations, warehouse: wh, state, log } = project;
    const history = new History(wh, project.renderer);
    for (const name of activations) {
      const views = viewNames(name);
      const current = await state.read(name);
      const mark = current.watermark;
      const pending = await pendingCount(project, name, current);
      const held = Object.entries(await heldBack(project, name));
      const coverage = await history.coverage(name, DEFAULT_DAYS);
      const runs = await state.lastRuns(name, 3);
      const timing = await scheduling(project, name);
      const alert = await state.alertStatus(name);
      const alertText = alert ? `${alert.status}${alert.changed_at ? ` since ${iso(alert.changed_at)}` : ''}` : 'ok (no change recorded yet)';
      log.info(
        [
          `${name}`,
          `  watermark: ${formatWatermark(mark) ?? 'none yet (the next sync starts from the beginning)'}`,
          `  pending: ${pending} event(s) in ${wh.schema}.${views.outbound} not sent yet`,
          `  held back: ${held.length ? held.map(([reason, n]) => `${n} ${reason}`).join(', ') : 'none'} (${wh.schema}.${views.rejected})`,
          `  match keys: ${coverageLine(coverage, DEFAULT_DAYS)}`,
          `  schedule: ${timing.text}`,
          `  alert status: ${alertText}`,
          ...runs.map((run) => `  run ${String(run.started_at instanceof Date ? run.started_at.toISOString() : run.started_at)}: ${run.status}, sent ${run.sent ?? 0}${run.error ? ` — ${run.error}` : ''}`),
        ].join('\n'),
        {
          activation: name, watermark: formatWatermark(mark), pending, held_back: Object.fromEntries(held),
          coverage: { days: DEFAULT_DAYS, sent: coverage.sent, keys: coverage.keys }, lag_seconds: lagSeconds(coverage), ...timing.fields,
          alert_status: alert?.status ?? 'ok', alert_changed_at: alert?.changed_at ? iso(alert.changed_at) : null,
        },
      );
    }
  });
}
