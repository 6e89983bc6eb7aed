import { scheduleOf } from '../schedule/plan.ts';
import { dueAfter, formatSeconds } from '../schedule/schedule.ts';
import type { Project } from './project.ts';

/** The schedule, the last run and when the next is due (and whether it is late), as text and as fields. */
export async function scheduling(project: Project, name: string): Promise<{ text: string; fields: Record<string, unknown> }> {
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
export function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
