import type { ValueKind } from '../warehouse/types.ts';

// ISO 8601 as cursor_text writes it on every warehouse: a date, a time, fraction digits, an offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const INTEGER = /^-?\d+$/;

/**
 * Where a run starts reading: `seconds` before the watermark's cursor, written as the warehouse reads a
 * value of that kind back (ISO 8601, or a number). A timestamp goes back in time; a date by whole
 * days; a number by `seconds` (epoch seconds, as the default cursor event_time is). Text, and values
 * this cannot read (infinity, a year past 9999), have no arithmetic: the read starts at the watermark.
 * Rounding always goes back further, never less.
 */
export function scanStart(cursor: string, kind: ValueKind, seconds: number): string | undefined {
  if (seconds <= 0) return undefined;
  if (kind === 'number') {
    if (INTEGER.test(cursor)) return String(BigInt(cursor) - BigInt(seconds));
    const n = Number(cursor);
    return Number.isFinite(n) ? String(n - seconds) : undefined;
  }
  if (kind !== 'timestamp' && kind !== 'date') return undefined;
  const m = ISO.exec(cursor);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = m;
  // Date.UTC reads years 0-99 as 1900-1999; cursors that old are no real load time.
  if (Number(y) < 1000) return undefined;
  const offset = zone && zone !== 'Z' ? offsetMinutes(zone) : 0;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(fraction.slice(0, 3).padEnd(3, '0'))) - offset * 60_000;
  if (!Number.isFinite(at)) return undefined;
  if (kind === 'date' || !m[4]) {
    const day = new Date(at - Math.ceil(seconds / 86_400) * 86_400_000);
    return day.toISOString().slice(0, 10);
  }
  const start = new Date(at - seconds * 1000);
  // A value with an offset is an instant (UTC is as good as any); one without is a wall-clock time.
  return zone ? start.toISOString() : start.toISOString().slice(0, -1);
}

function offsetMinutes(zone: string): number {
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
}
