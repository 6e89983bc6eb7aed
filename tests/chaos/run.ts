/**
 * npm run chaos [-- --events 40000 --stops 2 --kills 3 --failure-rate 0.2 --warehouse postgres|pglite --seed N]
 *
 * Tens of thousands of events through `capi-sync sandbox` run as a separate process that fails 20% of
 * requests at random (500, 503, 429 with and without Retry-After, dropped connections, timeouts);
 * `sync` is killed with SIGKILL three times at random points, then re-run until it exits 0. Prints
 * the events expected, received (unique), missing (must be 0) and duplicated. Postgres when the test
 * server is reachable, else the embedded warehouse. Everything stays on 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../runner/sandbox/faults.ts';
import { startCli, until } from '../delivery/pg-project.ts';
import { ROOT } from '../support/cli.ts';
import { postgresReachable } from '../support/postgres.ts';
import { chaos } from './harness.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '40000' },
    stops: { type: 'string', default: '2' },
    kills: { type: 'string', default: '3' },
    'failure-rate': { type: 'string', default: '0.2' },
    warehouse: { type: 'string' },
    seed: { type: 'string' },
  },
});
const events = Number(values.events);
const stops = Number(values.stops);
const kills = Number(values.kills);
const failureRate = Number(values['failure-rate']);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const warehouse = (values.warehouse ?? (postgresReachable ? 'postgres' : 'pglite')) as 'postgres' | 'pglite';
if (!['postgres', 'pglite'].includes(warehouse)) throw new Error('--warehouse: postgres or pglite');

const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const sandbox = startCli(
  ['sandbox', '--port', '0', '--failure-rate', String(failureRate), '--faults', '500', '503', '429', 'reset', 'timeout',
    '--retry-after', '1', '--retry-after-rate', '0.5', '--seed', String(seed)],
  ROOT, {},
);
try {
  await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(sandbox.output().stdout) || sandbox.child.exitCode !== null, 30_000, 'the sandbox');
  const endpoint = /(http:\/\/127\.0\.0\.1:\d+)/.exec(sandbox.output().stdout)?.[1];
  if (!endpoint) throw new Error(`the sandbox did not start: ${sandbox.output().stderr}`);
  say(`chaos: ${events} events on ${warehouse}, sandbox ${endpoint} as a separate process failing ${failureRate * 100}% of requests, ${stops} × SIGTERM, ${kills} × kill -9, seed ${seed}`);

  const report = await chaos({
    warehouse,
    events,
    endpoint,
    stops,
    kills,
    snapchat: `batch_size: 500
      max_in_flight: 4
      request_timeout_seconds: 1
      retry: { max_retries: 8, min_timeout: 50, max_timeout: 2000 }`,
    maxRuns: 20,
    deadlineMs: 15 * 60_000,
    random: mulberry32(seed),
    log: say,
  });

  say(`requests ${report.requests}: ${Object.entries(report.byStatus).map(([status, n]) => `${n} × ${status}`).join(', ')}`);
  say(`syncs: ${report.runs.join(', ')}`);
  console.log(`
events expected:  ${report.expected}
received unique:  ${report.receivedUnique}
missing:          ${report.missing}${report.missing === 0 ? '' : '   <-- FAILED'}
duplicates:       ${report.duplicates} (accepted ${report.accepted}; same event_id, which Snap deduplicates)
accepted but not in the ledger after a clean stop: ${report.unrecordedAfterStops}${report.unrecordedAfterStops === 0 ? '' : '   <-- FAILED'}
`);
  process.exitCode = report.missing === 0 && report.expected === events && report.unrecordedAfterStops === 0 ? 0 : 1;
} finally {
  sandbox.child.kill('SIGTERM');
  await sandbox.exited;
}
