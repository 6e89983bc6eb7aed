import { describe, expect, it } from 'vitest';
import { healthAfter, type RunOutcome } from '../../runner/alerts/alerts.ts';
import { DEFAULT_RULES, firedWarnings, warningRules, type RunFacts, type WarningRules } from '../../runner/alerts/rules.ts';
import { parseConfig } from '../../runner/config/load.ts';
import type { RunHistory } from '../../runner/state/state.ts';

const where = { activation: 'orders', schema: 'capi_sync' };
const OFF: WarningRules = { rejected_rate_above: false, refused_above: false, no_events_for: false, newest_event_older_than: false, run_longer_than: false, webhook: false };
const run = (over: Partial<RunFacts> = {}): RunFacts => ({ sent: 100, rejected_by_view: 0, rejected_by_snap: 0, seconds: 2, ...over });
const NOW = 1_800_000_000;
const HOUR = 3600;
const history = (over: Partial<RunHistory> = {}): RunHistory => ({ now: NOW, first_run_at: NOW - 30 * 86_400, last_sent_at: NOW - HOUR, newest_event_time: NOW - HOUR, ...over });

describe('each warning rule', () => {
  it('rejected_rate_above: fires strictly above the share, counting rows held back and refused', () => {
    const rules = { ...OFF, rejected_rate_above: 0.2 };
    expect(firedWarnings(rules, run({ sent: 80, rejected_by_view: 20 }), null, where)).toEqual([]);
    expect(firedWarnings(rules, run({ sent: 79, rejected_by_view: 20, rejected_by_snap: 1 }), null, where)).toEqual([
      'orders: 21.0% of events were held back or refused (above rejected_rate_above 0.2); see capi_sync.orders_rejected and capi_sync.capi_sync_delivery_errors',
    ]);
    expect(firedWarnings(rules, run({ sent: 0 }), null, where)).toEqual([]); // nothing read: no share
  });

  it('refused_above: more events refused by Snap than the count', () => {
    expect(firedWarnings({ ...OFF, refused_above: 0 }, run({ rejected_by_snap: 1 }), null, where)).toEqual([
      "orders: Snap refused 1 event(s) (above refused_above 0); Snap's message for each is in capi_sync.capi_sync_delivery_errors",
    ]);
    expect(firedWarnings({ ...OFF, refused_above: 5 }, run({ rejected_by_snap: 5 }), null, where)).toEqual([]);
  });

  it('run_longer_than: a run that lasted longer', () => {
    expect(firedWarnings({ ...OFF, run_longer_than: 60 }, run({ seconds: 60 }), null, where)).toEqual([]);
    expect(firedWarnings({ ...OFF, run_longer_than: 60 }, run({ seconds: 150 }), null, where)).toEqual([
      'orders: the run took 2m 30s (above run_longer_than 1m); check the retries in capi_sync.capi_sync_runs and how long the warehouse takes to read capi_sync.orders_prepared',
    ]);
  });

  it('no_events_for: nothing sent for that long by runs that kept running; not for a new activation, nor when this run sent', () => {
    const rules = { ...OFF, no_events_for: 24 * HOUR };
    expect(firedWarnings(rules, run({ sent: 0 }), history({ last_sent_at: NOW - 25 * HOUR }), where)).toEqual([
      'orders: no event sent for 1d 1h (no_events_for 1d) although capi-sync ran; check that new rows reach the source, and capi_sync.orders_rejected for rows held back',
    ]);
    expect(firedWarnings(rules, run({ sent: 0 }), history({ last_sent_at: NOW - 23 * HOUR }), where)).toEqual([]);
    expect(firedWarnings(rules, run({ sent: 3 }), history({ last_sent_at: NOW - 25 * HOUR }), where)).toEqual([]);
    expect(firedWarnings(rules, run({ sent: 0 }), history({ first_run_at: NOW - 2 * HOUR, last_sent_at: null }), where)).toEqual([]);
    expect(firedWarnings(rules, run({ sent: 0 }), history({ first_run_at: NOW - 48 * HOUR, last_sent_at: null }), where)).toEqual([
      expect.stringMatching(/^orders: no event was ever sent \(no_events_for 1d\)/),
    ]);
  });

  it('newest_event_older_than: the newest event accepted happened longer ago than that', () => {
    const rules = { ...OFF, newest_event_older_than: 6 * HOUR };
    expect(firedWarnings(rules, run(), history({ newest_event_time: NOW - 5 * HOUR }), where)).toEqual([]);
    expect(firedWarnings(rules, run(), history({ newest_event_time: NOW - 7 * HOUR }), where)).toEqual([
      'orders: the newest event sent happened 7h ago (newest_event_older_than 6h); the source is late or stopped: check when its newest rows were loaded',
    ]);
    expect(firedWarnings(rules, run(), history({ newest_event_time: null }), where)).toEqual([
      'orders: no event that happened in the last 6h was sent (newest_event_older_than 6h); the source is late or stopped: check when its newest rows were loaded',
    ]);
    expect(firedWarnings(rules, run(), history({ first_run_at: NOW - HOUR, newest_event_time: null }), where)).toEqual([]);
  });

  it('fires every rule that holds, in a fixed order', () => {
    const all = { ...DEFAULT_RULES, newest_event_older_than: HOUR };
    const fired = firedWarnings(all, run({ sent: 0, rejected_by_view: 5, rejected_by_snap: 2, seconds: 2 * HOUR }), history({ last_sent_at: NOW - 2 * 86_400, newest_event_time: null }), where);
    expect(fired.map((w) => /\((?:above )?([a-z_]+) /.exec(w)?.[1])).toEqual(['rejected_rate_above', 'refused_above', 'run_longer_than', 'no_events_for', 'newest_event_older_than']);
  });
});

describe('which rules apply', () => {
  const config = (defaults: string, own: string) => parseConfig(`
warehouse: { type: pglite }
snapchat: { endpoint: sandbox }
${defaults}
activations:
  orders:
    pixel_id: px
    event_name: PURCHASE
    source: shop.orders
    cursor: loaded_at
    mapping: { event_time: paid_at, email: mail }
${own}
`, { HOOK: 'https://hooks.example.com/services/T0/B0/secret' });

  it('built-in defaults, then defaults.warnings, then the activation, key by key; false turns one off', () => {
    expect(warningRules(config('', ''), 'orders')).toEqual(DEFAULT_RULES);
    const rules = warningRules(config('defaults: { warnings: { rejected_rate_above: 0.1, no_events_for: 6h, webhook: "${HOOK}" } }', '    warnings: { rejected_rate_above: 0.3, run_longer_than: false, newest_event_older_than: 2d }'), 'orders');
    expect(rules).toEqual({ rejected_rate_above: 0.3, refused_above: 0, no_events_for: 6 * HOUR, newest_event_older_than: 2 * 86_400, run_longer_than: false, webhook: 'https://hooks.example.com/services/T0/B0/secret' });
  });

  it('warns when the webhook URL is written in the file instead of coming from the environment', () => {
    expect(config('defaults: { warnings: { webhook: "${HOOK}" } }', '').warnings).toEqual([]);
    expect(config('', '    warnings: { webhook: "https://hooks.example.com/services/T0/B0/literal" }').warnings).toEqual([
      'activations.orders.warnings.webhook: the webhook URL is written in the config file, where it ends up in Git (a Slack webhook URL carries its token); write ${ALERT_WEBHOOK_URL} and set that variable',
    ]);
  });

  it('refuses bad values naming the key and the way to turn it off, and never quotes the webhook', () => {
    const bad = () => config('', '    warnings: { rejected_rate_above: 2, no_events_for: soon, run_longer_than: 0, webhook: "http://hooks.example.com/services/T0/B0/secret", typo: 1 }');
    expect(bad).toThrow(/activations\.orders\.warnings\.rejected_rate_above: .*; or false to turn it off/);
    expect(bad).toThrow(/activations\.orders\.warnings\.no_events_for: "soon" is not a duration/);
    expect(bad).toThrow(/activations\.orders\.warnings\.run_longer_than: must be longer than 0/);
    expect(bad).toThrow(/activations\.orders\.warnings\.webhook: use an https:\/\/ URL/);
    expect(bad).toThrow(/activations\.orders\.warnings\.typo: unknown key/);
    expect(bad).not.toThrow(/secret/);
  });
});

describe('the status an alert reports', () => {
  const outcome = (over: Partial<RunOutcome>): RunOutcome => ({ activation: 'orders', status: 'ok', counts: { sent: 10, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 1 }, warnings: [], ...over });
  const empty = { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 };
  it.each([
    ['a failed run', outcome({ status: 'failed' }), 'ok', 'failed'],
    ['a run with warnings', outcome({ warnings: ['w'] }), 'ok', 'warning'],
    ['a partial run with warnings', outcome({ status: 'partial', warnings: ['w'] }), 'failed', 'warning'],
    ['a clean run', outcome({}), 'warning', 'ok'],
    ['a clean run after a failure', outcome({}), 'failed', 'ok'],
    ['an empty run after a warning (nothing to judge)', outcome({ counts: empty }), 'warning', 'warning'],
    ['an empty run after a failure (the run worked)', outcome({ counts: empty }), 'failed', 'ok'],
    ['an interrupted run', outcome({ status: 'interrupted' }), 'warning', null],
    ['a run skipped: another held the lock', outcome({ status: 'skipped' }), 'failed', null],
  ] as const)('%s', (_, run, previous, next) => {
    expect(healthAfter(run, previous)).toBe(next);
  });
});
