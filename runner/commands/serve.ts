import { alertOnChange, alertUnreachable } from '../alerts/alerts.ts';
import { ConfigError, WarehouseBusyError, errorMessage } from '../errors.ts';
import { SchedulePlan, servedSchedules } from '../schedule/plan.ts';
import { formatSeconds } from '../schedule/schedule.ts';
import { ConfigWatch, Wakeup } from '../schedule/watch.ts';
import { deployProject, ensureState } from './deploy.ts';
import { loadProject, withWarehouse, type CommonOptions, type Project } from './project.ts';
import { printResult } from './summary.ts';
import { syncActivation, type SyncSignals } from './sync.ts';
import { withTarget, type SyncTarget } from './target.ts';

export interface ServeOptions extends CommonOptions {
  /** Seconds between progress lines while a run lasts (0: none); default 30. */
  progress?: number;
}

type Base = Awaited<ReturnType<typeof loadProject>>;

/** The longest single wait, so that a far tick (a yearly cron) stays within setTimeout's range. */
const MAX_WAIT_MS = 3_600_000;

/**
 * `capi-sync serve`: runs each scheduled activation on its schedule until SIGINT/SIGTERM. Runs go one
 * at a time (each under its activation's lock, as `run` does): a warehouse pool or the embedded
 * warehouse then serves one run, and a run never waits for a connection another run holds. A tick
 * that falls while a run lasts is skipped, not queued. Each activation's views are deployed before its
 * first run and again after the config file (or a model it names) changes. The warehouse is opened for
 * the runs that are due and closed in between, so other commands can use the embedded one meanwhile.
 */
export async function serve(options: ServeOptions, signals: SyncSignals): Promise<void> {
  let base = await loadProject(options);
  const explicit = Boolean(options.activation?.length);
  let plan = new SchedulePlan(servedSchedules(base.config, base.activations, explicit));
  const wake = new Wakeup();
  const watch = new ConfigWatch(() => wake.wake());
  watch.track(base.config);
  const deployed = new Set<string>();
  const unreachable = new Set<string>();
  try {
    await withWarehouse(base, async (project) => {
      await ensureState(project);
      for (const name of plan.names()) {
        const last = await project.state.lastRun(name);
        plan.resume(name, last ? new Date(last.started_at * 1000) : null, new Date());
      }
    });
    announce(base, plan);
    while (!signals.stop.aborted) {
      const snapchat = JSON.stringify(base.config.snapchat);
      await withTarget(base, async (target) => {
        while (!signals.stop.aborted && JSON.stringify(base.config.snapchat) === snapchat) {
          if (watch.changed()) {
            const reloaded = await reload(options, explicit, base, plan);
            if (reloaded) {
              [base, plan] = reloaded;
              deployed.clear();
              watch.track(base.config);
              continue;
            }
          }
          const wait = plan.msUntilNext(new Date());
          if (wait === null || wait > 0) {
            await wake.wait(Math.min(wait ?? MAX_WAIT_MS, MAX_WAIT_MS), signals.stop);
            continue;
          }
          await runDue(base, plan, target, signals, { deployed, unreachable }, options.progress);
        }
      });
    }
  } finally {
    watch.close();
  }
}

/** What serve remembers between ticks. */
interface Memory {
  /** Activations whose views this config deployed. */
  deployed: Set<string>;
  /** Activations whose failure to reach the warehouse was told: recorded as failed once it is back. */
  unreachable: Set<string>;
}

/** One session: the warehouse opened, the due activations run one after another, the warehouse closed. */
async function runDue(base: Base, plan: SchedulePlan, target: SyncTarget, signals: SyncSignals, memory: Memory, progressSeconds?: number): Promise<void> {
  const due = plan.due(new Date());
  const opened = new Date();
  try {
    await withWarehouse(base, async (project) => {
      if (memory.deployed.size === 0) await ensureState(project);
      for (const name of due) {
        if (signals.stop.aborted) return;
        const started = new Date();
        if (memory.unreachable.delete(name)) await project.state.saveAlertStatus(name, 'failed');
        await runOne(project, name, target, signals, memory.deployed, progressSeconds);
        if (!signals.stop.aborted) scheduled(base, plan, name, started);
      }
    });
  } catch (error) {
    const message = errorMessage(error);
    if (error instanceof WarehouseBusyError) {
      base.log.warn(`${message}; this tick of ${due.join(', ')} is skipped and tried again at the next one`);
    } else {
      base.log.error(`warehouse: ${message}; ${due.join(', ')} will be tried at the next tick`);
      for (const name of due) {
        if (!memory.unreachable.has(name) && (await alertUnreachable(base.config, base.log, name, `warehouse: ${message}`))) memory.unreachable.add(name);
      }
    }
    for (const name of due) scheduled(base, plan, name, opened);
  }
}

async function runOne(project: Project, name: string, target: SyncTarget, signals: SyncSignals, deployed: Set<string>, progressSeconds?: number): Promise<void> {
  const deploy = deployed.has(name) ? undefined : async () => {
    // The views only: the tables were ensured at start, or after the config change that emptied `deployed`.
    await deployProject({ ...project, activations: [name] }, { tables: false });
    deployed.add(name);
  };
  try {
    const result = await syncActivation(project, name, target, signals, { prepare: deploy, progressSeconds });
    printResult(project, result);
    if (result.status === 'skipped') project.log.warn(`${name}: this tick is skipped; serve tries again at the next one`, { activation: name, skipped: true });
  } catch (error) {
    // The run did not start (its deploy failed, or the lock could not be asked for): no run was recorded.
    const message = errorMessage(error);
    project.log.error(`${name}: failed before sending: ${message}`, { activation: name, status: 'failed', error: message });
    await alertOnChange(project, { activation: name, status: 'failed', counts: { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 }, warnings: [], error: message }, null);
  }
}

/** Moves the activation to its next tick and says when that is, and how many ticks the run outlasted. */
function scheduled(base: Base, plan: SchedulePlan, name: string, started: Date): void {
  const { due, skipped } = plan.ran(name, started, new Date());
  const skippedText = skipped > 0 ? `; ${skipped} tick(s) fell while it lasted and were skipped` : '';
  const dueText = due ? `${due.toISOString()} (in ${formatSeconds((due.getTime() - Date.now()) / 1000)})` : 'never: its cron expression matches no later date';
  base.log.info(`${name}: next run ${dueText}${skippedText}`, { activation: name, next_run_at: due?.toISOString() ?? null, skipped_ticks: skipped });
}

function announce(base: Base, plan: SchedulePlan): void {
  const lines = plan.names().map((name) => {
    const due = plan.nextDue(name);
    return `  ${name}: ${plan.schedule(name).describe}; next run ${due ? (due.getTime() <= Date.now() ? 'now' : due.toISOString()) : 'never'}`;
  });
  const unscheduled = base.activations.filter((name) => !plan.names().includes(name));
  if (unscheduled.length > 0) lines.push(`  not run by serve (no schedule): ${unscheduled.join(', ')}`);
  base.log.info(`serving ${plan.names().length} activation(s); watching ${base.config.file} for changes; stop with Ctrl-C or SIGTERM\n${lines.join('\n')}`, {
    activations: Object.fromEntries(plan.names().map((name) => [name, { schedule: plan.schedule(name).text, next_run_at: plan.nextDue(name)?.toISOString() ?? null }])),
  });
}

/** The config after a change, with its plan; null (the old one goes on) when the new one is not usable. */
async function reload(options: ServeOptions, explicit: boolean, base: Base, plan: SchedulePlan): Promise<[Base, SchedulePlan] | null> {
  try {
    const next = await loadProject(options);
    const nextPlan = plan.reconfigure(servedSchedules(next.config, next.activations, explicit), new Date());
    next.log.info(`${base.config.file} changed: reloaded; each activation's views are deployed again before its next run`);
    announce(next, nextPlan);
    return [next, nextPlan];
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems.map((p) => `\n  ${p}`).join('') : ` ${errorMessage(error)}`;
    base.log.error(`${base.config.file} changed but cannot be used; serve goes on with the previous config until it is fixed:${problems}`);
    return null;
  }
}
