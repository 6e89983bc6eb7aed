import { z } from 'zod';
import { parseSchedule } from '../schedule/schedule.ts';
import { duration } from './duration.ts';

/**
 * `schedule` and `warnings`, per activation and under the top-level `defaults:` block. Values are
 * checked here; the defaults that apply when a key is set nowhere live with the code that uses them
 * (runner/alerts/rules.ts, runner/schedule/).
 */

const OFF = 'or false to turn it off';

/** `value`, or `false` for "off": the message of a bad value says both. */
function orOff<T extends z.ZodType>(inner: T) {
  return z.unknown().transform((value, ctx): z.output<T> | false => {
    if (value === false) return false;
    const parsed = inner.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: `${issue.message}; ${OFF}` });
    return z.NEVER;
  });
}

/** An interval or a 5-field cron expression in UTC, or false: not run by `capi-sync serve`. */
export const scheduleSchema = orOff(
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    try {
      return parseSchedule(String(value)).text;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  }),
);

const positiveDuration = duration.refine((seconds) => seconds > 0, 'must be longer than 0');

const localHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The alert webhook. Its URL is a secret (a Slack webhook URL carries its token): no message quotes it. */
const webhook = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a URL; write ${ALERT_WEBHOOK_URL} and set it to the https:// address of the webhook (a Slack incoming webhook, for example)' });
    return;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && localHosts.has(url.hostname))) return;
  ctx.addIssue({ code: 'custom', message: 'use an https:// URL (plain http:// only for 127.0.0.1 or localhost)' });
});

/** Each key may be false to turn that warning off. Defaults: see WarningRules in runner/alerts/rules.ts. */
export const warningsSchema = z.strictObject({
  /** Share of a run's rows held back by the view or refused by Snap, 0–1. */
  rejected_rate_above: orOff(z.number().min(0).max(1)).optional(),
  /** Events Snap refused in one run. */
  refused_above: orOff(z.number().int().min(0)).optional(),
  /** No event sent for this long although capi-sync ran (a duration). */
  no_events_for: orOff(positiveDuration).optional(),
  /** The newest event sent has an event_time older than this (a duration). */
  newest_event_older_than: orOff(positiveDuration).optional(),
  /** A run lasting longer than this (a duration). */
  run_longer_than: orOff(positiveDuration).optional(),
  /** Slack-compatible webhook told of every change of the activation's status; write ${ALERT_WEBHOOK_URL}. */
  webhook: orOff(webhook).optional(),
});

/** Top-level `defaults:`: what every activation gets unless it sets the key itself. */
export const defaultsSchema = z.strictObject({
  schedule: scheduleSchema.optional(),
  warnings: warningsSchema.optional(),
});

export type WarningsConfig = z.infer<typeof warningsSchema>;
