import { readFile, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { eventIds, pgProject, until, type CliProcess, type PgProject } from '../delivery/pg-project.ts';
import { pgQuery, POSTGRES_URL, postgresReachable } from '../support/postgres.ts';
import { startListener } from '../alerts/listener.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp(events: number, activation: string, sandboxOptions: Parameters<typeof startSandbox>[0] = {}, snapchat?: string): Promise<{ project: PgProject; sandbox: Sandbox }> {
  const project = await pgProject({ events, prefix: 'capi_serve', activation, snapchat });
  cleanup.push(() => project.drop());
  const sandbox = await startSandbox(sandboxOptions);
  cleanup.push(() => sandbox.close());
  return { project, sandbox };
}

function serve(project: PgProject, sandbox: Sandbox): CliProcess {
  const server = project.start(['serve', '--progress', '0'], sandbox.url);
  cleanup.push(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  });
  return server;
}

/** `count` orders arriving now, ids `<tag>-1` ... */
async function arrive(project: PgProject, count: number, tag: string): Promise<void> {
  await pgQuery(`insert into "${project.source}".orders
    select '${tag}-' || lpad(g::text, 3, '0'), now() - interval '1 hour', now(), '${tag}' || g || '@example.com', 20, 'EUR'
    from generate_series(1, ${count}) as g`);
}

/** A TCP relay to the test Postgres that can be taken down and brought back on the same port: an outage. */
async function relay(): Promise<{ url: string; down(): Promise<void>; up(): Promise<void> }> {
  const target = new URL(POSTGRES_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const up = () => new Promise<void>((resolve) => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server!.address() as AddressInfo).port;
      resolve();
    });
  });
  const down = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server?.close(() => resolve());
  });
  await up();
  const url = new URL(POSTGRES_URL);
  url.port = String(port);
  url.hostname = '127.0.0.1';
  return { url: url.toString(), down, up };
}

/** Runs recorded, oldest first, as [start, end] in ms. */
async function spans(project: PgProject): Promise<{ start: number; end: number; status: string; sent: number }[]> {
  return (await project.runs()).map((r) => ({ start: new Date(r.started_at).getTime(), end: new Date(r.finished_at).getTime(), status: r.status, sent: Number(r.sent) }));
}

describe.skipIf(!postgresReachable)('capi-sync serve on Postgres', () => {
  it('runs every 2 s while rows arrive: at least 3 runs, one at a time, every row sent once; SIGTERM exits 130', async () => {
    const { project, sandbox } = await setUp(10, 'schedule: 2s');
    const server = serve(project, sandbox);
    await until(() => sandbox.stats().accepted >= 10, 60_000, 'the first run');
    const started = Date.now();
    for (let i = 1; i <= 4; i++) {
      await arrive(project, 15, `late${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await until(() => sandbox.stats().accepted >= 70, 30_000, 'the rows that arrived to be sent');
    expect(Date.now() - started).toBeLessThan(30_000);
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const { stdout, stderr } = server.output();
    expect(exit.code, stderr).toBe(130);

    const ids = eventIds(sandbox.events());
    expect(new Set(ids).size).toBe(70);
    expect(sandbox.stats()).toMatchObject({ accepted: 70, duplicates: 0 });
    const runs = await spans(project);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((r) => r.sent > 0).length).toBeGreaterThanOrEqual(3); // the rows were picked up over several runs
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(stdout).toMatch(/serving 1 activation\(s\); watching .*activations\.yml for changes/);
    expect(stdout).toContain('orders: every 2s; next run now');
    expect(stdout).toMatch(/orders: next run \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in [12] s\)/);
    expect(stdout.match(/^deployed orders/gm)).toHaveLength(1); // deployed once, not at every tick
    expect(stderr).toContain('SIGTERM: stopping: no new runs');
  });

  it('skips and logs the ticks that fall during a long run; SIGTERM mid-run saves the watermark and the next sync sends the rest once', async () => {
    // 10 requests of 10 events, each answered after 700 ms: one run lasts ~7 s, over three 2 s ticks.
    const { project, sandbox } = await setUp(100, 'schedule: 2s', { latencyMs: 700 }, 'batch_size: 10\nmax_in_flight: 1');
    const server = serve(project, sandbox);
    await until(() => /orders: next run .*tick\(s\) fell while it lasted and were skipped/.test(server.output().stdout), 60_000, 'a run longer than the interval');
    await arrive(project, 100, 'more');
    await until(() => sandbox.stats().accepted >= 120, 60_000, 'the second run to be under way');
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit.code, server.output().stderr).toBe(130);
    const runs = await spans(project);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    expect(runs.at(-1)!.status).toBe('interrupted');
    expect(server.output().stderr).toMatch(/orders: interrupted — sent \d+ event\(s\)/);
    expect(server.output().stdout.match(/^orders: next run/gm)).toHaveLength(runs.length - 1); // none after the stop

    const rest = await startSandbox();
    cleanup.push(() => rest.close());
    const after = await project.cli(['sync'], rest.url);
    expect(after.code, after.stderr).toBe(0);
    const all = [...eventIds(sandbox.events()), ...eventIds(rest.events())];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
  }, 150_000);

  it('a tick whose activation another capi-sync holds is skipped and logged; the next one runs', async () => {
    const { project, sandbox } = await setUp(5, 'schedule: 1s');
    const holder = new pg.Client({ connectionString: POSTGRES_URL });
    await holder.connect();
    cleanup.push(() => holder.end());
    await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [`capi_sync:${project.schema}:orders`]);
    const server = serve(project, sandbox);
    await until(() => server.output().stderr.includes('orders: this tick is skipped; serve tries again at the next one'), 60_000, 'a skipped tick');
    expect(server.output().stderr).toContain(`another capi-sync is already syncing orders (it holds the lock for ${project.schema}.orders)`);
    expect(sandbox.stats().accepted).toBe(0);
    await holder.query('select pg_advisory_unlock_all()');
    await until(() => sandbox.stats().accepted === 5, 30_000, 'the next tick to send');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(130);
  });

  it('a warehouse that cannot be reached: the failure is alerted once and each tick tried again; once it is back, the rows are sent and the recovery alerted', async () => {
    const { project, sandbox } = await setUp(3, 'schedule: 2s\nwarnings: { webhook: "${ALERT_WEBHOOK_URL}" }');
    const hook = await startListener();
    cleanup.push(() => hook.close());
    const db = await relay();
    cleanup.push(() => db.down());
    // A password in the URL (the test server trusts any): it must reach neither the log nor the alert.
    const withPassword = new URL(db.url);
    withPassword.password = 'pw-d0n7-l3ak';
    const server = project.start(['serve', '--progress', '0'], sandbox.url, 'test-token', { DATABASE_URL: withPassword.toString(), ALERT_WEBHOOK_URL: `${hook.url}/hook` });
    cleanup.push(async () => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    // The outage starts between two ticks: a connection cut in the middle of a run is another matter.
    await until(() => server.output().stdout.includes('orders: next run'), 60_000, 'the first run');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.down();
    await until(() => (server.output().stderr.match(/^error: warehouse: cannot connect to Postgres/gm) ?? []).length >= 3, 30_000, 'three ticks without the warehouse');
    expect(sandbox.stats().accepted).toBe(3);
    expect(hook.received.map((r) => r.body.status)).toEqual(['failed']);
    expect(hook.received[0]!.body).toMatchObject({ activation: 'orders', run_id: null });
    expect(hook.received[0]!.body.text).toMatch(/^capi-sync: the run of activation orders failed: warehouse: cannot connect to Postgres/);

    await arrive(project, 2, 'back');
    await db.up();
    await until(() => sandbox.stats().accepted === 5 && hook.received.length === 2, 30_000, 'the run after the outage');
    expect(hook.received[1]!.body).toMatchObject({ activation: 'orders', status: 'recovered' });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(130);
    expect(sandbox.stats().duplicates).toBe(0);
    const seen = JSON.stringify(hook.received) + server.output().stdout + server.output().stderr;
    expect(seen).toContain('postgres://postgres:***@127.0.0.1');
    expect(seen).not.toContain('pw-d0n7-l3ak');
  });

  it('deploys again when the config file changes, and goes on with the old config when the new one is broken', async () => {
    const { project, sandbox } = await setUp(3, 'schedule: 1s');
    const server = serve(project, sandbox);
    await until(() => sandbox.stats().accepted === 3, 60_000, 'the first run');
    const file = join(project.dir, 'activations.yml');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('schedule: 1s', 'schedule: banana'));
    await until(() => server.output().stderr.includes('changed but cannot be used; serve goes on with the previous config until it is fixed'), 30_000, 'the broken config to be noticed');
    expect(server.output().stderr).toMatch(/activations\.orders\.schedule: "banana" is not a schedule/);

    await writeFile(file, original.replace('event_name: PURCHASE', 'event_name: SIGN_UP'));
    await until(() => (server.output().stdout.match(/^deployed orders/gm) ?? []).length === 2, 30_000, 'the views to be deployed again');
    expect(server.output().stdout).toContain('activations.yml changed: reloaded; each activation\'s views are deployed again before its next run');
    await arrive(project, 2, 'after');
    await until(() => sandbox.stats().accepted === 5, 30_000, 'the rows that arrived after the change');
    const names = (sandbox.events() as { event_id: string; event_name: string }[]).map((e) => `${e.event_id}:${e.event_name}`);
    expect(names.slice(-2)).toEqual(['after-001:SIGN_UP', 'after-002:SIGN_UP']);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(130);
  });
});
