import { formatSeconds } from '../schedule/schedule.ts';
import { lagSeconds, type Coverage } from '../state/history.ts';

/** Days of history `report` shows and `status` sums coverage over, unless told otherwise. */
export const DEFAULT_DAYS = 30;

/**
 * `part` of `whole` in whole percent, rounded down below 100 so that 100% means every event (and
 * `<1%` means some): `99%`, not a rounded-up `100%`, for 221 of 222.
 */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '–';
  if (part >= whole) return '100%';
  const share = (100 * part) / whole;
  return part > 0 && share < 1 ? '<1%' : `${Math.floor(share)}%`;
}

/** Coverage and lag in one line: `em 86%, ph 83% of 222 event(s) sent in 30 days; lag 19m`. */
export function coverageLine(c: Coverage, days: number): string {
  if (c.sent === 0) return `no event sent in the last ${days} days; lag: none`;
  const carried = Object.entries(c.keys).filter(([, n]) => n > 0).map(([key, n]) => `${key} ${percent(n, c.sent)}`);
  return `${carried.join(', ') || 'no identifier recorded'} of ${c.sent} event(s) sent in ${days} days; lag ${formatSeconds(lagSeconds(c)!)}`;
}
