import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployProject, ensureState } from '../../runner/commands/deploy.ts';
import { syncActivation, type ActivationResult } from '../../runner/commands/sync.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { tempProject } from '../support/cli.ts';
import { openProject, signals, type LogLine, type OpenProject } from '../support/project.ts';

/**
 * The parts of a sync (runner/commands/sync.ts) a person reads rather than what Snap receives: the
 * seconds it took, the progress lines, the fields of each log line, the request timeout, the saves of
 * the ledger while Snap answers. In this process, on the embedded warehouse and the sandbox over a socket,
 * as sync-activation.test.ts; each test syncs an activation of its own.
 */

const TOKEN = 'sync-details-token';
const PIXEL = 'px-details';
const TABLES = { quick: 6, skipped: 3, slow: 20, late: 2, saves: 40, retried: 20, paced: 20, odd: 3, texty: 3 } as const;
type Table = keyof typeof TABLES;
const LOADED_AT: Partial<Record<Table, string>> = { odd: `md5(g::text)::uuid`, texty: `'k' || lpad(g::text, 3, '0')` };

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

let project: OpenProject;
let dir: string;
beforeAll(async () => {
  const tables = Object.entries(TABLES).map(([name, rows]) => `create table shop.${name} as
  select '${name}-' || lpad(g::text, 3, '0') as id, now() - interval '2 hours' as paid_at,
         ${LOADED_AT[name as Table] ?? `timestamptz '2030-01-01 00:00:00+00' + g * interval '1 ms'`} as loaded_at,
         'user' || g || '@example.com' as email, (10 + g)::numeric as total, 'EUR' as cur
  from generate_series(1, ${rows}) as g;`).join('\n');
  dir = await tempProject({
    'activations.yml': `warehouse: { type: pglite, seeds: seeds }
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: https://tr.snapchat.com
  batch_size: 5
  max_in_flight: 2
  request_timeout_seconds: 1
  retry: { max_retries: 3, min_timeout: 1, max_timeout: 300 }
activations:
${Object.keys(TABLES).map((name) => `  ${name}:
    pixel_id: ${PIXEL}
    event_name: PURCHASE
    source: shop.${name}
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, event_id: id }
    cursor: loaded_at
    warnings: { rejected_rate_above: false, refused_above: false, run_longer_than: 5s }`).join('\n')}
`,
  });
  await mkdir(join(dir, 'seeds'));
  await writeFile(join(dir, 'seeds', 'shop.sql'), `create schema shop;\n${tables}\n`);
  project = await openProject(join(dir, 'activations.yml'), { SNAP_CAPI_TOKEN: TOKEN });
  await ensureState(project);
  await deployProject(project, { tables: false });
});
afterAll(async () => {
  await project?.warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox({ token: TOKEN, ...options });
  cleanup.push(() => started.close());
  return started;
}

interface Timed { result: ActivationResult; wallSeconds: number }

/** Syncs `name`, timed from outside; `change` edits the configuration this sync reads. */
async function sync(name: Table, endpoint: string, more: { progressSeconds?: number; change?: (config: OpenProject['config']) => OpenProject['config']; in?: OpenProject } = {}): Promise<Timed> {
  const p = more.in ?? project;
  const config = more.change ? more.change(p.config) : p.config;
  const started = performance.now();
  const result = await syncActivation({ ...p, config }, name, { endpoint, token: TOKEN }, signals(), { progressSeconds: more.progressSeconds ?? 0 });
  return { result, wallSeconds: (performance.now() - started) / 1000 };
}

const lines = (level: LogLine['level'], name: Table) => project.lines.filter((l) => l.level === level && l.message.startsWith(`${name}: `));
const PROGRESS = / event\(s\) sent so far | nothing sent yet /;

describe('the seconds a sync took', () => {
  it('are those measured around it, in the result; a run well inside run_longer_than has no warning', async () => {
    const snap = await sandbox({ latencyMs: 50 });
    const { result, wallSeconds } = await sync('quick', snap.url);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 6 }, warnings: [] });
    expect(result.seconds).toBeGreaterThan(0.04);
    expect(result.seconds).toBeLessThanOrEqual(wallSeconds);
    // progress_seconds 0: no progress line, however long the run; and every cursor had its place.
    expect(lines('info', 'quick').filter((l) => PROGRESS.test(l.message))).toEqual([]);
    expect(lines('warn', 'quick')).toEqual([]);
  });

  it('of a run skipped because another holds the lock: a moment, with no warnings', async () => {
    // The embedded warehouse is locked to this process; run-record.test.ts holds a real lock on Postgres.
    const held: OpenProject = { ...project, warehouse: Object.assign(Object.create(project.warehouse), { tryLock: async () => undefined }) };
    const snap = await sandbox();
    const { result, wallSeconds } = await sync('skipped', snap.url, { in: held });
    expect(result).toMatchObject({ status: 'skipped', warnings: [], counts: { sent: 0 } });
    expect(result.seconds).toBeGreaterThanOrEqual(0);
    expect(result.seconds).toBeLessThanOrEqual(wallSeconds);
    expect(snap.stats().requests).toBe(0);
  });
});

describe('progress lines', () => {
  it('one every progress_seconds: nothing sent yet while the first answers wait, then the events sent and their rate, with the same as fields', async () => {
    // 20 events, 5 a request, 2 in flight, each answered after 0.9 s: about 1.8 s in all; a line every 0.6 s.
    const snap = await sandbox({ latencyMs: 900 });
    const { result, wallSeconds } = await sync('slow', snap.url, { progressSeconds: 0.6 });
    expect(result.status).toBe('ok');
    const progress = lines('info', 'slow').filter((l) => PROGRESS.test(l.message));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(wallSeconds / 0.6) + 1);
    expect(progress[0].message).toMatch(/^slow: reading past the watermark, nothing sent yet \(\d+ s\)$/);
    const sent = progress.filter((l) => / sent so far /.test(l.message));
    expect(sent.length).toBeGreaterThan(0);
    for (const line of progress) {
      expect(line.fields).toMatchObject({ activation: 'slow', held_back: 0 });
      expect(line.fields!.seconds).toBeLessThanOrEqual(Math.ceil(wallSeconds));
    }
    for (const line of sent) {
      const [, events, rate] = /^slow: (\d+) event\(s\) sent so far \((\d+)\/s\), 0 held back$/.exec(line.message)!.map(Number);
      expect(line.fields!.sent).toBe(events);
      // At least 0.6 s in: the rate is at most the events sent.
      expect(rate).toBeLessThanOrEqual(events);
      expect(rate).toBeGreaterThanOrEqual(Math.floor(events / wallSeconds));
    }
  });
});

describe('a request Snap does not answer in time', () => {
  it('is abandoned after request_timeout_seconds and the run fails saying so', async () => {
    const snap = await sandbox({ latencyMs: 2500 });
    const { result, wallSeconds } = await sync('late', snap.url, { change: (c) => ({ ...c, snapchat: { ...c.snapchat, retry: { ...c.snapchat.retry, max_retries: 0 } } }) });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/1(\.0)? ?s|1000 ms|timed? ?out|no answer/i);
    expect(wallSeconds).toBeLessThan(2.5);
  });
});

describe('saves of the ledger while Snap answers', () => {
  it('with checkpoint_seconds 0, a slow save holds back the answers past batch_size × max_in_flight events', async () => {
    const sizes: number[] = [];
    const slowSaves: OpenProject = {
      ...project,
      state: Object.assign(Object.create(project.state), {
        checkpoint: async (...args: Parameters<OpenProject['state']['checkpoint']>) => {
          sizes.push(args[2].length);
          await new Promise((resolve) => setTimeout(resolve, 300));
          return project.state.checkpoint(...args);
        },
      }),
    };
    const snap = await sandbox();
    const { result } = await sync('saves', snap.url, { in: slowSaves });
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 40 } });
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40);
    // What waits for a save: the events of the requests in flight (10) and the batch settling meanwhile.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(15);
  });
});

describe('the fields of each warning and notice', () => {
  it('a retry: the status Snap answered, the attempt and the wait', async () => {
    const snap = await sandbox({ failureRate: 0.4, faults: ['503'], seed: 7 });
    const { result } = await sync('retried', snap.url);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 20 } });
    const retries = lines('warn', 'retried');
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) {
      expect(line.fields).toMatchObject({ activation: 'retried', status: 503, attempt: expect.any(Number), delay_ms: expect.any(Number), in_flight_limit: expect.any(Number) });
    }
  });

  it('a retry with no answer at all has no status field', async () => {
    const snap = await sandbox({ failureRate: 0.4, faults: ['reset'], seed: 5 });
    const { result } = await sync('paced', snap.url);
    expect(result).toMatchObject({ status: 'ok', counts: { sent: 20 } });
    const retries = lines('warn', 'paced');
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) {
      expect(line.fields).toMatchObject({ activation: 'paced' });
      expect(line.fields).not.toHaveProperty('status', expect.anything());
    }
  });

  it('a cursor with no place in the watermark order: the warning names the activation', async () => {
    const snap = await sandbox();
    const { result } = await sync('odd', snap.url);
    expect(result.counts.sent).toBe(3);
    const [warning] = lines('warn', 'odd');
    expect(warning.message).toMatch(/^odd: the watermark stays where it is/);
    expect(warning.fields).toEqual({ activation: 'odd' });
  });

  it('a look-back that cannot apply: the warning names the activation', async () => {
    const snap = await sandbox();
    await sync('texty', snap.url);
    await sync('texty', snap.url);
    const [warning] = lines('warn', 'texty');
    expect(warning.message).toMatch(/^texty: .*look-?back/i);
    expect(warning.fields).toEqual({ activation: 'texty' });
  });
});
