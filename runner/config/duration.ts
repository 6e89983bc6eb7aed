import { z } from 'zod';

const UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;

/** Seconds in a duration written `30s`, `15m`, `4h`, `1d` (or `0`); undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  if (text.trim() === '0') return 0;
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2] as keyof typeof UNITS] : undefined;
}

/** A config value that is a duration: `90s`, `15m`, `4h`, `1d`, or `0`; parsed to seconds. */
export const duration = z
  .union([z.string(), z.literal(0)])
  .transform((value, ctx) => {
    const seconds = durationSeconds(String(value));
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a duration; write a whole number with s, m, h or d, such as 90s, 15m, 4h or 1d` });
      return z.NEVER;
    }
    return seconds;
  });
