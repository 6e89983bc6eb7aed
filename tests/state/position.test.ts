import { describe, expect, it } from 'vitest';
import { comparePositions } from '../../runner/state/position.ts';
import type { ValueKind } from '../../runner/warehouse/types.ts';

// The watermark order, (cursor, event_id), as the warehouse orders it: the greatest place a run read is
// where its watermark moves, so a wrong answer here skips events or sends them again.

const at = (cursor: string, event_id = 'e') => ({ cursor, event_id });
const order = (a: [string, string?], b: [string, string?], kind: ValueKind) => comparePositions(at(...a), at(...b), kind);

describe('comparePositions', () => {
  it.each<[string, [string, string?], '<' | '=' | '>', [string, string?], ValueKind]>([
    ['the same instant written in two zones, then the event_id', ['2026-03-01T12:00:00Z', 'a'], '<', ['2026-03-01T13:00:00+01:00', 'b'], 'timestamp'],
    ['nanoseconds count', ['2026-03-01T12:00:00.123456789Z'], '>', ['2026-03-01T12:00:00.12345678Z'], 'timestamp'],
    ['a fraction is a fraction, not digits', ['2026-03-01T12:00:00.5Z'], '>', ['2026-03-01T12:00:00.4999Z'], 'timestamp'],
    ['an offset without a colon', ['2026-03-01T12:00:00+0530'], '=', ['2026-03-01T06:30:00Z'], 'timestamp'],
    ['an offset of whole hours', ['2026-03-01T12:00:00+05'], '=', ['2026-03-01T07:00:00Z'], 'timestamp'],
    ['a negative offset', ['2026-03-01T12:00:00-08'], '<', ['2026-03-01T20:00:01Z'], 'timestamp'],
    ['a time without offset is UTC', ['2026-03-01 12:00:00'], '=', ['2026-03-01T12:00:00Z'], 'timestamp'],
    ['a year before 1000', ['0999-01-01'], '<', ['2026-01-01'], 'timestamp'],
    ['a date is its midnight', ['2026-03-01', 'e'], '<', ['2026-03-01T00:00:00Z', 'f'], 'date'],
    ['a later date', ['2026-03-02'], '>', ['2026-03-01T23:59:59.999999999Z'], 'date'],
    ['numbers by value, not as text', ['10'], '>', ['9'], 'number'],
    ['negative numbers', ['-1'], '<', ['1'], 'number'],
    ['negative fractions', ['-0.5'], '<', ['-0.25'], 'number'],
    ['decimals of different lengths', ['1.5'], '>', ['1.25'], 'number'],
    ['1 and 1.0 are one value, then the event_id', ['1', 'e'], '<', ['1.0', 'f'], 'number'],
    ['integers past 2^53, exactly', ['9007199254740993'], '>', ['9007199254740992'], 'number'],
    ['exponents as doubles', ['1e+20'], '<', ['2e+20'], 'number'],
    ['an exponent against a plain number', ['1e+20'], '>', ['1'], 'number'],
    ['text byte by byte: capitals first', ['B'], '<', ['a'], 'text'],
    ['text byte by byte: é after z', ['é'], '>', ['z'], 'text'],
    ['the same cursor: the event_id, byte by byte', ['same', 'e1'], '<', ['same', 'e2'], 'text'],
    ['event_ids byte by byte: capitals first', ['k', 'E'], '<', ['k', 'e'], 'text'],
    ['the same value of a kind capi-sync cannot order', ['x', 'a'], '<', ['x', 'b'], 'other'],
    ['the same place', ['2026-03-01T12:00:00Z', 'e'], '=', ['2026-03-01T12:00:00Z', 'e'], 'timestamp'],
  ])('%s: %j %s %j', (_, a, expected, b, kind) => {
    expect(order(a, b, kind)).toBe({ '<': -1, '=': 0, '>': 1 }[expected]);
    expect(order(b, a, kind)).toBe({ '<': 1, '=': 0, '>': -1 }[expected]);
  });

  it.each<[string, string, string, ValueKind]>([
    ['infinity', 'infinity', '2026-03-01', 'timestamp'],
    ['a date that is no date', '2026-03-01', 'bad', 'date'],
    ['NaN', 'NaN', '1', 'number'],
    ['two values of a kind capi-sync cannot order', 'x', 'y', 'other'],
  ])('no order for %s: the watermark stays', (_, a, b, kind) => {
    expect(order([a], [b], kind)).toBeUndefined();
    expect(order([b], [a], kind)).toBeUndefined();
  });
});
