import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../runner/sandbox/server.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';
import { eventIds, startCli, until } from '../delivery/pg-project.ts';
import { tempProject } from '../support/cli.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * The embedded warehouse belongs to one process at a time; serve opens it only while runs are due, so
 * another process gets it in between (and serve, finding it taken, tries at its next tick).
 */
async function withEmbedded<T>(path: string, work: (w: Warehouse) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let warehouse: Warehouse;
    try {
      warehouse = await openPglite({ path, schema: 'capi_sync' });
    } catch (error) {
      if (attempt > 200 || !/in use by another capi-sync/.test(String(error))) throw error;
      await sleep(50);
      continue;
    }
    try {
      return await work(warehouse);
    } finally {
      await warehouse.close();
    }
  }
}

describe('capi-sync serve on the embedded warehouse (PGlite)', () => {
  it('runs every 2 s, picks up rows inserted between runs, sends each once, and exits 130 on SIGTERM', async () => {
    const dir = await tempProject({
      'activations.yml': `warehouse: { type: pglite, path: .capi-sync/warehouse, seeds: seeds }
snapchat:
  access_token: test-token
  endpoint: \${SNAP_ENDPOINT}
activations:
  orders:
    pixel_id: px-serve
    event_name: PURCHASE
    source: shop.orders
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, order_id: id }
    cursor: loaded_at
    schedule: 2s
`,
    });
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'seeds'));
    await writeFile(join(dir, 'seeds', 'orders.sql'), `create schema shop;
create table shop.orders as
  select 'seed-' || g as id, now() - interval '2 hours' as paid_at, now() - interval '1 hour' + g * interval '1 ms' as loaded_at,
         'user' || g || '@example.com' as email, 10 as total, 'EUR' as cur
  from generate_series(1, 10) as g;
`);
    const sandbox = await startSandbox();
    cleanup.push(() => sandbox.close());
    const server = startCli(['serve', '--progress', '0'], dir, { SNAP_ENDPOINT: sandbox.url });
    cleanup.push(async () => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    });
    const waitFor = (check: () => boolean, what: string) => until(() => check() || server.child.exitCode !== null, 90_000, what).then(() => {
      if (!check()) throw new Error(`serve ended before ${what}: ${server.output().stderr}`);
    });
    await waitFor(() => sandbox.stats().accepted === 10, 'the first run');

    const path = join(dir, '.capi-sync', 'warehouse');
    for (let round = 1; round <= 3; round++) {
      await withEmbedded(path, (w) => w.exec(`insert into shop.orders
        select 'r${round}-' || g, now() - interval '1 hour', now(), 'r${round}-' || g || '@example.com', 20, 'EUR' from generate_series(1, 5) as g`));
      await waitFor(() => sandbox.stats().accepted === 10 + 5 * round, `round ${round} to be sent`);
    }
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const { stdout, stderr } = server.output();
    expect(exit.code, stderr).toBe(130);
    expect(new Set(eventIds(sandbox.events())).size).toBe(25);
    expect(sandbox.stats().duplicates).toBe(0);

    const runs = await withEmbedded(path, (w) => w.query('select started_at, finished_at, status, sent from capi_sync.capi_sync_runs order by started_at'));
    expect(runs.filter((r) => Number(r.sent) > 0).length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < runs.length; i++) expect(new Date(runs[i]!.started_at as string).getTime()).toBeGreaterThanOrEqual(new Date(runs[i - 1]!.finished_at as string).getTime());
    expect(runs.map((r) => r.status)).not.toContain('failed');
    expect(stdout).toContain('orders: every 2s; next run now');
    // A tick that found the embedded warehouse taken (by this test) is skipped and retried, not a failure.
    expect(stderr).not.toMatch(/^error: /m);
    for (const line of stderr.split('\n').filter((l) => l.includes('in use'))) {
      expect(line).toMatch(/^warn: the embedded warehouse .* is in use by another capi-sync \(pid \d+\).*; this tick of orders is skipped and tried again at the next one$/);
    }
  }, 180_000);
});
