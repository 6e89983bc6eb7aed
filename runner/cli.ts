import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { check } from './commands/check.ts';
import { compile } from './commands/compile.ts';
import { deploy } from './commands/deploy.ts';
import { reset } from './commands/reset.ts';
import { query } from './commands/query.ts';
import { report } from './commands/report.ts';
import { SKIPPED_EXIT_CODE, demo, run, sync } from './commands/run.ts';
import { sandbox } from './commands/sandbox.ts';
import { serve } from './commands/serve.ts';
import { status } from './commands/status.ts';
import type { SyncSignals } from './commands/sync.ts';
import { ConfigError, ExitError, WarehouseBusyError, WarehouseError, errorMessage } from './errors.ts';
import { createLogger, logFormatOf, type LogFormat, type Logger } from './log.ts';
import { MACROS_DIR } from './render/render.ts';

/** Seconds that batches in flight get to finish after SIGINT/SIGTERM before they are abandoned. */
const GRACE_SECONDS = 20;

interface Interrupts extends SyncSignals {
  /** Called by commands that stop cleanly on a signal, with what the first signal does (said to the user). */
  graceful(firstSignal: string): void;
}

/**
 * SIGINT/SIGTERM. In sync and run the first stops reading (no new batch, no new retry), the second
 * or the end of the grace period abandons requests in flight, a third exits at once. Commands that
 * do not stop cleanly (compile, deploy, status, ...) exit at the first signal. Always exit 130.
 */
function interrupts(log: Logger): Interrupts {
  const stop = new AbortController();
  const abort = new AbortController();
  let firstSignal: string | undefined;
  let received = 0;
  const onSignal = (name: NodeJS.Signals) => {
    received++;
    if (firstSignal === undefined || received >= 3) {
      log.warn(`${name}: exiting now`, { signal: name });
      process.exit(130);
    }
    if (received === 1) {
      log.warn(`${name}: ${firstSignal}`, { signal: name });
      stop.abort(name);
      setTimeout(() => abort.abort(name), GRACE_SECONDS * 1000).unref();
    } else {
      log.warn(`${name}: abandoning requests in flight; the watermark stays at the last accepted batch (once more to exit at once)`, { signal: name });
      abort.abort(name);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { stop: stop.signal, abort: abort.signal, graceful: (what) => (firstSignal = what) };
}

const SYNC_STOP = `stopping: no new batches; those in flight get up to ${GRACE_SECONDS} s to finish, then the watermark is saved (signal again to abandon them)`;
const SERVE_STOP = `stopping: no new runs; a run in progress sends no new batch, those in flight get up to ${GRACE_SECONDS} s to finish, then its watermark is saved (signal again to abandon them)`;

const collect = (value: string, previous: string[] = []) => [...previous, value];
const number = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};

/** The installed package's version (package.json sits beside macros/). */
function version(): string {
  return (JSON.parse(readFileSync(join(dirname(MACROS_DIR), 'package.json'), 'utf8')) as { version: string }).version;
}

const days = (value: string) => {
  const n = number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a whole number of days (1 or more)');
  return n;
};

const seconds = (value: string) => {
  const n = number(value);
  if (n < 0) throw new InvalidArgumentError('not a number of seconds (0 or more)');
  return n;
};

function program(signals: Interrupts, log: Logger, format: LogFormat): Command {
  const cli = new Command('capi-sync')
    .description('Send offline conversions from your warehouse to the Snapchat Conversions API.\nMapping, normalisation and hashing run as SQL views in the warehouse; this runner only moves bytes.')
    .version(version(), '-V, --version', 'print capi-sync\'s version')
    .showHelpAfterError()
    .exitOverride();
  if (format === 'json') {
    // Usage errors, help and the version as JSON lines too: a log collector reads every line.
    cli.configureOutput({ writeOut: (text) => log.info(text.trimEnd()), writeErr: (text) => log.error(text.trimEnd()) });
  }
  const common = (c: Command) => c
    .option('-c, --config <file>', 'the activations file', 'activations.yml')
    .option('-a, --activation <name>', 'only this activation (repeatable)', collect)
    .addOption(new Option('--log-format <format>', 'text for people, json for log collectors').choices(['text', 'json']).default('text'));

  common(cli.command('compile').description('render the views to target/ without creating them (reads model columns from the warehouse)'))
    .option('-o, --out <dir>', 'folder for the rendered SQL (default: target/ beside the config)')
    .action((o) => compile(o));
  common(cli.command('deploy').description('create or replace the views and capi-sync\'s tables in the warehouse'))
    .action((o) => deploy(o));
  const progress = (c: Command) => c.option('--progress <seconds>', 'a progress line every so many seconds while a run lasts (0: none)', seconds, 30);
  progress(common(cli.command('sync').description('send events past the watermark to Snap')))
    .option('--fail-on-warning', 'exit 3 when a warning fired')
    .option('--dry-run', 'show what would be sent (count and first event); send nothing')
    .action((o) => {
      signals.graceful(SYNC_STOP);
      return sync(o, signals);
    });
  progress(common(cli.command('run').description('deploy, then sync: the call for Airflow, cron or Dagster')))
    .option('--fail-on-warning', 'exit 3 when a warning fired')
    .action((o) => {
      signals.graceful(SYNC_STOP);
      return run(o, signals);
    });
  progress(common(cli.command('serve').description('run each activation on its schedule (deploy, then sync) until SIGINT/SIGTERM: for systemd, Docker or Kubernetes')))
    .action((o) => {
      signals.graceful(SERVE_STOP);
      return serve(o, signals);
    });
  common(cli.command('demo').description('run against the built-in sandbox whatever the endpoint, and show one event as received'))
    .action((o) => demo(o, signals));
  common(cli.command('status').description('watermark, pending events, rows held back by reason, match-key coverage and lag, schedule, last runs'))
    .action((o) => status(o));
  common(cli.command('report').description('write one HTML file (no network needed to open it) with each activation\'s runs, held-back rows, match-key coverage, Snap\'s refusals, lag and schedule'))
    .option('-o, --out <file>', 'the HTML file to write (default: target/report.html beside the config)')
    .option('--days <n>', 'days of history to show', days, 30)
    .action((o) => report(o));
  common(cli.command('reset').description('move an activation\'s watermark and forget the events past it in the ledger, so the next sync sends them again').argument('<activation>'))
    .option('--to <cursor>', 'send again the events whose cursor is at or after this value (read as the cursor column\'s type)')
    .option('--from-start', 'send again everything the outbound view holds')
    .action((activation, o) => reset(activation, o));
  common(cli.command('query').description('run one read-only statement on the configured warehouse and print its rows (e.g. select * from capi_sync.<activation>_sent)').argument('<select>'))
    .addOption(new Option('--format <format>', 'how rows are printed').choices(['table', 'csv', 'json']).default('table'))
    .action((sql, o) => query(sql, o));
  common(cli.command('check').description('check the config, the warehouse connection and that every activation renders'))
    .option('--validate', 'also post up to 50 pending events per activation to Snap\'s /events/validate (nothing is recorded)')
    .action((o) => check(o));
  cli.command('sandbox').description('run the Snap sandbox as a server on 127.0.0.1, to point endpoint: at')
    .option('-p, --port <port>', 'port (0 picks a free one)', number, 8787)
    .option('--token <token>', 'accept only this access_token (default: any)')
    .option('--failure-rate <rate>', 'share of requests answered with a fault, 0..1', number)
    .option('--faults <kinds...>', 'faults to pick from: 500 503 429 reset timeout')
    .option('--retry-after <seconds>', 'Retry-After sent with 429/503 faults', number)
    .option('--retry-after-rate <share>', 'share of 429/503 faults that carry Retry-After, 0..1 (default 1)', number)
    .option('--latency <ms>', 'wait this long before answering each request', number)
    .option('--rate-limit <rps>', 'answer 429 above this many requests per second', number)
    .option('--rate-limiter <shape>', 'how --rate-limit counts: sliding-window (default), fixed-window, token-bucket')
    .option('--rate-limit-burst <n>', 'token-bucket size: requests at once after a quiet spell (default --rate-limit)', number)
    .option('--rate-limit-retry-after <seconds>', 'Retry-After sent with a rate-limit 429, or none (default 1)', (value: string) => (value === 'none' ? false : number(value)))
    .option('--refuse <event_id...>', 'answer 400 INVALID for these event ids')
    .option('--fast-accept', 'count events and check a sample only (benchmarks)')
    .option('--seed <n>', 'seed for the fault generator', number)
    .action((o) => {
      signals.graceful('stopping the sandbox');
      return sandbox(o, signals.stop);
    });
  return cli;
}

/**
 * The only place that maps errors to exit codes (0 ok, 1 run failed, 2 config/usage, 3 warnings, 75 skipped:
 * another capi-sync holds the activation's lock, 130 interrupted).
 */
async function main(log: Logger, format: LogFormat): Promise<number> {
  const signals = interrupts(log);
  try {
    await program(signals, log, format).parseAsync(process.argv);
    return signals.stop.aborted ? 130 : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ExitError) {
      if (error.message) log.error(error.message, { exit_code: error.exitCode });
      return error.exitCode;
    }
    if (error instanceof ConfigError) {
      log.error(`the config is not valid:\n${error.problems.map((p) => `  ${p}`).join('\n')}`, { kind: 'config', problems: error.problems, exit_code: 2 });
      return 2;
    }
    if (error instanceof WarehouseBusyError) {
      // The embedded warehouse is open in another capi-sync: as a held lock, the run is skipped, not failed.
      log.warn(`skipped — ${error.message}`, { kind: 'busy', exit_code: SKIPPED_EXIT_CODE });
      return SKIPPED_EXIT_CODE;
    }
    if (error instanceof WarehouseError) {
      log.error(`warehouse: ${error.message}`, { kind: 'warehouse', exit_code: 1 });
      return 1;
    }
    log.error(errorMessage(error), { exit_code: 1 });
    return 1;
  }
}

// The format is known from the arguments before the config loads, so that its errors are JSON too.
const format = logFormatOf(process.argv);
const log = createLogger(format);
// A fault nothing caught (a driver's stray event) still ends in one line a person or a collector can read.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    log.error(`internal error: ${errorMessage(error)}`, { exit_code: 1 });
    process.exit(1);
  });
}
process.exitCode = await main(log, format);
// Keep-alive sockets or a signal handler must not hold the process open once the work is done.
process.exit();
