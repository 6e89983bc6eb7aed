import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Measured } from './measure.ts';

export interface Row {
  warehouse: string;
  n: number;
  floor: Measured;
  /** psql copying the same rows out (Postgres, when psql is installed). */
  copy?: Measured;
  sync: Measured;
  /** Median over the repeats of each sync's time over the faster floor measured just before it. */
  ratio: number;
  baseline: Measured;
  single: Measured;
  /** Events timed one per request. */
  sample: number;
  maxEvents: number;
  maxBytes: number;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;
const mb = (m: Measured) => `${Math.round(m.rssMb)} MB`;

/** bench/results.md: machine, versions, date, the table, and whether each target is met. */
export async function writeResults(file: string, rows: Row[], command: string, cursorIndex: boolean): Promise<void> {
  const modules = resolve(import.meta.dirname, '..', 'node_modules');
  const version = (pkg: string) => (JSON.parse(readFileSync(join(modules, pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const lines = [
    '# capi-sync benchmark',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- node ${process.version}, pg ${version('pg')}, @electric-sql/pglite ${version('@electric-sql/pglite')}, undici ${version('undici')}`,
    `- command: \`${command}\``,
    '- every figure is a whole process (start-up included); the sandbox runs as a separate process in fast-accept mode',
    `- the source table ${cursorIndex ? 'has an index on its cursor column (loaded_at), as an incremental-load table usually does' : 'has no index on its cursor column (--no-cursor-index): the whole view is computed and sorted before the first row'}`,
    '- floor: the outbound view read past the watermark by the same driver (a Node process, like capi-sync), and on Postgres by `psql \\copy` to /dev/null; times are the best of the repeats',
    '- capi-sync / floor: the median over the repeats of each sync\'s time over the faster floor measured just before it (the machine\'s speed drifts between runs)',
    '',
    '| warehouse | events | floor: driver · psql | capi-sync sync | client-side baseline | one event per request | capi-sync / floor | baseline / capi-sync | peak RSS: floor · capi-sync · baseline | largest request |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.warehouse} | ${r.n.toLocaleString('en-US')} | ${fmt(r.floor.ms)}${r.copy ? ` · ${fmt(r.copy.ms)}` : ''} | ${fmt(r.sync.ms)} (${rate(r.n, r.sync.ms)}) | ${fmt(r.baseline.ms)} (${rate(r.n, r.baseline.ms)}) | ${rate(r.sample, r.single.ms)} (${r.sample} events) | ${r.ratio.toFixed(2)}× | ${(r.baseline.ms / r.sync.ms).toFixed(2)}× | ${mb(r.floor)} · ${mb(r.sync)} · ${mb(r.baseline)} | ${r.maxEvents} events, ${(r.maxBytes / 1e6).toFixed(2)} MB |`),
    '',
    '## Targets',
    '',
    ...targets(rows),
    '',
  ];
  await writeFile(file, lines.join('\n'));
}

function targets(rows: Row[]): string[] {
  const out: string[] = [];
  const check = (ok: boolean, text: string) => out.push(`- ${ok ? 'met' : 'NOT met'}: ${text}`);
  for (const r of rows.filter((r) => r.warehouse === 'postgres')) {
    check(r.ratio <= 1.3, `capi-sync ≤ 1.3× floor on Postgres at ${r.n.toLocaleString('en-US')} (${r.ratio.toFixed(2)}×)`);
  }
  for (const r of rows) check(r.baseline.ms >= 2 * r.sync.ms, `≥ 2× faster than the client-side baseline, ${r.warehouse} ${r.n.toLocaleString('en-US')} (${(r.baseline.ms / r.sync.ms).toFixed(2)}×)`);
  for (const kind of new Set(rows.map((r) => r.warehouse))) {
    const of = rows.filter((r) => r.warehouse === kind).sort((a, b) => a.n - b.n);
    if (of.length < 2) continue;
    const [small, large] = [of[0], of[of.length - 1]];
    check(large.sync.rssMb <= 1.2 * small.sync.rssMb && large.sync.rssMb < 200, `peak RSS flat on ${kind}: ${mb(small.sync)} at ${small.n.toLocaleString('en-US')}, ${mb(large.sync)} at ${large.n.toLocaleString('en-US')} (≤ 1.2× and < 200 MB)`);
  }
  check(rows.every((r) => r.maxEvents <= 2000 && r.maxBytes <= 4_000_000), 'no request over 2,000 events or 4 MB');
  return out;
}
