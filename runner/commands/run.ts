import type { LoadedConfig } from '../config/load.ts';
import { ConfigError, ExitError } from '../errors.ts';
import { formatWatermark } from '../state/state.ts';
import { activationViews, viewsFingerprint } from './compile.ts';
import { deployProject, ensureState } from './deploy.ts';
import { pendingEvents } from './pending.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';
import { printResult } from './summary.ts';
import { syncActivation, type ActivationResult, type SyncSignals } from './sync.ts';
import { withTarget } from './target.ts';

export interface SyncOptions extends CommonOptions {
  /** Exit 3 when a warning fired (e.g. rejected_rate_above). */
  failOnWarning?: boolean;
  /** Show what would be sent, send nothing (sync only). */
  dryRun?: boolean;
  /** Seconds between progress lines during a long run (0: none). */
  progress?: number;
  /** Print one event as the sandbox received it (demo). */
  showEvent?: boolean;
}

/** Exit code of a run skipped because another capi-sync holds the activation's lock (sysexits' EX_TEMPFAIL). */
export const SKIPPED_EXIT_CODE = 75;

/**
 * `capi-sync sync`: send new events for each chosen activation, through the views the last deploy
 * created; views rendered from another mapping, model or capi-sync version are refused.
 */
export async function sync(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, (project) => syncAll(project, options, signals, { checkViews: (name) => checkViews(project, name) }));
}

/** Throws when the deployed views of `name` are not the ones the config renders now. */
function checkViews(project: Project, name: string): (deployed: string | null) => Promise<void> {
  return async (deployed) => {
    if (deployed === viewsFingerprint(await activationViews(project, name))) return;
    const schema = project.warehouse.schema;
    throw new ConfigError(deployed === null
      ? `activations.${name}: the views in ${schema} were deployed by an older capi-sync (or never); run \`capi-sync deploy\` (or \`capi-sync run\`, which deploys first)`
      : `activations.${name}: the views in ${schema} were deployed from another mapping, model or capi-sync version than the config now renders; run \`capi-sync deploy\` (or \`capi-sync run\`, which deploys first) so that what is sent is what the config says`);
  };
}

/**
 * `capi-sync run`, the orchestrator's call: deploy the views, then sync. Each activation's views are
 * replaced only while its lock is held: replacing a view that another runner is streaming from would
 * wait for that runner to finish, and every reader of the view would queue behind the wait.
 */
export async function run(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, async (project) => {
    await ensureState(project);
    await syncAll(project, options, signals, { deploy: (name) => deployProject({ ...project, activations: [name] }, { tables: false }) });
  });
}

/** The scratch schema (dataset on BigQuery) of `capi-sync demo`, beside the configured one. */
export const DEMO_SUFFIX = '_demo';

/**
 * `capi-sync demo`: `run` against the built-in sandbox whatever the config says, then one event as Snap
 * received it, to see the whole path before any token is involved. It works in a scratch schema of its
 * own (`<schema>_demo`): its views, watermark, ledger and runs are not the configured activations', whose
 * pending events stay pending; each demo starts that scratch state afresh.
 */
export async function demo(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, async (project) => {
    project.log.info(`demo: views and state in ${project.warehouse.schema}, a scratch copy; the configured activations' watermark, ledger and runs are not touched`);
    await ensureState(project);
    for (const name of project.activations) await project.state.forget(name);
    await syncAll(project, { ...options, showEvent: true }, signals, { deploy: (name) => deployProject({ ...project, activations: [name] }, { tables: false }) });
  }, scratch);
}

function scratch(config: LoadedConfig): LoadedConfig {
  const w = config.warehouse;
  const warehouse = 'dataset' in w ? { ...w, dataset: `${w.dataset}${DEMO_SUFFIX}` } : { ...w, schema: `${w.schema}${DEMO_SUFFIX}` };
  // Nobody is alerted about a demo: its runs are not the configured activations'.
  const activations = Object.fromEntries(Object.entries(config.activations).map(([name, a]) => [name, { ...a, warnings: { ...a.warnings, webhook: false as const } }]));
  return { ...config, warehouse, activations, snapchat: { ...config.snapchat, endpoint: 'sandbox' } };
}

async function syncAll(project: Project, options: SyncOptions, signals: SyncSignals, hooks: { deploy?: (activation: string) => Promise<void>; checkViews?: (activation: string) => (deployed: string | null) => Promise<void> } = {}): Promise<void> {
  const { log } = project;
  if (options.dryRun) return dryRun(project);
  const results = await withTarget(project, async (target, sandbox) => {
    const results: ActivationResult[] = [];
    for (const name of project.activations) {
      if (signals.stop.aborted) break;
      const { deploy, checkViews } = hooks;
      const result = await syncActivation(project, name, target, signals, { prepare: deploy && (() => deploy(name)), checkViews: checkViews?.(name), progressSeconds: options.progress });
      results.push(result);
      printResult(project, result);
    }
    if (sandbox && options.showEvent && sandbox.events().length > 0) {
      log.info(`one event as the sandbox received it:\n${JSON.stringify(sandbox.events()[0], null, 2)}`);
    }
    if (sandbox) {
      const stats = sandbox.stats();
      log.info(`sandbox: accepted ${stats.accepted} event(s) in ${stats.by_status['200'] ?? 0} request(s) this run. Point endpoint: at Snap (remove it) and set SNAP_CAPI_TOKEN and SNAP_PIXEL_ID to go live.`);
    }
    return results;
  });
  const code = exitCode(results, options, signals);
  if (code !== 0) throw new ExitError(code);
}

/** What the next sync would send, read with the same query; nothing is sent and nothing is written. */
async function dryRun(project: Project): Promise<void> {
  for (const name of project.activations) {
    const { count, first, watermark } = await pendingEvents(project, name, 1);
    const batches = Math.ceil(count / project.config.snapchat.batch_size);
    project.log.info(
      `${name}: dry run — ${count} event(s) past the watermark (${formatWatermark(watermark) ?? 'start'}) would be sent in ${batches} request(s); nothing was sent${first[0] ? `\n  first event: ${first[0].payload}` : ''}`,
      { activation: name, pending: count, batches, dry_run: true },
    );
  }
}

function exitCode(results: ActivationResult[], options: SyncOptions, signals: SyncSignals): number {
  if (signals.stop.aborted || results.some((r) => r.status === 'interrupted')) return 130;
  if (results.some((r) => r.status === 'failed')) return 1;
  if (options.failOnWarning && results.some((r) => r.warnings.length > 0)) return 3;
  if (results.some((r) => r.status === 'skipped')) return SKIPPED_EXIT_CODE;
  return 0;
}
