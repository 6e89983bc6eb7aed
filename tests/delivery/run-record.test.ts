import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { deployProject } from '../../runner/commands/deploy.ts';
import { syncActivation } from '../../runner/commands/sync.ts';
import { startSandbox } from '../../runner/sandbox/server.ts';
import { pgQuery, POSTGRES_URL, postgresReachable } from '../support/postgres.ts';
import { openProject, signals } from '../support/project.ts';
import { ACTIVATION, pgProject, until } from './pg-project.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.skipIf(!postgresReachable)('the run record and the lock (Postgres, two runners in this process)', () => {
  it('a run is recorded finished before its lock is given back: a runner that asks meanwhile is skipped and never marks it abandoned', async () => {
    const p = await pgProject({ events: 200, prefix: 'capi_rec', snapchat: 'batch_size: 10\nmax_in_flight: 1' });
    cleanup.push(() => p.drop());
    const snap = await startSandbox({ latencyMs: 100 });
    cleanup.push(() => snap.close());
    const env = { DATABASE_URL: POSTGRES_URL, SNAP_ENDPOINT: snap.url, SNAP_CAPI_TOKEN: 'test-token' };
    const [first, second] = [await openProject(`${p.dir}/activations.yml`, env), await openProject(`${p.dir}/activations.yml`, env)];
    cleanup.push(() => first.warehouse.close(), () => second.warehouse.close());
    await deployProject(first);
    const target = { endpoint: snap.url, token: 'test-token' };

    // A session of our own holds the first run's record (a slow warehouse, in effect): recording the
    // run's end waits for it, with the run otherwise over.
    const holder = new pg.Client({ connectionString: POSTGRES_URL });
    await holder.connect();
    cleanup.push(() => holder.end());
    const running = syncActivation(first, ACTIVATION, target, signals(), { progressSeconds: 0 });
    await until(async () => (await holder.query(`select 1 from "${p.schema}".capi_sync_runs where status = 'running'`)).rowCount === 1, 10_000, 'the first run to start');
    await holder.query('begin');
    const held = await holder.query(`select run_id from "${p.schema}".capi_sync_runs where status = 'running' for update`);
    expect(held.rowCount).toBe(1);
    // Asked from a session of its own: a transaction sees pg_stat_activity as it was at its first read.
    const waiting = async (what: string) => (await pgQuery(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like $1`, [`update %capi_sync_runs% set ${what}%`])).length;
    await until(async () => (await waiting('finished_at')) === 1, 20_000, 'the first run to record its end');

    // Another runner now: the first still holds the lock, so this one is skipped.
    const other = syncActivation(second, ACTIVATION, target, signals(), { progressSeconds: 0 });
    const settled = other.then(() => true);
    await until(async () => (await Promise.race([settled, Promise.resolve(false)])) || (await waiting("status = 'abandoned'")) === 1, 10_000, 'the second runner to finish or wait');
    await holder.query('commit');

    const [a, b] = await Promise.all([running, other]);
    expect(a.status).toBe('ok');
    expect(a.counts.sent).toBe(200);
    expect(b.status).toBe('skipped');
    expect(b.error).toContain(`another capi-sync is already syncing ${ACTIVATION}`);
    expect((await p.runs()).map((r) => r.status)).toEqual(['ok', 'skipped']);
    expect(snap.stats().accepted).toBe(200);
  });

  it('views that no longer match the config: the run stops before it reads or records anything, and gives the lock back', async () => {
    const p = await pgProject({ events: 5, prefix: 'capi_rec' });
    cleanup.push(() => p.drop());
    const env = { DATABASE_URL: POSTGRES_URL, SNAP_ENDPOINT: 'http://127.0.0.1:9', SNAP_CAPI_TOKEN: 'test-token' };
    const project = await openProject(`${p.dir}/activations.yml`, env);
    cleanup.push(() => project.warehouse.close());
    await deployProject(project);
    const seen: (string | null)[] = [];
    const stale = new Error('activations.orders: the views were deployed from another mapping');
    const run = syncActivation(project, ACTIVATION, { endpoint: 'http://127.0.0.1:9', token: 'test-token' }, signals(), {
      progressSeconds: 0,
      checkViews: async (deployed) => {
        seen.push(deployed);
        throw stale;
      },
    });
    await expect(run).rejects.toBe(stale);
    expect(seen).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(await p.runs()).toEqual([]);
    const lock = await project.warehouse.tryLock(ACTIVATION);
    expect(lock).not.toBeNull();
    await lock!.release();
  });
});
