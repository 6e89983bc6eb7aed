import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import pg from 'pg';
import { pgQuery, POSTGRES_URL, postgresReachable } from '../support/postgres.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { openPostgres, postgresDialect } from '../../runner/warehouse/postgres.ts';
import { StateStore, type Watermark } from '../../runner/state/state.ts';
import { ACTIVATION, eventIds, PIXEL, pgProject, until, type PgProject } from './pg-project.ts';

const cleanup: (() => Promise<void>)[] = [];
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

describe.skipIf(!postgresReachable)('sync on Postgres, as the CLI', () => {
  it('isolates events Snap refuses: they go to capi_sync_delivery_errors, the rest is sent, the run is partial and the watermark moves past them', async () => {
    const p = await project({ events: 300, snapchat: 'batch_size: 50' });
    const bad = ['o0000042', 'o0000043', 'o0000250'];
    const snap = await sandbox({ refuseEventIds: new Set(bad) });
    const first = await p.cli(['run'], snap.url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/orders: partial — sent 297 event\(s\)/);
    expect(first.stdout).toContain(`refused by Snap: 3 (see ${p.schema}.capi_sync_delivery_errors)`);
    const errors = await p.deliveryErrors();
    expect(errors.map((e) => e.event_id)).toEqual(bad);
    for (const e of errors) {
      expect(e.http_status).toBe(400);
      expect(e.message).toContain(`event_id ${e.event_id} was refused`);
    }
    const ids = await p.outboundIds();
    expect(eventIds(snap.events()).sort()).toEqual(ids.filter((id) => !bad.includes(id)));
    expect(await p.watermark()).toMatchObject({ event_id: ids.at(-1) });
    const [run] = await p.runs();
    expect(run).toMatchObject({ status: 'partial', sent: '297', rejected_by_snap: '3', error: null });

    const again = await p.cli(['sync'], snap.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing new past the watermark');
    expect(snap.stats().accepted).toBe(297);
  });

  it('stops at once when Snap refuses the token: exit 1, the pixel and the fix named, watermark unchanged, reason in capi_sync_runs', async () => {
    const p = await project({ events: 500, snapchat: 'batch_size: 50' });
    const snap = await sandbox({ token: 'the-real-token' });
    const result = await p.cli(['run'], snap.url, 'an-expired-token');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Snap refused the access token for pixel ${PIXEL} (401`);
    expect(result.stderr).toContain('SNAP_CAPI_TOKEN');
    expect(result.stderr + result.stdout).not.toContain('an-expired-token');
    expect(await p.watermark()).toBeNull();
    expect(snap.stats()).toMatchObject({ accepted: 0 });
    expect(snap.stats().requests).toBeLessThanOrEqual(4);
    const [run] = await p.runs();
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`pixel ${PIXEL}`);
  });

  it('gives up when retries are used up: exit 1, what Snap accepted in the ledger, reason in capi_sync_runs; the next run sends the rest once', async () => {
    const p = await project({ events: 200, snapchat: 'batch_size: 10\nmax_in_flight: 1', retry: '{ max_retries: 2, min_timeout: 1, max_timeout: 5 }' });
    // A bucket of three requests that fills again once in 100 s: three batches pass, then 429 until the
    // retries are gone, however slowly capi-sync paces them.
    const snap = await sandbox({ rateLimit: 0.01, rateLimiter: 'token-bucket', rateLimitBurst: 3 });
    const result = await p.cli(['run'], snap.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gave up after 3 attempts: Snap answered 429/);
    // The watermark moves only once a read is complete; the ledger holds what Snap accepted.
    expect(await p.watermark()).toBeNull();
    const accepted = eventIds(snap.events()).sort();
    expect(accepted).toHaveLength(30);
    expect(await p.sentIds()).toEqual(accepted);
    const [run] = await p.runs();
    expect(run).toMatchObject({ status: 'failed', sent: '30', retries: '2' });
    expect(run.error).toMatch(/gave up after 3 attempts.*what Snap accepted is in the ledger and the next run sends the rest/);
    const rest = await sandbox();
    expect((await p.cli(['sync'], rest.url)).code).toBe(0);
    expect([...accepted, ...eventIds(rest.events())].sort()).toEqual((await p.outboundIds()).sort());
  });

  it('lets one runner per activation: a second sync is skipped (exit 75, recorded) and sends nothing; after kill -9 of the first, the next sends only what the ledger does not hold', async () => {
    // 200 requests of 100 ms: the first runner is busy for 20 s, far longer than the checks below.
    const p = await project({ events: 2000, snapchat: 'batch_size: 10\nmax_in_flight: 1' });
    const slow = await sandbox({ latencyMs: 100 });
    const other = await sandbox();
    const first = p.start(['run'], slow.url);
    await until(() => slow.stats().accepted >= 30, 30_000, 'the first runner to send');
    const second = await p.cli(['sync'], other.url);
    expect(second.code).toBe(75);
    expect(second.stderr).toContain('another capi-sync is already syncing orders');
    expect(second.stderr).toContain('this run was skipped and sent nothing');
    // run (deploy + sync) too, and promptly: it does not replace the views the first runner reads.
    const secondRun = await p.cli(['run'], other.url);
    expect(secondRun.code).toBe(75);
    expect(secondRun.stderr).toContain('another capi-sync is already syncing orders');
    expect((await p.runs()).filter((r) => r.status === 'skipped')).toHaveLength(2);
    expect(other.stats().requests).toBe(0);
    expect(first.child.exitCode).toBeNull();

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const saved = await p.sentIds();
    expect(saved.length).toBeGreaterThanOrEqual(20);
    const third = await p.cli(['sync'], other.url);
    expect(third.code, third.stderr).toBe(0);
    const ids = await p.outboundIds();
    // The third run leaves out what the ledger holds: nothing recorded as sent is sent again.
    expect(eventIds(other.events()).sort()).toEqual(ids.filter((id) => !saved.includes(id)).sort());
    expect(new Set([...eventIds(slow.events()), ...eventIds(other.events())])).toEqual(new Set(ids));
    // The killed run does not stay "running" in the log: the next runner to take the lock closes it.
    expect((await p.runs()).map((run) => run.status)).toEqual(['abandoned', 'skipped', 'skipped', 'ok']);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('on %s lets batches in flight finish, saves them in the ledger, records the run as interrupted and exits 130', async (signal) => {
    const p = await project({ events: 600, snapchat: 'batch_size: 10\nmax_in_flight: 4' });
    const snap = await sandbox({ latencyMs: 80 });
    const sync = p.start(['run'], snap.url);
    await until(() => snap.stats().accepted >= 50, 30_000, 'events to arrive');
    sync.child.kill(signal);
    const { code } = await sync.exited;
    expect(code).toBe(130);
    expect(sync.output().stderr).toContain(`${signal}: stopping`);
    const accepted = eventIds(snap.events()).sort();
    expect(accepted.length).toBeLessThan(600);
    // In-flight batches finished and were saved: the ledger holds exactly what Snap accepted.
    expect(await p.sentIds()).toEqual(accepted);
    expect(await p.watermark()).toBeNull();
    const [run] = await p.runs();
    expect(run.status).toBe('interrupted');
    expect(run.error).toContain(`interrupted by ${signal}`);
    expect(Number(run.sent)).toBe(accepted.length);

    const rest = await p.cli(['sync'], snap.url);
    expect(rest.code).toBe(0);
    expect(snap.stats()).toMatchObject({ unique_event_ids: 600, duplicates: 0 });
  });

  it('ends at the first Ctrl-C a command that cannot stop cleanly (status stuck behind a lock), and sync at the third, with exit 130', async () => {
    const p = await project({ events: 20 });
    const snap = await sandbox();
    await p.cli(['deploy'], snap.url);
    const blocker = new pg.Client({ connectionString: POSTGRES_URL });
    await blocker.connect();
    cleanup.push(() => blocker.end());
    await blocker.query('begin');
    await blocker.query(`lock table "${p.source}".orders in access exclusive mode`);
    // Backends of killed clients keep waiting on the lock too: count the waiters before each start.
    const waiters = async () => (await pgQuery(`select count(*)::int as n from pg_stat_activity where application_name = 'capi-sync' and wait_event_type = 'Lock'`))[0]!.n as number;
    const waitsOnLock = async (before: number) => (await waiters()) > before;

    const beforeStatus = await waiters();
    const status = p.start(['status'], snap.url);
    await until(() => waitsOnLock(beforeStatus), 30_000, 'status to wait on the lock');
    status.child.kill('SIGINT');
    expect((await status.exited).code).toBe(130);

    const beforeSync = await waiters();
    const sync = p.start(['sync'], snap.url);
    await until(() => waitsOnLock(beforeSync), 30_000, 'sync to wait on the lock');
    sync.child.kill('SIGINT');
    await until(() => sync.output().stderr.includes('SIGINT: stopping'), 10_000, 'the first signal to be seen');
    sync.child.kill('SIGINT');
    await until(() => sync.output().stderr.includes('abandoning requests in flight'), 10_000, 'the second signal to be seen');
    sync.child.kill('SIGINT');
    expect((await sync.exited).code).toBe(130);
    await blocker.query('rollback');
    expect(snap.stats().requests).toBe(0);
  });

  it('prints a progress line every --progress seconds while a run lasts, with what was sent so far', async () => {
    const p = await project({ events: 600, snapchat: 'batch_size: 50\nmax_in_flight: 1' });
    const snap = await sandbox({ latencyMs: 150 });
    const result = await p.cli(['run', '--progress', '0.3', '--log-format', 'json'], snap.url);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const progress = lines.filter((l) => l.message.includes('sent so far'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const sent = progress.map((l) => l.sent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    expect(sent[0]).toBeGreaterThan(0);
    expect(sent.at(-1)).toBeLessThan(600);
    for (const l of progress) {
      expect(l).toMatchObject({ activation: 'orders', held_back: 0 });
      expect(l.sent % 50).toBe(0);
    }
    expect(lines.at(-1)).toMatchObject({ status: 'ok', sent: 600 });

    const quiet = await p.cli(['sync', '--progress', '0'], snap.url);
    expect(quiet.stdout).not.toContain('so far');
    const wrong = await p.cli(['sync', '--progress', '-1'], snap.url);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("option '--progress <seconds>' argument '-1' is invalid. not a number of seconds (0 or more)");
  });

  // The plan is taken on the runner's own read session (openPostgres, stream), with the settings it reads under.
  it.each([true, false])('reads a backlog computing each row once, in no order (no Memoize, no Sort), and past the watermark with a plain filter on the cursor; cursor index: %s', async (indexed) => {
    const p = await project({ events: 20_000 });
    expect((await p.cli(['deploy'], 'http://127.0.0.1:9')).code).toBe(0);
    if (indexed) await pgQuery(`create index on "${p.source}".orders (loaded_at)`);
    await pgQuery(`analyze "${p.source}".orders`);
    const [mark] = await pgQuery<{ cursor: string; event_id: string }>(`select to_jsonb(cursor) #>> '{}' as cursor, event_id from "${p.schema}"."${ACTIVATION}_outbound" order by cursor desc, event_id desc offset 100 limit 1`);
    const wh = await openPostgres({ url: POSTGRES_URL, schema: p.schema });
    try {
      const state = new StateStore(wh, createRenderer(postgresDialect));
      const planNodes = async (watermark: Watermark | null) => {
        const { sql, params } = state.readStatement({ activation: ACTIVATION, view: `${ACTIVATION}_prepared`, watermark, reasons: true, ledgerDays: 8 });
        const nodes: string[] = [];
        for await (const rows of wh.stream(`explain (format json) ${sql}`, params, { fetchSize: 10 })) {
          const walk = (node: Record<string, any>) => {
            nodes.push(node['Node Type'], ...(node['Filter'] ? [`Filter ${node['Relation Name'] ?? ''}: ${node['Filter']}`] : []));
            for (const child of node.Plans ?? []) walk(child);
          };
          walk((rows[0]['QUERY PLAN'] as any)[0].Plan);
        }
        return nodes;
      };
      // Whatever the planner's estimates, the read's session cannot pick Memoize nor pay for JIT.
      for await (const [settings] of wh.stream(`select current_setting('enable_memoize') as memoize, current_setting('jit') as jit`, [], { fetchSize: 1 })) {
        expect(settings).toEqual({ memoize: 'off', jit: 'off' });
      }
      const first = await planNodes(null);
      expect(first).not.toContain('Memoize');
      expect(first).not.toContain('Sort');
      expect(first).not.toContain('Incremental Sort');
      const next = await planNodes(mark);
      expect(next).not.toContain('Memoize');
      expect(next).not.toContain('Sort');
      if (indexed) {
        expect(next.some((n) => n === 'Index Scan' || n === 'Bitmap Heap Scan')).toBe(true);
        expect(next).not.toContain('Seq Scan');
      } else {
        // Without an index the source is scanned once, the watermark applied to its rows as they are read.
        expect(next.filter((n) => n === 'Seq Scan')).toHaveLength(1);
        expect(next.some((n) => /^Filter orders: .*loaded_at >=?/.test(n))).toBe(true);
      }
    } finally {
      await wh.close();
    }
  });

  // 60 requests against 20 a second: a few seconds each. The share of 429s is asserted loosely, so that a
  // busy machine does not fail it; the tight figures are the bench's (npm run bench -- --pacing).
  it.each([
    ['without Retry-After', false],
    ['with Retry-After: 1', 1],
  ] as const)('learns the rate Snap accepts (%s): every event once, few 429s, a log line when the rate changes', async (_, retryAfter) => {
    // max_timeout caps the Retry-After honoured: 2 s lets the 1 s one through.
    const p = await project({ events: 600, snapchat: 'batch_size: 10', retry: '{ max_retries: 8, min_timeout: 5, max_timeout: 2000 }' });
    const snap = await sandbox({ rateLimit: 20, rateLimitRetryAfter: retryAfter });
    const result = await p.cli(['run'], snap.url);
    expect(result.code, result.stderr).toBe(0);
    const stats = snap.stats();
    expect(eventIds(snap.events()).sort()).toEqual((await p.outboundIds()).sort());
    expect(stats.duplicates).toBe(0);
    expect(await p.sentIds()).toEqual((await p.outboundIds()).sort());
    expect((stats.by_status['429'] ?? 0) / stats.requests).toBeLessThan(0.25);
    expect(result.stdout).toMatch(/orders: Snap answered 429 \(too many requests\): at most 10 requests\/s from now \(it accepted 20 in the second before\)/);
    expect(result.stdout).toMatch(/orders: back to 19(\.\d)? requests\/s \(95% of the 20 Snap accepted before its 429\)/);
  });
});
