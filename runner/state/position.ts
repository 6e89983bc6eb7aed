import type { ValueKind } from '../warehouse/types.ts';
import type { Watermark } from './state.ts';

// ISO 8601 as cursor_text writes a timestamp or a date on every warehouse.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Orders two places in the watermark order, (cursor, event_id), as the warehouse does: the cursor by its
 * kind (a time by the instant it names, a number by its value, text byte by byte as read_outbound
 * compares it), then the event_id byte by byte. Undefined when a cursor cannot be read as its kind
 * (infinity, a year past 9999): the caller then leaves the watermark where it is.
 */
export function comparePositions(a: Watermark, b: Watermark, kind: ValueKind): number | undefined {
  const byCursor = compareCursors(a.cursor, b.cursor, kind);
  if (byCursor === undefined || byCursor !== 0) return byCursor;
  return Buffer.compare(Buffer.from(a.event_id), Buffer.from(b.event_id));
}

function compareCursors(a: string, b: string, kind: ValueKind): number | undefined {
  if (a === b) return 0;
  switch (kind) {
    case 'timestamp':
    case 'date': {
      const [x, y] = [instant(a), instant(b)];
      return x === undefined || y === undefined ? undefined : x < y ? -1 : x > y ? 1 : 0;
    }
    case 'number':
      return compareNumbers(a, b);
    case 'text':
      return Buffer.compare(Buffer.from(a), Buffer.from(b));
    default:
      return undefined;
  }
}

/** Nanoseconds since 1970 of an ISO 8601 date or time (a time without an offset read as UTC). */
function instant(text: string): bigint | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  let offset = 0;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offset = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
  }
  return (BigInt(date.getTime() - offset * 60_000) * 1_000_000n) + BigInt(fraction.padEnd(9, '0') || '0');
}

/** Numbers as the warehouse writes them: plain decimals compared exactly, anything else (1e+20) as doubles. */
function compareNumbers(a: string, b: string): number | undefined {
  const [x, y] = [DECIMAL.exec(a), DECIMAL.exec(b)];
  if (!x || !y) {
    const [p, q] = [Number(a), Number(b)];
    return Number.isNaN(p) || Number.isNaN(q) ? undefined : Math.sign(p - q);
  }
  const scale = Math.max(x[3]?.length ?? 0, y[3]?.length ?? 0);
  const value = (m: RegExpExecArray) => BigInt(`${m[1]}${m[2]}${(m[3] ?? '').padEnd(scale, '0')}`);
  const [p, q] = [value(x), value(y)];
  return p < q ? -1 : p > q ? 1 : 0;
}
