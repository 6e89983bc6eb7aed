import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { ConfigError } from '../../runner/errors.ts';
import { SchedulePlan, scheduleOf, servedSchedules } from '../../runner/schedule/plan.ts';
import { dueAfter, formatSeconds, nextTick, parseSchedule } from '../../runner/schedule/schedule.ts';

const at = (iso: string) => new Date(iso);
const T0 = at('2026-03-10T10:07:30Z'); // a Tuesday

describe('schedule parsing', () => {
  it.each([
    ['30s', 'every 30s', '2026-03-10T10:08:00.000Z'],
    ['15m', 'every 15m', '2026-03-10T10:22:30.000Z'],
    ['4h', 'every 4h', '2026-03-10T14:07:30.000Z'],
    ['1d', 'every 1d', '2026-03-11T10:07:30.000Z'],
    ['*/15 * * * *', 'cron "*/15 * * * *" (UTC)', '2026-03-10T10:15:00.000Z'],
    ['0 2 * * *', 'cron "0 2 * * *" (UTC)', '2026-03-11T02:00:00.000Z'],
    ['30 9 * * MON-FRI', 'cron "30 9 * * MON-FRI" (UTC)', '2026-03-11T09:30:00.000Z'],
    ['0 0 1 * *', 'cron "0 0 1 * *" (UTC)', '2026-04-01T00:00:00.000Z'],
    ['@daily', 'cron "@daily" (UTC)', '2026-03-11T00:00:00.000Z'],
    ['  15m ', 'every 15m', '2026-03-10T10:22:30.000Z'],
  ])('%j is read as %s; the next tick after 10:07:30 UTC is %s', (text, describe, next) => {
    const schedule = parseSchedule(text);
    expect(schedule.describe).toBe(describe);
    expect(schedule.next(T0)?.toISOString()).toBe(next);
  });

  it('reads cron in UTC whatever the process time zone says', () => {
    // The TZ of this process is whatever the machine has; the answer must not move with it.
    expect(parseSchedule('0 2 * * *').next(at('2026-07-01T01:59:00Z'))?.toISOString()).toBe('2026-07-01T02:00:00.000Z');
  });

  it.each([
    ['banana', /^"banana" is not a schedule; write an interval \(30s, 15m, 4h, 1d\) or a 5-field cron expression read in UTC/],
    ['*/5 * * *', /"\*\/5 \* \* \*" is not a schedule: it has 4 fields where cron has 5/],
    ['@every_day', /"@every_day" is not a schedule \(/],
    ['0', /"0" is no interval/],
    ['15', /"15" is not an interval: use a whole number with s, m, h or d/],
    ['15 m', /"15 m" is not an interval/],
    ['1w', /"1w" is not an interval/],
    ['61 * * * *', /not a schedule \(Invalid value for minute: 61\)/],
    ['0 0 * * * *', /not a schedule: it has 6 fields where cron has 5/],
    ['0 0 31 2 *', /never matches a date/],
    ['', /is not a schedule/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(message);
  });
});

describe('ticks', () => {
  const every2s = parseSchedule('2s');
  it('a run shorter than the interval skips nothing', () => {
    expect(nextTick(every2s, at('2026-03-10T10:00:00Z'), at('2026-03-10T10:00:01.5Z'))).toEqual({ due: at('2026-03-10T10:00:02Z'), skipped: 0 });
  });
  it('ticks that fall while a run lasts are skipped, and the grid stays on the run start', () => {
    expect(nextTick(every2s, at('2026-03-10T10:00:00Z'), at('2026-03-10T10:00:05.1Z'))).toEqual({ due: at('2026-03-10T10:00:06Z'), skipped: 2 });
  });
  it('a cron run that outlasts its next time skips it', () => {
    const hourly = parseSchedule('0 * * * *');
    expect(nextTick(hourly, at('2026-03-10T10:00:00Z'), at('2026-03-10T11:20:00Z'))).toEqual({ due: at('2026-03-10T12:00:00Z'), skipped: 1 });
  });
  it('is due now when never run; overdue a minute after a missed tick', () => {
    const now = at('2026-03-10T10:20:00Z');
    expect(dueAfter(parseSchedule('15m'), null, now)).toEqual({ due: now, overdue: false });
    expect(dueAfter(parseSchedule('15m'), at('2026-03-10T10:10:00Z'), now)).toEqual({ due: at('2026-03-10T10:25:00Z'), overdue: false });
    expect(dueAfter(parseSchedule('15m'), at('2026-03-10T10:04:30Z'), now)).toEqual({ due: at('2026-03-10T10:19:30Z'), overdue: false });
    expect(dueAfter(parseSchedule('15m'), at('2026-03-10T10:03:00Z'), now)).toEqual({ due: at('2026-03-10T10:18:00Z'), overdue: true });
  });
  it.each([[0, '0 s'], [45, '45 s'], [90, '1m 30s'], [900, '15m'], [7500, '2h 5m'], [86_400, '1d'], [97_200, '1d 3h']])('%d s reads %s', (s, text) => {
    expect(formatSeconds(s)).toBe(text);
  });
});

describe('the serve plan', () => {
  const schedules = new Map([['a', parseSchedule('10m')], ['b', parseSchedule('0 * * * *')]]);
  it('resumes from the last recorded run: due at once when a tick passed, else at the next', () => {
    const plan = new SchedulePlan(schedules);
    const now = at('2026-03-10T10:30:00Z');
    plan.resume('a', at('2026-03-10T10:25:00Z'), now);
    plan.resume('b', at('2026-03-10T09:00:00Z'), now); // 10:00 passed while nothing ran
    expect(plan.nextDue('a')).toEqual(at('2026-03-10T10:35:00Z'));
    expect(plan.due(now)).toEqual(['b']);
    expect(plan.msUntilNext(now)).toBe(0);
    plan.ran('b', now, at('2026-03-10T10:30:05Z'));
    expect(plan.due(now)).toEqual([]);
    expect(plan.msUntilNext(now)).toBe(5 * 60_000);
  });
  it('keeps the next tick of an unchanged schedule across a config change; a changed one is due from its last start', () => {
    const plan = new SchedulePlan(schedules);
    const now = at('2026-03-10T10:30:00Z');
    plan.resume('a', at('2026-03-10T10:25:00Z'), now);
    plan.resume('b', at('2026-03-10T10:00:00Z'), now);
    const next = plan.reconfigure(new Map([['a', parseSchedule('10m')], ['b', parseSchedule('20m')], ['c', parseSchedule('1h')]]), now);
    expect(next.nextDue('a')).toEqual(at('2026-03-10T10:35:00Z'));
    expect(next.nextDue('b')).toEqual(now); // 10:00 + 20m passed
    expect(next.nextDue('c')).toEqual(now); // new: never seen run
  });
});

const CONFIG = (extra: string, activation = '') => `
warehouse: { type: pglite }
snapchat: { endpoint: sandbox }
${extra}
activations:
  orders:
    pixel_id: px
    event_name: PURCHASE
    source: shop.orders
    cursor: loaded_at
    mapping: { event_time: paid_at, email: mail }
${activation}
  refunds:
    pixel_id: px
    event_name: PURCHASE
    source: shop.refunds
    cursor: loaded_at
    mapping: { event_time: paid_at, email: mail }
`;

function problems(text: string): string[] {
  try {
    parseConfig(text, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('schedule: in the config', () => {
  it('refuses a schedule that is neither an interval nor cron, naming the key', () => {
    expect(problems(CONFIG('', '    schedule: banana'))).toEqual([expect.stringMatching(/^activations\.orders\.schedule: "banana" is not a schedule; .*; or false to turn it off$/)]);
    expect(problems(CONFIG('defaults: { schedule: "*/5 * * *" }'))).toEqual([expect.stringMatching(/^defaults\.schedule: "\*\/5 \* \* \*" is not a schedule/)]);
  });

  it('takes defaults.schedule unless the activation sets its own, or false', () => {
    const config = parseConfig(CONFIG('defaults: { schedule: 15m }', '    schedule: "0 3 * * *"'), {});
    expect(scheduleOf(config, 'orders')?.describe).toBe('cron "0 3 * * *" (UTC)');
    expect(scheduleOf(config, 'refunds')?.describe).toBe('every 15m');
    const off = parseConfig(CONFIG('defaults: { schedule: 15m }', '    schedule: false'), {});
    expect(scheduleOf(off, 'orders')).toBeNull();
    expect([...servedSchedules(off, ['orders', 'refunds'], false).keys()]).toEqual(['refunds']);
  });

  it('serve needs a schedule: for an activation named on the command line, and for at least one', () => {
    const config = parseConfig(CONFIG('', '    schedule: 1h'), {});
    expect(() => servedSchedules(config, ['refunds'], true)).toThrow(/activations\.refunds\.schedule: not set/);
    const none = parseConfig(CONFIG(''), {});
    expect(() => servedSchedules(none, ['orders', 'refunds'], false)).toThrow(/schedule: no activation has one/);
  });
});
