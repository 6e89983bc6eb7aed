import { ExitError } from '../errors.ts';
import { formatWatermark } from '../state/state.ts';
import { deployProject, ensureState } from './deploy.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';
import { printResult } from './summary.ts';
import { pending } from './preview.ts';
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

/** `capi-sync sync`: send new events for each chosen activation. */
export async function sync(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, (project) => syncAll(project, options, signals));
}

/**
 * `capi-sync run`, the orchestrator's call: deploy the views, then sync. Each activation's views are
 * replaced only while its lock is held: replacing a view that another runner is streaming from would
 * wait for that runner to finish, and every reader of the view would queue behind the wait.
 */
export async function run(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, async (project) => {
    await ensureState(project);
    await syncAll(project, options, signals, (name) => deployProject({ ...project, activations: [name] }));
  });
}

/**
 * `capi-sync demo`: `run` against the built-in sandbox whatever the config says, then one event as Snap
 * received it, to see the whole path before any token is involved.
 */
export async function demo(options: SyncOptions, signals: SyncSignals): Promise<void> {
  await withProject(options, async (project) => {
    const sandboxed = { ...project, config: { ...project.config, snapchat: { ...project.config.snapchat, endpoint: 'sandbox' } } };
    await ensureState(sandboxed);
    await syncAll(sandboxed, { ...options, showEvent: true }, signals, (name) => deployProject({ ...sandboxed, activations: [name] }));
  });
}

async function syncAll(project: Project, options: SyncOptions, signals: SyncSignals, deploy?: (activation: string) => Promise<void>): Promise<void> {
  const { log } = project;
  if (options.dryRun) return dryRun(project);
  const results = await withTarget(project, async (target, sandbox) => {
    const results: ActivationResult[] = [];
    for (const name of project.activations) {
      if (signals.stop.aborted) break;
      const result = await syncActivation(project, name, target, signals, { prepare: deploy && (() => deploy(name)), progressSeconds: options.progress });
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
    const { count, first, watermark } = await pending(project, name, 1);
    const batches = Math.ceil(count / project.config.snapchat.batch_size);
    project.log.info(
      `${name}: dry run — ${count} event(s) past the watermark (${formatWatermark(watermark) ?? 'start'}) would be sent in ${batches} request(s); nothing was sent${first[0] ? `\n  first event: ${first[0].payload}` : ''}`,
      { activation: name, pending: count, batches, dry_run: true },
    );
  }
}

function exitCode(results: ActivationResult[], options: SyncOptions, signals: SyncSignals): number {
  if (signals.stop.aborted || results.some((r) => r.status === 'interrupted')) return 130;
  if (results.some((r) => r.status === 'failed' || r.status === 'locked')) return 1;
  if (options.failOnWarning && results.some((r) => r.warnings.length > 0)) return 3;
  return 0;
}
