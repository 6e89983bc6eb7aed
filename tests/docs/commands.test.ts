import { cp, mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { ROOT, runCli } from '../support/cli.ts';
import { argumentProblems, readCliSpec, type CliSpec } from './cli-spec.ts';
import { codeBlocks, docPages, inlineCode } from './markdown.ts';
import { PENDING } from './pending.ts';
import { capiSyncArgs, npmScript, shellWords, simpleCommands } from './shell.ts';

// Every command the docs show a user, checked against the real CLI: each `capi-sync …` line of a shell
// block, each inline `capi-sync …` of the prose and the examples' commands parse as the CLI's own
// help describes it; every `npm run …` names a script; every YAML block parses, and every whole config
// validates. The shell blocks' commands that are safe on the example project then run on a copy of it
// (the embedded warehouse and the built-in sandbox), in the order a reader meets them.

const SHELL = new Set(['sh', 'bash', 'shell', 'cron']);

interface DocCommand {
  where: string;
  args: string[];
  /** From a shell block (something to run), or inline in the prose (something to read). */
  inBlock: boolean;
}

function documentedCommands(): DocCommand[] {
  const found: DocCommand[] = [];
  for (const page of docPages()) {
    for (const block of codeBlocks(page).filter((b) => SHELL.has(b.lang))) {
      for (const command of simpleCommands(block.text)) {
        const args = capiSyncArgs(command);
        if (args) found.push({ where: `${page}:${block.line}: ${command.join(' ')}`, args, inBlock: true });
      }
    }
    for (const span of inlineCode(page).filter((s) => /^(npx )?capi-sync( |$)/.test(s))) {
      const args = capiSyncArgs(shellWords(span));
      // `capi-sync <command> --help` names no command.
      if (args && !args[0]?.startsWith('<')) found.push({ where: `${page}: \`${span}\``, args, inBlock: false });
    }
  }
  // The commands the examples run: the Airflow task's and the systemd unit's.
  const examples: [string, RegExp][] = [['examples/airflow/capi_sync_dag.py', /bash_command="([^"]+)"/g], ['examples/systemd/capi-sync.service', /^ExecStart=(.+)$/gm]];
  for (const [file, pattern] of examples) {
    for (const [, script] of readFileSync(join(ROOT, file), 'utf8').matchAll(pattern)) {
      for (const command of simpleCommands(script)) {
        const args = capiSyncArgs(command);
        if (args) found.push({ where: `${file}: ${command.join(' ')}`, args, inBlock: false });
      }
    }
  }
  return found;
}

const commands = documentedCommands();
let cli: CliSpec;
beforeAll(async () => {
  cli = await readCliSpec();
});

it('finds the commands of the README, docs/ and the examples', () => {
  const names = new Set(commands.map((c) => c.args[0]));
  for (const name of ['run', 'sync', 'serve', 'status', 'query', 'reset', 'check', 'compile', 'deploy', 'demo', 'sandbox']) expect(names).toContain(name);
});

it('the README lists every command of the CLI', () => {
  const readme = new Set(inlineCode('README.md').map((s) => capiSyncArgs(shellWords(s))?.[0]));
  for (const name of cli.commands.keys()) expect(readme, `README.md has no \`capi-sync ${name}\``).toContain(name);
});

it('the check refuses what the CLI refuses', async () => {
  // The same lines, run: the CLI's own verdict (exit 2 for a usage error) and the check's agree.
  const lines = [
    ['run', '--fail-on-warnings'], ['query', 'select 1', '--format', 'xml'], ['reset'], ['sync', '--progress'],
    ['sandbox', '--port', '0', '--faults', '500', '429', '--seed', '1', '--fast-accept', '--help'], ['query', 'select 1', '--format', 'csv', '--help'],
  ];
  for (const args of lines) {
    const usageError = (await runCli(args)).code === 2;
    expect(argumentProblems(cli, args).length > 0, args.join(' ')).toBe(usageError);
  }
});

it.each(commands.map((c) => [c.where, c] as const))('%s', (_where, command) => {
  const name = command.args[0];
  if (name && !name.startsWith('-') && !cli.commands.has(name) && PENDING.commands.includes(name)) {
    console.warn(`SKIPPED: capi-sync ${name} is not in this build yet (tests/docs/pending.ts)`);
    return;
  }
  // Prose may name a command alone (`capi-sync reset`); a line with arguments must be one that runs.
  if (!command.inBlock && command.args.length === 1 && !name.startsWith('-')) expect([...cli.commands.keys()]).toContain(name);
  else expect(argumentProblems(cli, command.args)).toEqual([]);
});

describe('npm scripts', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const named = docPages().flatMap((page) => codeBlocks(page).filter((b) => SHELL.has(b.lang)).flatMap((b) => simpleCommands(b.text).map(npmScript).filter((s) => s !== undefined).map((s) => [`${page}:${b.line}: npm run ${s}`, s] as const)));

  it('the docs run npm test, bench and chaos', () => {
    for (const script of ['test', 'bench', 'chaos']) expect(named.map(([, s]) => s)).toContain(script);
  });

  it.each(named)('%s', (_where, script) => {
    if (!scripts[script] && PENDING.scripts.includes(script)) {
      console.warn(`SKIPPED: npm run ${script} is not in this package.json yet (tests/docs/pending.ts)`);
      return;
    }
    expect(Object.keys(scripts)).toContain(script);
  });
});

describe('YAML blocks', () => {
  const blocks = docPages().flatMap((page) => codeBlocks(page).filter((b) => b.lang === 'yaml' || b.lang === 'yml'));
  /** A value for each ${NAME} the block reads, of the kind the key expects. */
  const env = (text: string) => Object.fromEntries([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map(([, name]) => [name,
    name.includes('DATABASE_URL') ? 'postgres://capi:secret@db.internal:5432/analytics'
      : name.includes('WEBHOOK') ? 'https://hooks.example.com/services/T0/B0/x' : 'x1234']));

  it.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))('%s parses', (_where, block) => {
    const doc = parseDocument(block.text, { uniqueKeys: true });
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    const value = doc.toJS() as Record<string, unknown> | null;
    if (value && 'warehouse' in value && 'snapchat' in value && 'activations' in value) {
      // A whole config: valid as written, given its variables.
      expect(() => parseConfig(block.text, env(block.text))).not.toThrow();
    }
  });
});

describe('the commands of the shell blocks, run on the example project', () => {
  // Commands that run and end on their own; serve and sandbox run until stopped (tests/serve and
  // tests/delivery/sandbox-cli run them). A line with a placeholder, another config or an activation the
  // example does not have is only parsed (above).
  const SAFE = new Set(['run', 'sync', 'status', 'query', 'compile', 'deploy', 'check', 'demo', 'reset']);
  const runnable = (args: string[]) => SAFE.has(args[0])
    && !args.some((a) => /[<>…]/.test(a) || a === '--config' || a === '-c')
    && args.every((a, i) => !['--activation', '-a'].includes(args[i - 1]) || a === 'store_purchases')
    && (args[0] !== 'reset' || args[1] === 'store_purchases');
  const lines = commands.filter((c, i) => c.inBlock && runnable(c.args) && commands.findIndex((d) => d.inBlock && d.args.join(' ') === c.args.join(' ')) === i);

  it('starts with the README\'s first command', () => {
    expect(lines[0]?.where).toMatch(/^README\.md:\d+: npx capi-sync run$/);
  });

  it(`runs ${lines.length} of them, each exiting 0; the first prints what the README shows`, { timeout: 600_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capi-sync-docs-'));
    for (const part of ['activations.yml', 'models', 'seeds']) await cp(join(ROOT, part), join(dir, part), { recursive: true });
    const shown = codeBlocks('README.md').find((b) => b.lang === '' && b.text.startsWith('endpoint: '));
    expect(shown, 'README.md shows the output of the first run').toBeDefined();
    for (const [i, line] of lines.entries()) {
      const result = await runCli(line.args, { cwd: dir });
      expect(result.code, `${line.where}\n${result.stdout}\n${result.stderr}`).toBe(0);
      if (i === 0) expect(comparable(result.stdout)).toEqual(comparable(shown!.text));
    }
  });
});

/** Output lines with what changes from run to run (ports, times, rates, dates) masked. */
function comparable(output: string): string[] {
  return output.trim().split('\n').map((line) => line
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/in \d+\.\d+ s \(\d+\/s\)/g, 'in T s (R/s)')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, 'TIME'));
}
