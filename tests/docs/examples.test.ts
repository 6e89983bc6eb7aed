import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SKIPPED_EXIT_CODE } from '../../runner/commands/run.ts';
import { ROOT, runCli } from '../support/cli.ts';
import { codeBlocks } from './markdown.ts';

// The examples under examples/ as a user would take them: the Airflow DAG is valid Python and treats
// capi-sync's skip code as a skip; the dbt model, built as dbt would build it, is the source of the
// activation its README shows, on the embedded warehouse, and sends what the example project sends.

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.warn('SKIPPED: python3 is not installed, so the Airflow DAG is not compiled');

describe('examples/airflow/capi_sync_dag.py', () => {
  const dag = join(ROOT, 'examples', 'airflow', 'capi_sync_dag.py');

  it.skipIf(!python)('is valid Python', async () => {
    // The bytecode goes to a scratch folder, not beside the example.
    const cache = await mkdtemp(join(tmpdir(), 'capi-sync-pycache-'));
    expect(() => execFileSync('python3', ['-m', 'py_compile', dag], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache }, stdio: 'pipe' })).not.toThrow();
  });

  it('marks the run skipped on the exit code capi-sync uses for a held lock', async () => {
    const text = await readFile(dag, 'utf8');
    expect(text).toContain('skip_on_exit_code=SKIPPED');
    expect(Number(/^SKIPPED = (\d+)$/m.exec(text)?.[1])).toBe(SKIPPED_EXIT_CODE);
  });
});

describe('examples/dbt', () => {
  const dbt = join(ROOT, 'examples', 'dbt');

  /** The model's SQL as `dbt compile` writes it: config() gone, source() as the table sources.yml declares. */
  async function compiled(): Promise<string> {
    const sources = parse(await readFile(join(dbt, 'models', 'sources.yml'), 'utf8')) as { sources: { name: string; schema?: string; tables: { name: string }[] }[] };
    const sql = (await readFile(join(dbt, 'models', 'snap_purchases.sql'), 'utf8'))
      .replace(/\{\{\s*config\([^)]*\)\s*\}\}/g, '')
      .replace(/\{\{\s*source\('([^']+)',\s*'([^']+)'\)\s*\}\}/g, (_, source: string, table: string) => {
        const s = sources.sources.find((x) => x.name === source);
        if (!s?.tables.some((t) => t.name === table)) throw new Error(`source('${source}', '${table}') is not declared in sources.yml`);
        return `${s.schema ?? s.name}.${table}`;
      });
    expect(sql).not.toMatch(/\{\{|\{%/);
    return sql;
  }

  it('is the source of the activation its README shows, and sends what the example project sends', { timeout: 180_000 }, async () => {
    const example = await mkdtemp(join(tmpdir(), 'capi-sync-example-'));
    for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(example, part), { recursive: true });
    const reference = await runCli(['run'], { cwd: example });
    expect(reference.code, reference.stderr).toBe(0);
    const sentByExample = Number(/sent (\d+) event/.exec(reference.stdout)?.[1]);
    expect(sentByExample).toBeGreaterThan(200);

    // The example's data, then the model built in the schema the README names (dbt's target schema).
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-dbt-'));
    await cp(join(ROOT, 'seeds'), join(dir, 'seeds'), { recursive: true });
    const activation = codeBlocks('examples/dbt/README.md').find((b) => b.lang === 'yaml')!.text;
    const view = /source: (\S+)/.exec(activation)![1];
    await writeFile(join(dir, 'seeds', 'zz_dbt_snap_purchases.sql'), `create schema ${view.split('.')[0]};\ncreate view ${view} as\n${await compiled()};\n`);
    await writeFile(join(dir, 'activations.yml'), `warehouse:\n  type: pglite\n  path: .capi-sync/warehouse\n  seeds: seeds\nsnapchat:\n  endpoint: sandbox\n${activation}`);

    const check = await runCli(['check'], { cwd: dir, env: { SNAP_PIXEL_ID: 'example-pixel' } });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const run = await runCli(['run'], { cwd: dir, env: { SNAP_PIXEL_ID: 'example-pixel' } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(Number(/sent (\d+) event/.exec(run.stdout)?.[1])).toBe(sentByExample);
    expect(run.stdout).toMatch(/held back by the view: .*1 event_in_future.*10 no_user_identifier/);
  });
});
