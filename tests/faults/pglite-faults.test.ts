import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { eventIds, startCli, until } from '../delivery/pg-project.ts';
import { runCli, tempProject } from '../support/cli.ts';

/**
 * What can go wrong with the embedded warehouse. PGlite runs inside the runner's own thread: it has no
 * connection to lose and no statement it could time out or cancel (a statement holds the thread until it
 * ends), so what is left is a statement that fails, and a stop, which takes effect between fetches.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function sandbox(latencyMs = 0): Promise<Sandbox> {
  const started = await startSandbox({ latencyMs });
  cleanup.push(() => started.close());
  return started;
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m;
const MODEL = `select id as order_id, paid_at as event_time, email, total as value, cur as currency, loaded_at from shop.orders`;

async function project(events: number, model: string): Promise<string> {
  const dir = await tempProject({
    'activations.yml': `warehouse:
  type: pglite
  path: .capi-sync/warehouse
  seeds: seeds
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
  batch_size: 10
  max_in_flight: 1
activations:
  orders:
    pixel_id: px-pglite
    event_name: PURCHASE
    model: orders.sql
    cursor: loaded_at
`,
    'orders.sql': model,
  });
  await mkdir(join(dir, 'seeds'));
  await writeFile(join(dir, 'seeds', 'orders.sql'), `create schema shop;
create table shop.orders as
  select 'o' || lpad(g::text, 7, '0') as id, now() - interval '2 hours' + g * interval '1 ms' as paid_at,
         now() - interval '1 hour' + g * interval '1 ms' as loaded_at, 'user' || g || '@example.com' as email,
         10 + g % 90 as total, 'EUR' as cur
  from generate_series(1, ${events}) as g;
`);
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the embedded warehouse (PGlite) under faults, as the CLI', () => {
  it('a read that fails in the warehouse ends the run failed with its reason, no stack trace; once fixed, the next run sends everything', async () => {
    const dir = await project(50, `${MODEL} where 1 / (case when id = 'o0000025' then 0 else 1 end) = 1`);
    const snap = await sandbox();
    const env = { SNAP_ENDPOINT: snap.url, SNAP_CAPI_TOKEN: 'test-token' };
    const failed = await runCli(['run'], { cwd: dir, env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/error: warehouse: division by zero\n {2}in: declare capi_sync_read_1 .*; what Snap accepted is in the ledger and the next run sends the rest/);
    expect(failed.stdout + failed.stderr).not.toMatch(STACK);

    await writeFile(join(dir, 'orders.sql'), MODEL);
    const fixed = await runCli(['run'], { cwd: dir, env });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(snap.stats()).toMatchObject({ unique_event_ids: 50, duplicates: 0 });
    const status = await runCli(['status'], { cwd: dir, env });
    expect(status.stdout).toMatch(/run .*: ok, sent 50\n {2}run .*: failed, sent 0 — warehouse: division by zero/);
  });

  it('a stop takes effect between fetches: exit 130, the run recorded interrupted, and the next run sends the rest', async () => {
    const dir = await project(1000, MODEL);
    const slow = await sandbox(20);
    const env = { SNAP_ENDPOINT: slow.url, SNAP_CAPI_TOKEN: 'test-token' };
    const run = startCli(['run'], dir, env);
    cleanup.push(async () => run.child.kill('SIGKILL'));
    await until(() => slow.stats().accepted >= 50, 60_000, 'events to arrive');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(130);
    expect(run.output().stdout + run.output().stderr).not.toMatch(STACK);
    const sent = slow.stats().accepted;
    expect(sent).toBeLessThan(1000);
    const status = await runCli(['status'], { cwd: dir, env });
    expect(status.stdout).toMatch(new RegExp(`run .*: interrupted, sent ${sent} — interrupted by SIGTERM`));

    const rest = await runCli(['sync'], { cwd: dir, env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(new Set(eventIds(slow.events())).size).toBe(1000);
    expect(slow.stats().duplicates).toBe(0);
  });
});
