import { afterEach, describe, expect, it } from 'vitest';
import { WarehouseError } from '../../runner/errors.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { openPostgres } from '../../runner/warehouse/postgres.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';
import { pgProject, until, type PgProject } from '../delivery/pg-project.ts';
import { runCli } from '../support/cli.ts';
import { dropSchemas, pgQuery, POSTGRES_URL, postgresReachable, uniqueName } from '../support/postgres.ts';
import { startProxy, type TcpProxy } from './tcp-proxy.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  cleanup.push(() => started.close());
  return started;
}
async function project(options: Parameters<typeof pgProject>[0]): Promise<PgProject> {
  const created = await pgProject(options);
  cleanup.push(() => created.drop());
  return created;
}
async function proxy(): Promise<TcpProxy> {
  const started = await startProxy(Number(new URL(POSTGRES_URL).port || 5432), new URL(POSTGRES_URL).hostname);
  cleanup.push(() => started.close());
  return started;
}
async function open(options: { url?: string; schema?: string; timeout_seconds?: number } = {}): Promise<Warehouse> {
  const wh = await openPostgres({ url: POSTGRES_URL, schema: 'unused', ...options });
  cleanup.push(() => wh.close());
  return wh;
}
const viaProxy = (p: TcpProxy) => Object.assign(new URL(POSTGRES_URL), { port: String(p.port) }).toString();

/** A Node stack trace line, which a user must never see. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

/** Ends the backends of `p`'s runner that match `where` (on pg_stat_activity as a). */
async function terminate(where: string, params: unknown[] = []): Promise<number> {
  const rows = await pgQuery(`select pg_terminate_backend(a.pid) as done from pg_stat_activity a where a.application_name = 'capi-sync' and a.pid <> pg_backend_pid() and ${where}`, params);
  return rows.length;
}

describe.skipIf(!postgresReachable)('Postgres connection faults, as the CLI', () => {
  it('a read connection ended mid-sync (pg_terminate_backend): exit 1 with a sentence, no stack trace, the run recorded failed, and the next run delivers the rest', async () => {
    const p = await project({ events: 3000, snapchat: 'batch_size: 10\nmax_in_flight: 1' });
    const snap = await sandbox({ latencyMs: 10 });
    const run = p.start(['run'], snap.url);
    await until(() => snap.stats().accepted >= 100, 30_000, 'events to arrive');
    // Every read connection (warehouse.read_connections) is cut.
    expect(await terminate(`a.query like '%' || $1 || '%orders_prepared%'`, [p.schema])).toBeGreaterThanOrEqual(1);
    const { code } = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('the connection to Postgres was lost (terminating connection due to administrator command)');
    expect(stderr).toContain('what Snap accepted is in the ledger and the next run sends the rest');
    expect(stdout + stderr).not.toMatch(STACK);
    const [first] = await p.runs();
    expect(first.status).toBe('failed');
    expect(first.error).toContain('the connection to Postgres was lost');
    expect(Number(first.sent)).toBeGreaterThanOrEqual(100);

    const again = await p.cli(['sync'], snap.url);
    expect(again.code, again.stderr).toBe(0);
    expect(snap.stats().unique_event_ids).toBe(3000);
    expect((await p.runs()).map((r) => r.status)).toEqual(['failed', 'ok']);
  });

  it('the lock\'s connection ended mid-sync: the run stops (another runner could take the lock), recorded failed; the next run delivers the rest', async () => {
    const p = await project({ events: 3000, snapchat: 'batch_size: 10\nmax_in_flight: 1' });
    const snap = await sandbox({ latencyMs: 10 });
    const run = p.start(['run'], snap.url);
    await until(() => snap.stats().accepted >= 100, 30_000, 'events to arrive');
    const holder = `a.pid in (select l.pid from pg_locks l where l.locktype = 'advisory' and l.objsubid = 1 and ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0))`;
    expect(await terminate(holder, [`capi_sync:${p.schema}:orders`])).toBe(1);
    const { code } = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('the warehouse connection holding the lock of orders was closed (terminating connection due to administrator command)');
    expect(stdout + stderr).not.toMatch(STACK);
    expect(snap.stats().accepted).toBeLessThan(3000);
    const [first] = await p.runs();
    expect(first).toMatchObject({ status: 'failed' });
    expect(first.error).toContain('holding the lock of orders was closed');

    const again = await p.cli(['sync'], snap.url);
    expect(again.code, again.stderr).toBe(0);
    expect(snap.stats().unique_event_ids).toBe(3000);
  });

  it('an idle_session_timeout shorter than the run does not end the lock (its session idles all run)', async () => {
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', '-c idle_session_timeout=300');
    const p = await project({ events: 400, snapchat: 'batch_size: 10\nmax_in_flight: 1', databaseUrl: url.toString() });
    // 40 requests of 50 ms: the run lasts about 2 s, the lock's session is idle all that time.
    const snap = await sandbox({ latencyMs: 50 });
    const result = await p.cli(['run'], snap.url);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(STACK);
    expect(snap.stats().unique_event_ids).toBe(400);
    expect((await p.runs()).map((r) => r.status)).toEqual(['ok']);
  });

  it('a network that stops answering mid-sync (black hole): the run fails within about twice timeout_seconds instead of hanging, and the next run delivers the rest', async () => {
    const hole = await proxy();
    const p = await project({ events: 3000, snapchat: 'batch_size: 10\nmax_in_flight: 1', warehouse: 'timeout_seconds: 2', databaseUrl: viaProxy(hole) });
    const snap = await sandbox({ latencyMs: 10 });
    const run = p.start(['run'], snap.url);
    await until(() => snap.stats().accepted >= 100, 30_000, 'events to arrive');
    hole.blackhole();
    // Within about twice timeout_seconds: the call that meets the black hole, then the calls left together.
    await until(() => run.child.exitCode !== null, 15_000, 'the runner to give up');
    const { stdout, stderr } = run.output();
    expect(run.child.exitCode, stderr).toBe(1);
    // Whichever call meets the black hole first: a statement in progress, or connecting for the next one.
    expect(stderr).toMatch(/error: warehouse: (Postgres did not answer within 2 s while running .*; check that the warehouse is reachable from here, or raise warehouse\.timeout_seconds|cannot connect to Postgres \(.*\) within 2 s: .*; check warehouse\.url and that the server is reachable from here)/);
    expect(stdout + stderr).not.toMatch(STACK);
    await hole.close();

    const direct = await runCli(['sync'], { cwd: p.dir, env: { DATABASE_URL: POSTGRES_URL, SNAP_ENDPOINT: snap.url, SNAP_CAPI_TOKEN: 'test-token' } });
    expect(direct.code, direct.stderr).toBe(0);
    expect(snap.stats().unique_event_ids).toBe(3000);
  });

  it('the first SIGTERM during a slow first read cancels the query on the server and exits 130 promptly', async () => {
    const p = await project({
      events: 50,
      model: 'select id as order_id, paid_at as event_time, email, total as value, cur as currency, loaded_at from {{source}} where (select {{source_schema}}.capi_pause()) = 1',
      prefix: 'capi_pause',
    });
    await pgQuery(`create or replace function "${p.source}".capi_pause() returns int language sql as 'select 1'`);
    expect((await p.cli(['deploy'], 'http://127.0.0.1:9')).code).toBe(0);
    // From now on the view's first fetch sleeps a minute.
    await pgQuery(`create or replace function "${p.source}".capi_pause() returns int language plpgsql as $$ begin perform pg_sleep(60); return 1; end $$`);
    const snap = await sandbox();
    const sync = p.start(['sync'], snap.url);
    const sleeping = async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where application_name = 'capi-sync' and wait_event = 'PgSleep' and query like '%' || $1 || '%'`, [p.schema]))[0]!.n as number;
    // One sleeping backend per read connection (warehouse.read_connections).
    await until(async () => (await sleeping()) >= 1, 30_000, 'the first read to wait in pg_sleep');
    sync.child.kill('SIGTERM');
    await until(() => sync.child.exitCode !== null, 20_000, 'the runner to stop');
    expect(sync.child.exitCode, sync.output().stderr).toBe(130);
    expect(await sleeping()).toBe(0);
    const [run] = await p.runs();
    expect(run.status).toBe('interrupted');
    expect(snap.stats().requests).toBe(0);
  });
});

describe.skipIf(!postgresReachable)('Postgres adapter: timeouts, cancels and concurrent deploys', () => {
  it('a statement over timeout_seconds fails with a sentence and is cancelled on the server', async () => {
    const wh = await open({ timeout_seconds: 0.5 });
    const marker = uniqueName('slow');
    const error = await wh.query(`select pg_sleep(20), '${marker}'`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/^Postgres did not answer within 0.5 s while running select pg_sleep\(20\)/);
    expect((error as WarehouseError).unreachable).toBe(true);
    await until(async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where state = 'active' and query like '%' || $1 || '%' and pid <> pg_backend_pid()`, [marker]))[0]!.n === 0, 5000, 'the statement to be cancelled');
    expect(await wh.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('connecting through a network that does not answer fails after timeout_seconds, the password never shown', async () => {
    const hole = await proxy();
    hole.blackhole();
    const url = new URL(viaProxy(hole));
    url.username = 'postgres';
    url.password = 'Secret-Pa55';
    const error = await openPostgres({ url: url.toString(), schema: 'x', timeout_seconds: 0.5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^cannot connect to Postgres \(postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/test\) within 0.5 s: .*; check warehouse\.url/);
    expect((error as Error).message).not.toContain('Secret-Pa55');
  });

  it('the stop signal cancels a stream\'s fetch in progress: the stream ends at once, without an error', async () => {
    const wh = await open();
    const stop = new AbortController();
    const marker = uniqueName('stream');
    const rows: unknown[] = [];
    const reading = (async () => {
      for await (const batch of wh.stream(`select g, '${marker}' as m from generate_series(1, 3) g where (select pg_sleep(30)::text) is not null`, [], { fetchSize: 10, signal: stop.signal })) rows.push(...batch);
    })();
    await until(async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where wait_event = 'PgSleep' and query like '%' || $1 || '%' and pid <> pg_backend_pid()`, [marker]))[0]!.n === 1, 10_000, 'the fetch to start');
    stop.abort('SIGTERM');
    await reading;
    expect(rows).toEqual([]);
    await until(async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where query like '%' || $1 || '%' and state = 'active' and pid <> pg_backend_pid()`, [marker]))[0]!.n === 0, 5000, 'the fetch to be cancelled');
  });

  it('two runners deploying into a new schema at once both succeed (no duplicate key in pg_namespace)', async () => {
    const schema = uniqueName('capi_race');
    cleanup.push(() => dropSchemas(schema));
    const first = await open({ schema });
    const second = await open({ schema });
    const create = `create schema if not exists "${schema}"`;
    // The first holds its transaction open after creating the schema; the second creates it meanwhile.
    const slow = first.execScript([create, `select pg_sleep(1), '${schema}'`]);
    await until(async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where wait_event = 'PgSleep' and query like '%' || $1 || '%'`, [schema]))[0]!.n === 1, 10_000, 'the first deploy to hold its transaction');
    await expect(Promise.all([slow, second.execScript([create, `create table if not exists "${schema}".t (x int)`])])).resolves.toBeDefined();
    expect(await pgQuery(`select count(*)::int as n from pg_tables where schemaname = $1`, [schema])).toEqual([{ n: 1 }]);
  });
});
