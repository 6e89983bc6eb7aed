// npm run bench [-- --quick] [--sizes 200000,1000000] [--warehouses postgres,pglite] [--index both|yes|no]
//                 [--read-connections 1,2,4] [--repeat 3]
// Measures, side by side in one run: the warehouse's own cost of reading the outbound view (floor: psql
// \copy on Postgres, the same driver in a Node process on both), capi-sync sync end to end (ledger on) to a
// separate fast-accept sandbox, with and without an index on the source's cursor column, a client-side
// baseline that hashes in JavaScript, one event per request, and on Postgres at the largest size sync over
// 1, 2 and 4 read connections. Writes bench/results.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { activationsYml, OUTBOUND_READ } from './data.ts';
import { measure, type Measured } from './measure.ts';
import { prepareWarehouse, type BenchWarehouse } from './warehouses.ts';
import { writeResults, type Connections, type Row } from './report.ts';

// npm run bench -- --pacing: the request-rate bench instead (bench/pacing.ts), with its own options.
if (process.argv.includes('--pacing')) {
  await import('./pacing.ts');
  process.exit(0);
}

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'runner', 'bin.mjs');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    warehouses: { type: 'string', default: 'postgres,pglite' },
    repeat: { type: 'string' },
    sample: { type: 'string', default: '1000' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results.md') },
    index: { type: 'string', default: 'both' },
    'read-connections': { type: 'string', default: '1,2,4' },
  },
});
const sizes = (args.sizes ?? (args.quick ? '20000,50000' : '200000,1000000')).split(',').map(Number);
const indexVariants = ({ both: [true, false], yes: [true], no: [false] } as Record<string, boolean[]>)[args.index];
if (!indexVariants) throw new Error(`--index must be both, yes or no, not ${args.index}`);
const connectionCounts = args['read-connections'] ? args['read-connections'].split(',').map(Number) : [];
const repeat = Number(args.repeat ?? (args.quick ? 1 : 3));
const sample = Number(args.sample);
const tsx = (script: string, ...rest: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', join(ROOT, 'bench', script), ...rest]];

async function startSandboxProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--fast-accept'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) done(match[1]);
    });
    child.on('exit', () => fail(new Error(`sandbox exited: ${out}`)));
  });
  return { url, child };
}

async function sandboxStats(url: string): Promise<{ accepted: number; max_events_per_request: number; max_request_bytes: number; duplicates: number }> {
  return (await (await request(`${url}/_sandbox/stats`)).body.json()) as never;
}
async function sandboxReset(url: string): Promise<void> {
  await (await request(`${url}/_sandbox/reset`, { method: 'POST' })).body.dump();
}

async function cli(config: string, ...command: string[]): Promise<void> {
  const result = await measure(process.execPath, [BIN, ...command, '--config', config]);
  if (result.code !== 0) throw new Error(`capi-sync ${command.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

const hasPsql = spawnSync('psql', ['--version']).status === 0;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function best<T extends { ms: number }>(runs: T[]): T {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

/** One sync from the start (the ledger emptied by reset): every event must reach the sandbox. */
async function syncFromStart(config: string, n: number): Promise<Measured & { stats: Awaited<ReturnType<typeof sandboxStats>> }> {
  await cli(config, 'reset', 'orders', '--from-start');
  await sandboxReset(sandbox.url);
  const run = await measure(process.execPath, [BIN, 'sync', '--config', config]);
  const stats = await sandboxStats(sandbox.url);
  if (run.code !== 0 || stats.accepted !== n) throw new Error(`sync sent ${stats.accepted} of ${n}:\n${run.stdout}${run.stderr}`);
  return { ...run, stats };
}

const sandbox = await startSandboxProcess();
const rows: Row[] = [];
const connections: Connections[] = [];
try {
  for (const kind of args.warehouses.split(',') as BenchWarehouse['kind'][]) {
    for (const n of sizes) {
      for (const indexed of indexVariants) {
        const dir = await mkdtemp(join(tmpdir(), `capi-bench-${kind}-`));
        process.stderr.write(`${kind} ${n} ${indexed ? 'indexed' : 'unindexed'}: generating data… `);
        const wh = await prepareWarehouse(kind, dir, n, indexed);
        const configFor = async (readConnections?: number) => {
          const file = join(dir, `activations${readConnections ?? ''}.yml`);
          const block = readConnections ? `${wh.yaml}\n  read_connections: ${readConnections}` : wh.yaml;
          await writeFile(file, activationsYml(block, wh.sourceSchema, sandbox.url));
          return file;
        };
        const config = await configFor();
        await cli(config, 'deploy');
        process.stderr.write('measuring… ');

        const floors = [];
        const copies = [];
        const syncs = [];
        // Each sync over the floor measured just before it: on a shared machine, speed drifts between runs.
        const ratios = [];
        for (let i = 0; i < repeat; i++) {
          let copy: Measured | undefined;
          if (wh.url && hasPsql) {
            copy = await measure('psql', [wh.url, '-c', `\\copy (${OUTBOUND_READ}) to '/dev/null'`]);
            if (copy.code !== 0 || !copy.stdout.includes(`COPY ${n}`)) throw new Error(`psql copy failed:\n${copy.stdout}${copy.stderr}`);
            copies.push(copy);
          }
          const floor = await measure(...tsx('floor.ts', config));
          if (JSON.parse(floor.stdout).rows !== n) throw new Error(`floor read ${floor.stdout.trim()}, expected ${n} rows`);
          floors.push(floor);
          const run = await syncFromStart(config, n);
          syncs.push(run);
          ratios.push(run.ms / Math.min(floor.ms, copy?.ms ?? Infinity));
        }
        // The client-side baseline and one event per request do not depend on the index: measured once.
        let baseline: Measured | undefined;
        let single: Measured | undefined;
        if (indexed === indexVariants[0]) {
          await sandboxReset(sandbox.url);
          baseline = await measure(...tsx('baseline.ts', config, sandbox.url, '2000'));
          if (baseline.code !== 0 || (await sandboxStats(sandbox.url)).accepted !== n) throw new Error(`baseline failed:\n${baseline.stderr}`);
          single = await measure(...tsx('baseline.ts', config, sandbox.url, '1', String(sample)));
          if (single.code !== 0) throw new Error(`one-per-request failed:\n${single.stderr}`);
        }
        const sync = best(syncs);
        rows.push({ warehouse: kind, n, indexed, floor: best(floors), copy: copies.length > 0 ? best(copies) : undefined, sync, ratio: median(ratios), baseline, single, sample, maxEvents: sync.stats.max_events_per_request, maxBytes: sync.stats.max_request_bytes });
        process.stderr.write(`capi-sync/floor ${median(ratios).toFixed(2)}× (${ratios.map((x) => x.toFixed(2)).join(', ')}), peak RSS ${Math.round(sync.rssMb)} MB\n`);

        // Reads over several connections, on Postgres at the largest size: the runs alternate between the counts.
        if (kind === 'postgres' && n === Math.max(...sizes) && connectionCounts.length > 0) {
          const files = await Promise.all(connectionCounts.map((c) => configFor(c)));
          const times = connectionCounts.map(() => [] as Measured[]);
          for (let i = 0; i < repeat; i++) {
            for (const [at, file] of files.entries()) times[at].push(await syncFromStart(file, n));
          }
          connections.push({ n, indexed, runs: connectionCounts.map((count, at) => ({ count, sync: best(times[at]) })) });
          process.stderr.write(`  read connections ${connectionCounts.map((c, at) => `${c}: ${(best(times[at]).ms / 1000).toFixed(2)} s`).join(', ')}\n`);
        }
        await wh.cleanup();
      }
    }
  }
} finally {
  sandbox.child.kill('SIGINT');
}
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
await writeResults(args.out, rows, connections, command);
process.stderr.write(`results written to ${args.out}\n`);
