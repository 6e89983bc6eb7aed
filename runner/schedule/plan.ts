import type { Config } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { nextTick, parseSchedule, type NextTick, type Schedule } from './schedule.ts';

/** The schedule of an activation: its own `schedule:`, else `defaults.schedule`; null when neither (or false). */
export function scheduleOf(config: Pick<Config, 'defaults' | 'activations'>, activation: string): Schedule | null {
  const own = config.activations[activation]?.schedule;
  const text = own !== undefined ? own : config.defaults?.schedule;
  return text === undefined || text === false ? null : parseSchedule(text);
}

/**
 * The schedules `serve` runs: of the chosen activations (all by default), those with a schedule. A
 * chosen activation without one, or none at all scheduled, is a config error.
 */
export function servedSchedules(config: Pick<Config, 'defaults' | 'activations'>, chosen: string[], explicit: boolean): Map<string, Schedule> {
  const out = new Map<string, Schedule>();
  const missing: string[] = [];
  for (const name of chosen) {
    const schedule = scheduleOf(config, name);
    if (schedule) out.set(name, schedule);
    else if (explicit) missing.push(`activations.${name}.schedule: not set, and serve runs activations on their schedule; add schedule: 15m (an interval) or a 5-field cron such as "0 * * * *" (UTC)`);
  }
  if (missing.length > 0) throw new ConfigError(missing);
  if (out.size === 0) throw new ConfigError('schedule: no activation has one, so serve has nothing to run; add schedule: 15m to an activation, or defaults: {schedule: 15m} for all');
  return out;
}

interface Entry {
  schedule: Schedule;
  /** When it runs next; null: a cron expression that never matches again. */
  due: Date | null;
  /** Start of its last run, recorded or seen here. */
  lastStart: Date | null;
}

/** When each served activation runs next. Pure: the caller passes the times. */
export class SchedulePlan {
  private readonly entries = new Map<string, Entry>();

  constructor(schedules: Map<string, Schedule>) {
    for (const [name, schedule] of schedules) this.entries.set(name, { schedule, due: null, lastStart: null });
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  schedule(name: string): Schedule {
    return this.entries.get(name)!.schedule;
  }

  nextDue(name: string): Date | null {
    return this.entries.get(name)!.due;
  }

  /** From the last recorded run (null: none): due now when a tick passed since, else at the next tick. */
  resume(name: string, lastStart: Date | null, now: Date): void {
    const entry = this.entries.get(name)!;
    entry.lastStart = lastStart;
    const next = lastStart ? entry.schedule.next(lastStart) : now;
    entry.due = next !== null && next.getTime() < now.getTime() ? now : next;
  }

  /** The activations due at `now`, the longest waiting first. */
  due(now: Date): string[] {
    return [...this.entries].filter(([, e]) => e.due !== null && e.due.getTime() <= now.getTime())
      .sort(([, a], [, b]) => a.due!.getTime() - b.due!.getTime()).map(([name]) => name);
  }

  /** Ms until the next activation is due (0 if one is); null when none ever is. */
  msUntilNext(now: Date): number | null {
    const times = [...this.entries.values()].flatMap((e) => (e.due ? [e.due.getTime()] : []));
    return times.length === 0 ? null : Math.max(0, Math.min(...times) - now.getTime());
  }

  /** After a run (or an attempt) from `started` to `ended`: the next tick, ticks that fell meanwhile skipped. */
  ran(name: string, started: Date, ended: Date): NextTick {
    const entry = this.entries.get(name)!;
    entry.lastStart = started;
    const next = nextTick(entry.schedule, started, ended);
    entry.due = next.due;
    return next;
  }

  /**
   * The plan for new schedules (a config change): an activation whose schedule is unchanged keeps its
   * next tick; a new or changed one is due from its last start under the new schedule (or now).
   */
  reconfigure(schedules: Map<string, Schedule>, now: Date): SchedulePlan {
    const plan = new SchedulePlan(schedules);
    for (const name of plan.names()) {
      const old = this.entries.get(name);
      if (old && old.schedule.text === schedules.get(name)!.text) Object.assign(plan.entries.get(name)!, old, { schedule: schedules.get(name)! });
      else plan.resume(name, old?.lastStart ?? null, now);
    }
    return plan;
  }
}
