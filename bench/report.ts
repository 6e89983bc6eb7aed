import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Measured } from './measure.ts';

export interface Row {
  warehouse: string;
  n: number;
  /** Whether the source has an index on its cursor column. */
  indexed: boolean;
  floor: Measured;
  /** psql copying the same rows out (Postgres, when psql is installed). */
  copy?: Measured;
  sync: Measured;
  /** Median over the repeats of each sync's time over the faster floor measured just before it. */
  ratio: number;
  /** Measured once per size (with the first index variant). */
  baseline?: Measured;
  single?: Measured;
  /** Events timed one per request. */
  sample: number;
  maxEvents: number;
  maxBytes: number;
}

/** capi-sync sync of the largest size on Postgres over 1, 2, 4… read connections. */
export interface Connections {
  n: number;
  indexed: boolean;
  runs: { count: number; sync: Measured }[];
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
const mb = (m: Measured) => `${Math.round(m.rssMb)} MB`;

/** bench/results.md: machine, versions, date, the tables, and whether each target is met. */
export async function writeResults(file: string, rows: Row[], connections: Connections[], command: string): Promise<void> {
  const modules = resolve(import.meta.dirname, '..', 'node_modules');
  const version = (pkg: string) => (JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const lines = [
    '# capi-sync benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- node ${process.version}, pg ${version('pg')}, @electric-sql/pglite ${version('@electric-sql/pglite')}, undici ${version('undici')}`,
    `- command: \`${command}\``,
    '- every figure is a whole process (start-up included); the sandbox runs as a separate process in fast-accept mode, on the same cores',
    '- cursor index: whether the source table has an index on its cursor column (loaded_at); capi-sync reads in no order, so it makes no difference to the read',
    '- floor: every row of the outbound view (`select event_id, payload from capi_bench.orders_outbound`), read by `psql \\copy` to /dev/null on Postgres and by the same driver in a Node process; times are the best of the repeats',
    '- capi-sync sync: from the start (the ledger emptied by `reset --from-start`), the ledger written as Snap accepts each batch, default read_connections',
    '- capi-sync / floor: the median over the repeats of each sync\'s time over the faster floor measured just before it (the machine\'s speed drifts between runs)',
    '',
    '| warehouse | events | cursor index | floor: driver · psql | capi-sync sync | client-side baseline | one event per request | capi-sync / floor | baseline / capi-sync | peak RSS: floor · capi-sync · baseline | largest request |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.warehouse} | ${r.n.toLocaleString('en-US')} | ${r.indexed ? 'yes' : 'no'} | ${fmt(r.floor.ms)}${r.copy ? ` · ${fmt(r.copy.ms)}` : ''} | ${fmt(r.sync.ms)} (${rate(r.n, r.sync.ms)}) | ${r.baseline ? `${fmt(r.baseline.ms)} (${rate(r.n, r.baseline.ms)})` : '—'} | ${r.single ? `${rate(r.sample, r.single.ms)} (${r.sample} events)` : '—'} | ${r.ratio.toFixed(2)}× | ${r.baseline ? `${(r.baseline.ms / r.sync.ms).toFixed(2)}×` : '—'} | ${mb(r.floor)} · ${mb(r.sync)} · ${r.baseline ? mb(r.baseline) : '—'} | ${r.maxEvents} events, ${(r.maxBytes / 1e6).toFixed(2)} MB |`),
    '',
    ...(connections.length === 0 ? [] : [
      '## Read connections (Postgres)',
      '',
      'capi-sync sync over 1, 2 and 4 connections reading shares of the outbound view (`warehouse.read_connections`), runs alternating; best of the repeats.',
      '',
      '| events | cursor index | connections | capi-sync sync | speed-up over 1 | peak RSS |',
      '| ---: | --- | ---: | ---: | ---: | ---: |',
      ...connections.flatMap((c) => c.runs.map((r) => `| ${c.n.toLocaleString('en-US')} | ${c.indexed ? 'yes' : 'no'} | ${r.count} | ${fmt(r.sync.ms)} (${rate(c.n, r.sync.ms)}) | ${(c.runs[0].sync.ms / r.sync.ms).toFixed(2)}× | ${mb(r.sync)} |`)),
      '',
    ]),
    '## Targets',
    '',
    ...targets(rows, connections),
    '',
  ];
  await writeFile(file, lines.join('\n'));
}

function targets(rows: Row[], connections: Connections[]): string[] {
  const out: string[] = [];
  const check = (ok: boolean, text: string) => out.push(`- ${ok ? 'met' : 'NOT met'}: ${text}`);
  const index = (r: { indexed: boolean }) => (r.indexed ? 'indexed' : 'unindexed');
  for (const r of rows.filter((r) => r.warehouse === 'postgres')) {
    check(r.ratio <= 1.2, `capi-sync ≤ 1.2× floor on Postgres at ${r.n.toLocaleString('en-US')}, ${index(r)} (${r.ratio.toFixed(2)}×)`);
  }
  for (const r of rows.filter((r) => r.baseline)) check(r.baseline!.ms >= 2 * r.sync.ms, `≥ 2× faster than the client-side baseline, ${r.warehouse} ${r.n.toLocaleString('en-US')} (${(r.baseline!.ms / r.sync.ms).toFixed(2)}×)`);
  for (const r of rows.filter((r) => r.warehouse === 'postgres')) check(r.sync.rssMb < 200, `peak RSS < 200 MB on Postgres at ${r.n.toLocaleString('en-US')}, ${index(r)} (${mb(r.sync)})`);
  for (const kind of new Set(rows.map((r) => r.warehouse))) {
    for (const indexed of [true, false]) {
      const of = rows.filter((r) => r.warehouse === kind && r.indexed === indexed).sort((a, b) => a.n - b.n);
      if (of.length < 2) continue;
      const [small, large] = [of[0], of[of.length - 1]];
      check(large.sync.rssMb <= 1.2 * small.sync.rssMb, `peak RSS flat on ${kind}, ${index(small)}: ${mb(small.sync)} at ${small.n.toLocaleString('en-US')}, ${mb(large.sync)} at ${large.n.toLocaleString('en-US')} (≤ 1.2×)`);
    }
  }
  for (const c of connections) {
    const one = c.runs.find((r) => r.count === 1);
    const two = c.runs.find((r) => r.count === 2);
    if (one && two) check(one.sync.ms >= 1.3 * two.sync.ms, `2 read connections ≥ 1.3× faster than 1 at ${c.n.toLocaleString('en-US')}, ${index(c)} (${(one.sync.ms / two.sync.ms).toFixed(2)}×)`);
  }
  check(rows.every((r) => r.maxEvents <= 2000 && r.maxBytes <= 4_000_000), 'no request over 2,000 events or 4 MB');
  return out;
}
