import { viewNames } from '../render/views.ts';
import { scheduleOf } from '../schedule/plan.ts';
import { dueAfter, formatSeconds } from '../schedule/schedule.ts';
import { formatWatermark } from '../state/state.ts';
import { heldBack, pendingCount } from './pending.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';

/**
 * Per activation: the watermark, events waiting to be sent, rows held back by reason, the schedule
 * with the next due time, the alert status, the last runs. One log line (one JSON object) each.
 */
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
      const timing = await scheduling(project, name);
      const alert = await state.alertStatus(name);
      const alertText = alert ? `${alert.status}${alert.changed_at ? ` since ${iso(alert.changed_at)}` : ''}` : 'ok (no change recorded yet)';
      log.info(
        [
          `${name}`,
          `  watermark: ${formatWatermark(mark) ?? 'none yet (the next sync starts from the beginning)'}`,
          `  pending: ${pending} event(s) in ${wh.schema}.${views.outbound} not sent yet`,
          `  held back: ${held.length ? held.map(([reason, n]) => `${n} ${reason}`).join(', ') : 'none'} (${wh.schema}.${views.rejected})`,
          `  schedule: ${timing.text}`,
          `  alert status: ${alertText}`,
          ...runs.map((run) => `  run ${String(run.started_at instanceof Date ? run.started_at.toISOString() : run.started_at)}: ${run.status}, sent ${run.sent ?? 0}${run.error ? ` — ${run.error}` : ''}`),
        ].join('\n'),
        {
          activation: name, watermark: formatWatermark(mark), pending, held_back: Object.fromEntries(held), ...timing.fields,
          alert_status: alert?.status ?? 'ok', alert_changed_at: alert?.changed_at ? iso(alert.changed_at) : null,
        },
      );
    }
  });
}

/** The schedule, the last run and when the next is due (and whether it is late), as text and as fields. */
async function scheduling(project: Project, name: string): Promise<{ text: string; fields: Record<string, unknown> }> {
  const schedule = scheduleOf(project.config, name);
  const last = await project.state.lastRun(name);
  const lastRun = last ? { started_at: iso(last.started_at), status: last.status } : null;
  const lastText = last ? `last run ${lastRun!.started_at} (${last.status})` : 'never run';
  if (!schedule) {
    return { text: `none (not run by capi-sync serve; run it from your orchestrator); ${lastText}`, fields: { schedule: null, last_run: lastRun, next_due: null, overdue: null } };
  }
  const now = new Date();
  const { due, overdue } = dueAfter(schedule, last ? new Date(last.started_at * 1000) : null, now);
  const wait = due ? (due.getTime() - now.getTime()) / 1000 : 0;
  const dueText = !due ? 'no next run: the cron expression matches no later date'
    : overdue ? `next due ${iso(due.getTime() / 1000)}: overdue by ${formatSeconds(-wait)} (is capi-sync serve running?)`
      : wait <= 0 ? 'due now' : `next due ${iso(due.getTime() / 1000)} (in ${formatSeconds(wait)})`;
  return {
    text: `${schedule.describe}; ${lastText}; ${dueText}`,
    fields: { schedule: schedule.text, last_run: lastRun, next_due: due ? iso(due.getTime() / 1000) : null, overdue },
  };
}

/** Whole seconds, as the warehouse's times are read: `2026-11-30T21:27:13Z`. */
function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
