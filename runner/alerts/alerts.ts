import type { Config } from '../config/schema.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AlertStatus, RunCounts, StateStore } from '../state/state.ts';
import { firedWarnings, warningRules } from './rules.ts';
import { postAlert, type AlertBody } from './webhook.ts';

/** What the alerts need of a project: its config, its state tables and its log. */
export interface AlertProject {
  config: Pick<Config, 'defaults' | 'activations'>;
  state: StateStore;
  log: Logger;
  warehouse: { schema: string };
}

/** What the alerts need of a finished run. */
export interface RunOutcome {
  activation: string;
  /** The run's status: ok, partial, failed, interrupted, ... */
  status: string;
  counts: RunCounts;
  warnings: string[];
  error?: string;
}

/**
 * The warnings a finished run fires: the rules on its counts and, for the rules that need them, the
 * earlier runs and the ledger. When those cannot be read, the rules on the counts still apply and the
 * problem is logged: reading the history must not turn a delivered run into a failed one.
 */
export async function runWarnings(project: AlertProject, run: RunOutcome, seconds: number): Promise<string[]> {
  const rules = warningRules(project.config, run.activation);
  const facts = { ...run.counts, seconds };
  const where = { activation: run.activation, schema: project.warehouse.schema };
  if (rules.no_events_for === false && rules.newest_event_older_than === false) return firedWarnings(rules, facts, null, where);
  try {
    const history = await project.state.runHistory(run.activation, rules.newest_event_older_than);
    return firedWarnings(rules, facts, history, where);
  } catch (error) {
    project.log.warn(`${run.activation}: could not read the earlier runs to check no_events_for and newest_event_older_than: ${errorMessage(error)}`, { activation: run.activation });
    return firedWarnings(rules, facts, null, where);
  }
}

/**
 * The activation's health after a run, or null when the run tells nothing (interrupted, locked out).
 * A run with nothing to read (no row sent, held back or refused) cannot judge the rate rules: it
 * clears a failure (the run worked) but leaves a warning standing, so a schedule of mostly empty runs
 * does not flap between warning and recovered.
 */
export function healthAfter(run: RunOutcome, previous: AlertStatus): AlertStatus | null {
  if (run.status === 'failed') return 'failed';
  if (run.status !== 'ok' && run.status !== 'partial') return null;
  if (run.warnings.length > 0) return 'warning';
  const c = run.counts;
  const empty = c.sent + c.rejected_by_view + c.rejected_by_snap === 0;
  return empty && previous === 'warning' ? 'warning' : 'ok';
}

/**
 * After a run: when the activation's health changed since it was last told, POST the change to its
 * webhook (ok → warning, warning → ok as `recovered`, anything → failed) and store the new status in
 * capi_sync_state. A webhook that fails leaves the stored status as it was, so the change is told
 * after the next run instead. Never throws: alerts never fail a run.
 */
export async function alertOnChange(project: AlertProject, run: RunOutcome, runId: string | null): Promise<void> {
  const { state, log } = project;
  const name = run.activation;
  try {
    const stored = await state.alertStatus(name);
    const previous = stored?.status ?? 'ok';
    const next = healthAfter(run, previous);
    if (next === null || next === previous) return;
    const webhook = warningRules(project.config, name).webhook;
    const body = alertBody(project.warehouse.schema, run, runId, next, previous);
    if (webhook !== false && !(await postAlert(webhook, body, log))) return;
    await state.saveAlertStatus(name, next);
    log.info(`${name}: status ${previous} → ${next}${webhook === false ? ' (no warnings.webhook set, so no alert was sent)' : `; the ${body.status} alert was sent`}`, { activation: name, alert_status: next, previous_alert_status: previous });
  } catch (error) {
    log.warn(`${name}: could not check or record the alert status: ${errorMessage(error)}`, { activation: name });
  }
}

/**
 * A run that could not reach the warehouse at all: the stored status can be neither read nor written,
 * so the caller tells the failure once (true: told, or no webhook) and records `failed` when the
 * warehouse is back, for the recovery to be told then. Never throws.
 */
export async function alertUnreachable(config: AlertProject['config'], log: Logger, name: string, error: string): Promise<boolean> {
  const webhook = warningRules(config, name).webhook;
  if (webhook === false) return true;
  const run = { activation: name, status: 'failed', counts: { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 }, warnings: [], error };
  return postAlert(webhook, alertBody('', run, null, 'failed', 'ok'), log);
}

function alertBody(schema: string, run: RunOutcome, runId: string | null, next: AlertStatus, previous: AlertStatus): AlertBody {
  const name = run.activation;
  const own = (w: string) => (w.startsWith(`${name}: `) ? w.slice(name.length + 2) : w);
  const status = next === 'ok' ? 'recovered' : next;
  const text = {
    warning: `capi-sync: activation ${name} needs a look. ${run.warnings.map(own).join('. ')}.`,
    failed: `capi-sync: the run of activation ${name} failed: ${run.error ?? 'no reason was recorded'}. Nothing is lost: the next run resumes from the saved watermark; fix the cause and run \`capi-sync status --activation ${name}\` to see where it stands.`,
    recovered: `capi-sync: activation ${name} recovered: the last run was ${previous === 'failed' ? 'successful' : 'clean'} (${run.counts.sent} event(s) sent); it had been in state ${previous}. Runs are in ${schema}.capi_sync_runs.`,
  }[status];
  return { text, activation: name, status, run_id: runId, warnings: run.warnings, error: status === 'failed' ? (run.error ?? null) : null };
}
