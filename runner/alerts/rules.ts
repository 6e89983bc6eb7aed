import type { Config } from '../config/schema.ts';
import type { WarningsConfig } from '../config/schedule-warnings.ts';
import { formatSeconds } from '../schedule/schedule.ts';

/**
 * The warnings of one activation, after its own `warnings:` and the top-level `defaults.warnings`.
 * `false` turns a warning off. A failed run is always reported (alert status `failed`), whatever is set.
 */
export interface WarningRules {
  /** A run whose rows were held back by the view or refused by Snap above this share (0–1). Default 0.5. */
  rejected_rate_above: number | false;
  /** A run in which Snap refused more than this many events. Default 0: any refused event. */
  refused_above: number | false;
  /** Seconds without any event sent although runs ran (the activation has run for at least as long). Default 1 day. */
  no_events_for: number | false;
  /** Seconds: the newest event sent has an event_time older than this. Default off (data arrives late in many shops). */
  newest_event_older_than: number | false;
  /** Seconds a run may last. Default 1 hour. */
  run_longer_than: number | false;
  /** Where alerts go; default none. */
  webhook: string | false;
}

export const DEFAULT_RULES: WarningRules = {
  rejected_rate_above: 0.5,
  refused_above: 0,
  no_events_for: 86_400,
  newest_event_older_than: false,
  run_longer_than: 3600,
  webhook: false,
};

/** Built-in defaults, then `defaults.warnings`, then the activation's own `warnings:`, key by key. */
export function warningRules(config: Pick<Config, 'defaults' | 'activations'>, activation: string): WarningRules {
  const defined = (w: WarningsConfig | undefined) => Object.fromEntries(Object.entries(w ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_RULES, ...defined(config.defaults?.warnings), ...defined(config.activations[activation]?.warnings) } as WarningRules;
}

/** What one run did, as the rules read it. */
export interface RunFacts {
  sent: number;
  rejected_by_view: number;
  rejected_by_snap: number;
  /** How long the run lasted. */
  seconds: number;
}

/** What the warehouse remembers of earlier runs; times in Unix seconds, by the warehouse's clock. */
export interface HistoryFacts {
  now: number;
  /** Start of the activation's first recorded run (this one, if it is the first). */
  first_run_at: number | null;
  /** End of the last earlier run that sent at least one event. */
  last_sent_at: number | null;
  /** Newest event_time among the events accepted within `newest_event_older_than` (null: none, or the rule is off). */
  newest_event_time: number | null;
}

/** Where a person looks next: the schema of capi-sync's views and tables. */
export interface RuleContext {
  activation: string;
  schema: string;
}

/** The warnings one finished run fires, each a sentence naming the activation, the rule and where to look. */
export function firedWarnings(rules: WarningRules, run: RunFacts, history: HistoryFacts | null, where: RuleContext): string[] {
  const { activation: name, schema } = where;
  const out: string[] = [];
  const total = run.sent + run.rejected_by_view + run.rejected_by_snap;
  const lost = run.rejected_by_view + run.rejected_by_snap;
  if (rules.rejected_rate_above !== false && total > 0 && lost / total > rules.rejected_rate_above) {
    const see = [run.rejected_by_view > 0 && `${schema}.${name}_rejected`, run.rejected_by_snap > 0 && `${schema}.capi_sync_delivery_errors`].filter(Boolean).join(' and ');
    out.push(`${name}: ${((lost / total) * 100).toFixed(1)}% of events were held back or refused (above rejected_rate_above ${rules.rejected_rate_above}); see ${see}`);
  }
  if (rules.refused_above !== false && run.rejected_by_snap > rules.refused_above) {
    out.push(`${name}: Snap refused ${run.rejected_by_snap} event(s) (above refused_above ${rules.refused_above}); Snap's message for each is in ${schema}.capi_sync_delivery_errors`);
  }
  if (rules.run_longer_than !== false && run.seconds > rules.run_longer_than) {
    out.push(`${name}: the run took ${formatSeconds(run.seconds)} (above run_longer_than ${formatSeconds(rules.run_longer_than)}); check the retries in ${schema}.capi_sync_runs and how long the warehouse takes to read ${schema}.${name}_prepared`);
  }
  if (!history) return out;
  const ranFor = (seconds: number) => history.first_run_at !== null && history.now - history.first_run_at >= seconds;
  if (rules.no_events_for !== false && run.sent === 0 && ranFor(rules.no_events_for)) {
    const last = history.last_sent_at;
    if (last === null || history.now - last >= rules.no_events_for) {
      const since = last === null ? 'no event was ever sent' : `no event sent for ${formatSeconds(history.now - last)}`;
      out.push(`${name}: ${since} (no_events_for ${formatSeconds(rules.no_events_for)}) although capi-sync ran; check that new rows reach the source, and ${schema}.${name}_rejected for rows held back`);
    }
  }
  const limit = rules.newest_event_older_than;
  if (limit !== false && ranFor(limit)) {
    const newest = history.newest_event_time;
    if (newest === null || history.now - newest > limit) {
      const what = newest === null ? `no event that happened in the last ${formatSeconds(limit)} was sent` : `the newest event sent happened ${formatSeconds(history.now - newest)} ago`;
      out.push(`${name}: ${what} (newest_event_older_than ${formatSeconds(limit)}); the source is late or stopped: check when its newest rows were loaded`);
    }
  }
  return out;
}
