import { describe, expect, it } from 'vitest';
import { until } from '../delivery/pg-project.ts';
import { postgresReachable } from '../support/postgres.ts';
import { ids } from './project.ts';
import { counts, ledgerScenarios, project } from './scenarios.ts';

if (!postgresReachable) console.warn('SKIPPED: tests/ledger/ledger-postgres.test.ts (PostgreSQL is not reachable)');

describe.skipIf(!postgresReachable)('postgres', () => ledgerScenarios('postgres'));

describe.skipIf(!postgresReachable)('the ledger on postgres, with a sync running', () => {
  it('reset refuses while a sync holds the lock (exit 75), and changes nothing', async () => {
    const p = await project('postgres', { snapchat: 'batch_size: 5\nmax_in_flight: 1', sandbox: { latencyMs: 150 } });
    await p.insert(ids('s', 60));
    expect((await p.cli(['deploy'])).code).toBe(0);
    const running = p.start(['sync']);
    await until(() => p.sandbox.stats().accepted >= 10, 30_000, 'the sync to send');
    const reset = await p.cli(['reset', 'orders', '--from-start']);
    expect(reset.code).toBe(75);
    expect(reset.stderr).toContain('another capi-sync is syncing orders now; nothing was changed');
    expect((await running.exited).code).toBe(0);
    expect(await p.sql(`select status from ${p.schema}.capi_sync_runs where status = 'reset'`)).toEqual([]);
    expect(p.received()).toHaveLength(60);
  });

  it('a sync under DateStyle SQL, DMY and another time zone, then one under the defaults, loses and repeats nothing', async () => {
    const p = await project('postgres');
    // Days below 13: a date written 05/11 under DMY reads back as May 11 under MDY.
    await p.insert(ids('ds', 20), { loaded: "timestamptz '2026-11-05 10:00:00+00' + g * interval '1 second'" });
    const odd = { PGOPTIONS: '-c DateStyle=SQL,DMY -c TimeZone=Pacific/Chatham' };
    expect((await p.cli(['run'], odd)).code).toBe(0);
    const [mark] = await p.sql<{ cursor: string }>(`select cursor from ${p.schema}.capi_sync_state`);
    expect(mark.cursor).toMatch(/^2026-11-0[56]T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/);
    await p.insert(ids('ds', 20, 21), { loaded: "timestamptz '2026-11-05 10:10:00+00' + g * interval '1 second'" });
    expect((await p.cli(['sync'])).code).toBe(0);
    await p.insert(ids('ds', 5, 41), { loaded: "timestamptz '2026-11-05 10:20:00+00' + g * interval '1 second'" });
    expect((await p.cli(['sync'], { PGOPTIONS: '-c DateStyle=German -c TimeZone=America/St_Johns' })).code).toBe(0);
    expect(p.received().sort()).toEqual(ids('ds', 45));
  });

  it('a clean stop while the first batch waits for a retry keeps every accepted batch in the ledger: the next run sends only what Snap did not accept', async () => {
    const p = await project('postgres', {
      snapchat: 'batch_size: 10\nmax_in_flight: 4\nretry: { max_retries: 3, min_timeout: 30000, max_timeout: 30000 }',
      sandbox: { latencyMs: 20 },
    });
    await p.insert(ids('c', 80));
    expect((await p.cli(['deploy'])).code).toBe(0);
    // The first request of the run is answered 503 with Retry-After: 30; the others are accepted.
    const { url, close, refused } = await failingFirst(p.sandbox.url);
    try {
      const sync = p.start(['sync'], { SNAP_ENDPOINT: url });
      await until(() => p.sandbox.stats().accepted >= 40, 30_000, 'later batches to be accepted');
      sync.child.kill('SIGTERM');
      expect((await sync.exited).code).toBe(130);
    } finally {
      await close();
    }
    const accepted = p.received();
    const ledger = (await p.sql<{ event_id: string }>(`select event_id from ${p.schema}.orders_sent order by event_id`)).map((r) => r.event_id);
    expect(ledger).toEqual([...accepted].sort());
    // The first request, refused and waiting for its retry when the stop came, is not in the ledger.
    expect(refused.length).toBe(10);
    for (const id of refused) expect(ledger).not.toContain(id);
    expect((await p.cli(['sync'])).code).toBe(0);
    const all = counts(p.received());
    expect(Object.keys(all).sort()).toEqual(ids('c', 80));
    expect(Object.values(all).every((n) => n === 1)).toBe(true);
  });

  it('removes ledger rows older than ledger_retention_days, once a day', async () => {
    const p = await project('postgres');
    await p.insert(ids('k', 2));
    expect((await p.cli(['run'])).code).toBe(0);
    await p.sql(`insert into ${p.schema}.capi_sync_ledger (activation, event_id, status, run_id, sent_at) values ('orders', 'old-1', 'accepted', 'r', now() - interval '91 days')`);
    await p.sql(`update ${p.schema}.capi_sync_state set ledger_pruned_at = null`);
    expect((await p.cli(['sync'])).code).toBe(0);
    expect((await p.sql(`select event_id from ${p.schema}.capi_sync_ledger order by event_id`)).map((r) => r.event_id)).toEqual(ids('k', 2));
  });
});

/** A proxy in front of the sandbox that answers the first POST 503 with Retry-After: 30 (its event ids in `refused`). */
async function failingFirst(target: string): Promise<{ url: string; close: () => Promise<void>; refused: string[] }> {
  const { createServer } = await import('node:http');
  const { request } = await import('undici');
  let first = true;
  const refused: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (first) {
      first = false;
      refused.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { data: { event_id: string }[] }).data.map((e) => e.event_id));
      res.writeHead(503, { 'retry-after': '30', 'content-type': 'application/json' }).end('{"status":"SERVICE_UNAVAILABLE"}');
      return;
    }
    const answer = await request(`${target}${req.url}`, { method: 'POST', body: Buffer.concat(chunks), headers: { 'content-type': 'application/json' } });
    res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(await answer.body.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())), refused };
}
