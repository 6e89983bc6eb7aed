import { scheduleOf } from '../schedule/plan.ts';
import { dueAfter, formatSeconds } from '../schedule/schedule.ts';
import type { Project } from './project.ts';

/** An activation's schedule, last run and next due time, as status and the report tell them. */
export interface Timing {
  /** Each part for people: the schedule, the last run (`never`), the next run (`not scheduled`). */
  parts: { schedule: string; last: string; next: string };
  /** The parts in one line, as status prints it. */
  text: string;
  /** As JSON fields: schedule, last_run (started_at, status), next_due, overdue. */
  fields: Record<string, unknown>;
}

/** The schedule, the last run and when the next is due (and whether it is late), as text and as fields. */
export async function scheduling(project: Project, name: string): Promise<Timing> {
  const schedule = scheduleOf(project.config, name);
  const last = await project.state.lastRun(name);
  const lastRun = last ? { started_at: iso(last.started_at), status: last.status } : null;
  const lastPart = last ? `${lastRun!.started_at} (${last.status})` : 'never';
  const lastText = last ? `last run ${lastPart}` : 'never run';
  if (!schedule) {
    const none = 'none (not run by capi-sync serve; run it from your orchestrator)';
    return { parts: { schedule: none, last: lastPart, next: 'not scheduled' }, text: `${none}; ${lastText}`, fields: { schedule: null, last_run: lastRun, next_due: null, overdue: null } };
  }
  const now = new Date();
  const { due, overdue } = dueAfter(schedule, last ? new Date(last.started_at * 1000) : null, now);
  const wait = due ? (due.getTime() - now.getTime()) / 1000 : 0;
  const next = !due ? 'none: the cron expression matches no later date'
    : overdue ? `${iso(due.getTime() / 1000)}: overdue by ${formatSeconds(-wait)} (is capi-sync serve running?)`
      : wait <= 0 ? 'now' : `${iso(due.getTime() / 1000)} (in ${formatSeconds(wait)})`;
  const dueText = !due ? 'no next run: the cron expression matches no later date' : wait <= 0 && !overdue ? 'due now' : `next due ${next}`;
  return {
    parts: { schedule: schedule.describe, last: lastPart, next },
    text: `${schedule.describe}; ${lastText}; ${dueText}`,
    fields: { schedule: schedule.text, last_run: lastRun, next_due: due ? iso(due.getTime() / 1000) : null, overdue },
  };
}

/** Whole seconds, as the warehouse's times are read: `2026-11-30T21:27:13Z`. */
export function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
