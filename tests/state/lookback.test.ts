import { describe, expect, it } from 'vitest';
import { scanStart } from '../../runner/state/lookback.ts';
import type { ValueKind } from '../../runner/warehouse/types.ts';

// Where a run starts reading: the watermark's cursor less the look-back, written as the warehouse reads
// a value of the cursor's kind back. Rounding goes back further, never less.

describe('scanStart', () => {
  it.each<[string, string, ValueKind, number, string]>([
    ['an epoch number', '1000', 'number', 3600, '-2600'],
    ['a negative number', '-5', 'number', 10, '-15'],
    ['an integer past 2^53, exactly', '9007199254740993', 'number', 1, '9007199254740992'],
    ['a decimal', '1000.5', 'number', 3600, '-2599.5'],
    ['a time in UTC', '2026-03-01T12:00:00Z', 'timestamp', 3600, '2026-03-01T11:00:00.000Z'],
    ['a time with an offset, as an instant', '2026-03-01T12:00:00+05:30', 'timestamp', 3600, '2026-03-01T05:30:00.000Z'],
    ['an offset without a colon', '2026-03-01T12:00:00-0800', 'timestamp', 3600, '2026-03-01T19:00:00.000Z'],
    ['an offset of whole hours', '2026-03-01T12:00:00+05', 'timestamp', 60, '2026-03-01T06:59:00.000Z'],
    ['a space before the offset, and a fraction', '2026-03-01 12:00:00.5 +01:00', 'timestamp', 1, '2026-03-01T10:59:59.500Z'],
    ['a time without offset, as a wall-clock time', '2026-03-01 12:00:00', 'timestamp', 3600, '2026-03-01T11:00:00.000'],
    ['microseconds, cut to the millisecond before them', '2026-03-01T12:00:00.123456Z', 'timestamp', 1, '2026-03-01T11:59:59.123Z'],
    ['a tenth of a second', '2026-03-01T12:00:00.9Z', 'timestamp', 1, '2026-03-01T11:59:59.900Z'],
    ['a date, by whole days', '2026-03-01', 'date', 3600, '2026-02-28'],
    ['a date, a day and an hour back: two days', '2026-03-01', 'date', 90_000, '2026-02-27'],
    ['a date read back with a time, by days', '2026-03-01T00:00:00Z', 'date', 86_400, '2026-02-28'],
    ['a timestamp column holding a date alone, by days', '2026-03-01', 'timestamp', 1, '2026-02-28'],
  ])('%s: %s less %i s → %s', (_, cursor, kind, seconds, start) => {
    expect(scanStart(cursor, kind, seconds)).toBe(start);
  });

  it.each<[string, string, ValueKind, number]>([
    ['no look-back', '2026-03-01T12:00:00Z', 'timestamp', 0],
    ['a negative look-back', '1000', 'number', -1],
    ['text, which has no arithmetic', 'k1', 'text', 5],
    ['a type capi-sync cannot place', 'x', 'other', 5],
    ['a number too large for a double', '1e400', 'number', 1],
    ['no number', 'abc', 'number', 1],
    ['infinity', 'infinity', 'timestamp', 1],
    ['a year before 1000 (Date.UTC would read 99 as 1999)', '0999-01-01', 'timestamp', 1],
    ['a year past 9999', '10000-01-01', 'timestamp', 1],
    ['a time followed by text', '2026-03-01T12:00:00Z!', 'timestamp', 1],
  ])('none for %s: the read starts at the watermark', (_, cursor, kind, seconds) => {
    expect(scanStart(cursor, kind, seconds)).toBeUndefined();
  });
});
