import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { eventIds, startCli, until } from './pg-project.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function sandbox(latencyMs = 0): Promise<Sandbox> {
  const started = await startSandbox({ latencyMs });
  cleanup.push(() => started.close());
  return started;
}

/** A PGlite project whose seed holds `events` paid orders, all eligible. */
async function pgliteProject(events: number): Promise<string> {
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
  retry: { min_timeout: 5, max_timeout: 50 }
activations:
  orders:
    pixel_id: px-pglite
    event_name: PURCHASE
    source: shop.orders
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, order_id: id }
    cursor: loaded_at
`,
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

describe('sync on the embedded warehouse (PGlite), as the CLI', () => {
  it('lets one runner use the data directory: a second is skipped (exit 75) and sends nothing; after kill -9 of the first, the next sends what the ledger does not hold', async () => {
    // 200 requests of 100 ms: the first runner is busy for 20 s, far longer than the checks below.
    const dir = await pgliteProject(2000);
    const slow = await sandbox(100);
    const other = await sandbox();
    const env = (endpoint: string) => ({ SNAP_CAPI_TOKEN: 'test-token', SNAP_ENDPOINT: endpoint });
    const first = startCli(['run'], dir, env(slow.url));
    cleanup.push(async () => first.child.kill('SIGKILL'));
    await until(() => slow.stats().accepted >= 30, 60_000, 'the first runner to send');
    const second = await runCli(['sync'], { cwd: dir, env: env(other.url) });
    // Skipped, as a sync whose lock another runner holds: exit 75.
    expect(second.code).toBe(75);
    expect(second.stderr).toContain(`is in use by another capi-sync (pid ${first.child.pid})`);
    expect(other.stats().requests).toBe(0);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await runCli(['sync'], { cwd: dir, env: env(other.url) });
    expect(third.code, third.stderr).toBe(0);
    // It sent what the ledger did not hold: everything arrived, and the only repeats are the batch Snap
    // may have accepted while the killed runner had not yet recorded it (one request in flight).
    const all = new Set([...eventIds(slow.events()), ...eventIds(other.events())]);
    expect(all.size).toBe(2000);
    expect(slow.stats().accepted).toBeGreaterThanOrEqual(30);
    expect(slow.stats().accepted + other.stats().accepted - 2000).toBeLessThanOrEqual(10);
    expect(other.stats().duplicates).toBe(0);
  });
});
