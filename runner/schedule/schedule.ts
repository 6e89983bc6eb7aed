import { Cron } from 'croner';
import { durationSeconds } from '../config/duration.ts';

/** When `capi-sync serve` runs an activation: an interval, or a 5-field cron expression read in UTC. */
export interface Schedule {
  /** As written in the config: `15m`, `0 2 * * *`. */
  text: string;
  /** For people: `every 15m`, `cron "0 2 * * *" (UTC)`. */
  describe: string;
  /** The first tick strictly after `time`; null for a cron expression that never matches again. */
  next(time: Date): Date | null;
}

/** The cron fields people mean by "cron": minute hour day-of-month month day-of-week, or a nickname. */
const CRON_HINT = 'write an interval (30s, 15m, 4h, 1d) or a 5-field cron expression read in UTC (minute hour day-of-month month day-of-week, e.g. "0 2 * * *" or "*/15 * * * *")';

/**
 * Reads a schedule; throws an Error whose message says what is wrong and what to write instead.
 * Cron expressions are parsed by croner (5 fields, or a nickname such as @daily), with the day-of-month
 * and day-of-week fields OR-ed as Vixie cron does; an interval is a duration of runner/config/duration.ts.
 */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  const seconds = durationSeconds(trimmed);
  if (seconds !== undefined) {
    if (seconds === 0) throw new Error(`"${trimmed}" is no interval; ${CRON_HINT}, or false for none`);
    return { text: trimmed, describe: `every ${trimmed}`, next: (time) => new Date(time.getTime() + seconds * 1000) };
  }
  if (/^\d+\s*[a-z]*$/i.test(trimmed)) throw new Error(`"${trimmed}" is not an interval: use a whole number with s, m, h or d (30s, 15m, 4h, 1d)`);
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith('@') && fields !== 5) {
    throw new Error(fields === 1 ? `"${trimmed}" is not a schedule; ${CRON_HINT}` : `"${trimmed}" is not a schedule: it has ${fields} fields where cron has 5; ${CRON_HINT}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(trimmed, { timezone: 'UTC', mode: '5-part', paused: true });
  } catch (error) {
    throw new Error(`"${trimmed}" is not a schedule (${(error as Error).message.replace(/^CronPattern: /, '')}); ${CRON_HINT}`);
  }
  if (cron.nextRun(new Date()) === null) throw new Error(`"${trimmed}" never matches a date (such as 31 February); ${CRON_HINT}`);
  return { text: trimmed, describe: `cron "${trimmed}" (UTC)`, next: (time) => cron.nextRun(time) };
}

/** Where a run leaves the schedule: the next tick, and the ticks that fell while it ran (skipped). */
export interface NextTick {
  /** The first tick after the run ended; null when a cron expression never matches again. */
  due: Date | null;
  /** Ticks that fell between the run's start and its end: not run, so runs never pile up. */
  skipped: number;
}

/** Ticks counted one by one at most this many times (a cron expression); past it, only the count is lost. */
const MAX_COUNTED = 10_000;

/**
 * The next tick after a run that started at `started` and ended at `ended`. Ticks stay on the grid
 * the run's start set (`started` + k × interval, or the cron's own times): a run that lasts past one
 * or more ticks skips them instead of starting again at once.
 */
export function nextTick(schedule: Schedule, started: Date, ended: Date): NextTick {
  let due = schedule.next(started);
  let skipped = 0;
  while (due !== null && due.getTime() <= ended.getTime()) {
    if (++skipped >= MAX_COUNTED) return { due: schedule.next(ended), skipped };
    due = schedule.next(due);
  }
  return { due, skipped };
}

/** A run starts this late after its due time before `status` calls the activation overdue, in seconds. */
export const OVERDUE_AFTER_SECONDS = 60;

/** When an activation is next due given its last run's start (null: never run, so due now). */
export function dueAfter(schedule: Schedule, lastStart: Date | null, now: Date): { due: Date | null; overdue: boolean } {
  const due = lastStart ? schedule.next(lastStart) : now;
  return { due, overdue: due !== null && now.getTime() - due.getTime() > OVERDUE_AFTER_SECONDS * 1000 };
}

/** A span of seconds for people: `45 s`, `15m`, `2h 5m`, `3d 4h`. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return `${s} s`;
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return s % 60 > 0 && m < 10 ? `${m}m ${s % 60}s` : `${m}m`;
}
