// npm run bench -- --pacing [--events 100000] [--batch-size 1000] [--limits 2,5,10] [--warehouse postgres|pglite] [--out docs/benchmark.md]
// capi-sync sync of the events from Postgres (or PGlite) against the sandbox's --rate-limit, at each limit with and
// without Retry-After (and at 5 req/s with a fixed window and a token bucket): requests, share answered
// 429, capacity used, wall time. Writes the "Pacing" section of docs/benchmark.md and prints it.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RateLimiter } from '../runner/sandbox/faults.ts';
import { startSandbox } from '../runner/sandbox/server.ts';
import { activationsYml } from './data.ts';
import { measure } from './measure.ts';
import { prepareWarehouse, type BenchWarehouse } from './warehouses.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'runner', 'bin.mjs');
const { values: args } = parseArgs({
  options: {
    pacing: { type: 'boolean' },
    events: { type: 'string', default: '100000' },
    'batch-size': { type: 'string', default: '1000' },
    limits: { type: 'string', default: '2,5,10' },
    warehouse: { type: 'string', default: 'postgres' },
    out: { type: 'string', default: join(ROOT, 'docs', 'benchmark.md') },
  },
});
const events = Number(args.events);
const batchSize = Number(args['batch-size']);
const batches = Math.ceil(events / batchSize);

interface Case {
  limit: number;
  retryAfter: number | false;
  limiter: RateLimiter;
  burst?: number;
}

interface Result extends Case {
  requests: number;
  refused: number;
  /** What Snap accepted a second, as measured at each 429 that lowered the rate (the log lines saying so). */
  lowered: string[];
  /** Requests Snap accepted over what the limit allowed while the delivery lasted. */
  capacity: number;
  deliverySeconds: number;
  syncSeconds: number;
}

const cases: Case[] = [
  ...args.limits.split(',').map(Number).flatMap((limit): Case[] => [
    { limit, retryAfter: false, limiter: 'sliding-window' },
    { limit, retryAfter: 1, limiter: 'sliding-window' },
  ]),
  { limit: 5, retryAfter: false, limiter: 'fixed-window' },
  { limit: 5, retryAfter: false, limiter: 'token-bucket', burst: 10 },
];

async function capiSync(config: string, endpoint: string, ...command: string[]) {
  const run = await measure(process.execPath, [BIN, ...command, '--config', config], { SNAP_ENDPOINT: endpoint });
  if (run.code !== 0) throw new Error(`capi-sync ${command.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return run;
}

async function pace(config: string, c: Case): Promise<Result> {
  const snap = await startSandbox({ fastAccept: true, rateLimit: c.limit, rateLimiter: c.limiter, rateLimitBurst: c.burst, rateLimitRetryAfter: c.retryAfter });
  try {
    await capiSync(config, snap.url, 'reset', 'orders', '--from-start');
    const run = await capiSync(config, snap.url, 'sync');
    const stats = snap.stats();
    if (stats.unique_event_ids !== events || stats.duplicates !== 0) throw new Error(`Snap got ${stats.unique_event_ids} of ${events} events, ${stats.duplicates} twice:\n${run.stdout}`);
    const accepted = stats.by_status['200'] ?? 0;
    const span = (stats.last_request_at! - stats.first_request_at!) / 1000;
    const lowered = [...run.stdout.matchAll(/Snap answered 429 \(too many requests\).*?\(it (?:accepted ([\d.]+)|had accepted none)/g)].map((m) => m[1] ?? 'none');
    return { ...c, requests: stats.requests, refused: stats.by_status['429'] ?? 0, lowered, capacity: accepted / allowed(c, span), deliverySeconds: span, syncSeconds: run.ms / 1000 };
  } finally {
    await snap.close();
  }
}

/** The most requests the limit lets through from a first request to a last one `span` seconds later. */
function allowed(c: Case, span: number): number {
  return c.limiter === 'token-bucket' ? c.burst! + c.limit * span : c.limit * span + 1;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const shape = (r: Case) => (r.limiter === 'token-bucket' ? `token bucket (burst ${r.burst})` : r.limiter.replace('-', ' '));

function section(results: Result[], command: string): string {
  const targets: string[] = [];
  const check = (ok: boolean, text: string) => targets.push(`- ${ok ? 'met' : 'NOT met'}: ${text}`);
  for (const r of results.filter((r) => r.limiter === 'sliding-window')) {
    const [capacity, share] = r.limit === 5 && r.retryAfter === false ? [0.85, 0.1] : [0.9, 0.05];
    check(r.capacity >= capacity && r.refused / r.requests <= share, `${r.limit} req/s ${r.retryAfter === false ? 'without' : 'with'} Retry-After: ≥ ${pct(capacity)} of capacity (${pct(r.capacity)}), ≤ ${pct(share)} answered 429 (${pct(r.refused / r.requests)})`);
  }
  return [
    '## Pacing',
    '',
    `- date: ${new Date().toISOString()}; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, load average ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine delays the runner's timers); node ${process.version}`,
    `- command: \`${command}\``,
    `- \`capi-sync sync\` of ${events.toLocaleString('en-US')} events from ${kind === 'postgres' ? 'Postgres' : 'PGlite'} with batch_size ${batchSize} (${batches} requests when none is refused), max_in_flight 4 and the default retry settings, to the sandbox (fast-accept, a new one per case) limited with \`--rate-limit\`; the sandbox answers at once, so only pacing keeps the requests under the limit`,
    '- delivery: from the first request\'s arrival to the last\'s; capacity used: the requests Snap accepted / the most the limit lets through in that time (limit × delivery + 1, one every 1/limit; for the token bucket burst + limit × delivery); sync: the whole process, start-up and read included',
    '',
    '| limit | counted as | Retry-After | requests | answered 429 | rate halved (from req/s accepted) | capacity used | delivery | sync |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => `| ${r.limit} req/s | ${shape(r)} | ${r.retryAfter === false ? 'none' : `${r.retryAfter} s`} | ${r.requests} | ${r.refused} (${pct(r.refused / r.requests)}) | ${r.lowered.length}× (${r.lowered.join(', ')}) | ${pct(r.capacity)} | ${r.deliverySeconds.toFixed(1)} s | ${r.syncSeconds.toFixed(1)} s |`),
    '',
    '### Targets (issue 14)',
    '',
    ...targets,
    '',
  ].join('\n');
}

// The section replaces its earlier self; the rest of the file (the read-speed sections) stays as it is.
async function writeSection(file: string, text: string): Promise<void> {
  const before = await readFile(file, 'utf8').catch(() => '# capi-sync benchmarks\n');
  const start = before.search(/^## Pacing$/m);
  if (start === -1) return writeFile(file, `${before.trimEnd()}\n\n${text}`);
  const next = before.slice(start + 1).search(/^## /m);
  const rest = next === -1 ? '' : `\n${before.slice(start + 1 + next)}`;
  await writeFile(file, `${before.slice(0, start)}${text}${rest}`);
}

const dir = await mkdtemp(join(tmpdir(), 'capi-bench-pacing-'));
const kind = args.warehouse as BenchWarehouse['kind'];
process.stderr.write(`pacing: generating ${events} events on ${kind}… `);
const wh = await prepareWarehouse(kind, dir, events);
const config = join(dir, 'activations.yml');
await writeFile(config, activationsYml(wh.yaml, wh.sourceSchema, '${SNAP_ENDPOINT}', batchSize));
await capiSync(config, 'http://127.0.0.1:9', 'deploy');
process.stderr.write('done\n');
const results: Result[] = [];
try {
  for (const c of cases) {
    process.stderr.write(`pacing: ${c.limit} req/s, ${shape(c)}, Retry-After ${c.retryAfter === false ? 'none' : c.retryAfter}… `);
    const r = await pace(config, c);
    results.push(r);
    process.stderr.write(`${r.requests} requests, ${pct(r.refused / r.requests)} answered 429, rate halved ${r.lowered.length}× (from ${r.lowered.join(', ')}), ${pct(r.capacity)} of capacity, ${r.deliverySeconds.toFixed(1)} s\n`);
  }
} finally {
  await wh.cleanup();
}
const text = section(results, ['npm run bench --', ...process.argv.slice(2)].join(' '));
await writeSection(args.out, text);
process.stdout.write(`${text}\nwritten to ${args.out}\n`);
