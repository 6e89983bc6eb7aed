import { afterEach, describe, expect, it } from 'vitest';
import { ids, ledgerProject, type Kind, type LedgerProject } from './project.ts';

/**
 * Issue: state that knows what was sent. Each scenario runs the real CLI against a sandbox over a real
 * socket and counts what Snap received; ledger-pglite and ledger-postgres run them on each warehouse.
 */
const open: LedgerProject[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close();
});
export async function project(kind: Kind, options: Parameters<typeof ledgerProject>[1] = {}): Promise<LedgerProject> {
  const p = await ledgerProject(kind, options);
  open.push(p);
  return p;
}

/** How many times each id occurs. */
export const counts = (list: string[]) => list.reduce<Record<string, number>>((c, id) => ({ ...c, [id]: (c[id] ?? 0) + 1 }), {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ledgerScenarios(kind: Kind): void {
  describe(`the ledger on ${kind}`, () => {
    it('sends rows committed late, events that were in the future and rows whose cursor moved back, each exactly once', async () => {
      const p = await project(kind);
      await p.insert(ids('a', 10));
      expect((await p.cli(['run'])).code).toBe(0);

      // Committed late: its load time is older than the watermark (a long loader transaction).
      await p.insert(['late-1'], { loaded: "now() - interval '3 minutes'" });
      // A store clock a few seconds ahead: held back until its time has come (the embedded warehouse takes
      // a few seconds to open, twice, before the sync reads it).
      const due = Date.now() + (kind === 'pglite' ? 15_000 : 3_000);
      await p.insert(['future-1'], { paid: `to_timestamp(${due / 1000})` });
      // Held back (no identifier), then fixed by an UPDATE whose load time is back in the look-back window.
      await p.insert(['fixed-1'], { email: null });
      const second = await p.cli(['sync']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain('held back by the view: 1 event_in_future, 1 no_user_identifier');
      await p.sql(`update ${p.orders} set email = 'fixed@example.com', loaded_at = now() - interval '20 minutes' where id = 'fixed-1'`);

      await sleep(due + 1000 - Date.now());
      // Five clean runs; two on the embedded warehouse, where each run opens it afresh (seconds each).
      for (let run = 0; run < (kind === 'pglite' ? 2 : 5); run++) {
        const clean = await p.cli(['sync']);
        expect(clean.code, clean.stderr).toBe(0);
      }
      const received = counts(p.received());
      expect(Object.keys(received).sort()).toEqual([...ids('a', 10), 'fixed-1', 'future-1', 'late-1'].sort());
      expect(Object.values(received).every((n) => n === 1)).toBe(true);

      // What was sent stays on record when the source is gone, readable with capi-sync query.
      await p.sql(`delete from ${p.orders}`);
      const sent = await p.cli(['query', `select event_id, run_id, sent_at, payload_sha256 from ${p.schema}.orders_sent order by event_id`, '--format', 'json']);
      expect(sent.code, sent.stderr).toBe(0);
      const rows = JSON.parse(sent.stdout) as { event_id: string; run_id: string; payload_sha256: string }[];
      expect(rows.map((r) => r.event_id)).toEqual(Object.keys(received).sort());
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.payload_sha256) && r.run_id.length > 0)).toBe(true);
    }, 150_000);

    it('records the SHA-256 of each event exactly as posted', async () => {
      const p = await project(kind);
      await p.insert(ids('h', 3));
      expect((await p.cli(['run'])).code).toBe(0);
      const { createHash } = await import('node:crypto');
      const posted = p.sandbox.events().map((e) => JSON.stringify(e));
      const [row] = await p.sql<{ payload: string; payload_sha256: string }>(
        `select o.payload, s.payload_sha256 from ${p.schema}.orders_outbound o join ${p.schema}.orders_sent s using (event_id) where event_id = 'h-001'`,
      );
      expect(createHash('sha256').update(row.payload).digest('hex')).toBe(row.payload_sha256);
      expect(posted.map((e) => JSON.parse(e).event_id).sort()).toEqual(ids('h', 3));
    });

    it('counts rows held back once, in the run that first reads them: a warning fires once', async () => {
      const p = await project(kind, { activation: 'warnings: { rejected_rate_above: 0.2 }' });
      await p.insert(ids('nobody', 60), { email: null });
      const first = await p.cli(['run', '--fail-on-warning']);
      expect(first.code, first.stdout + first.stderr).toBe(3);
      expect(first.stdout).toContain('held back by the view: 60 no_user_identifier');
      const second = await p.cli(['sync', '--fail-on-warning']);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.stdout).not.toContain('held back');
      expect(second.stdout).not.toContain('warning');
    });

    it('demo on the real config works in a scratch schema: the real watermark, ledger and runs stay, the pending events stay pending', async () => {
      const p = await project(kind);
      await p.insert(ids('d', 4));
      expect((await p.cli(['run'])).code).toBe(0);
      await p.insert(ids('d', 3, 5));
      const state = async () => ({
        watermark: await p.sql(`select cursor, event_id from ${p.schema}.capi_sync_state where activation = 'orders'`),
        ledger: (await p.sql<{ n: string }>(`select count(*) as n from ${p.schema}.capi_sync_ledger`))[0].n,
        runs: (await p.sql<{ n: string }>(`select count(*) as n from ${p.schema}.capi_sync_runs`))[0].n,
      });
      const before = await state();
      const demo = await p.cli(['demo']);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stdout).toContain(`${p.schema}_demo`);
      expect(demo.stdout).toMatch(/sent 7 event/);
      expect(p.sandbox.stats().requests - 1).toBe(0); // only the first run's request reached the configured endpoint
      expect(await state()).toEqual(before);
      const status = await p.cli(['status']);
      expect(status.stdout).toContain('pending: 3 event(s)');
      expect((await p.cli(['sync'])).code).toBe(0);
      expect(p.received().sort()).toEqual([...ids('d', 4), ...ids('d', 3, 5)]);
    });

    it('reset validates --to, removes the ledger rows past it, says how many are sent again and records itself; the next run sends them', async () => {
      const p = await project(kind);
      await p.insert(ids('r', 5), { loaded: "timestamptz '2026-11-05 10:00:00+00' + g * interval '1 minute'" });
      expect((await p.cli(['run'])).code).toBe(0);
      const ledger = async () => (await p.sql<{ n: string }>(`select count(*) as n from ${p.schema}.capi_sync_ledger`))[0].n;
      const watermark = async () => p.sql(`select cursor, event_id from ${p.schema}.capi_sync_state`);
      const before = { ledger: await ledger(), watermark: await watermark() };

      const bad = await p.cli(['reset', 'orders', '--to', 'not-a-time']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('reset --to "not-a-time": not a value of the cursor column (timestamptz)');
      expect({ ledger: await ledger(), watermark: await watermark() }).toEqual(before);

      const reset = await p.cli(['reset', 'orders', '--to', '2026-11-05 10:03:00+00']);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toContain('3 event(s) sent before will be sent again');
      expect(await ledger()).toBe(kind === 'pglite' ? 2 : '2');
      const [run] = await p.sql<{ status: string; note: string }>(`select status, note from ${p.schema}.capi_sync_runs where status = 'reset'`);
      expect(run.note).toContain('3 event(s) sent before will be sent again');
      expect((await p.cli(['sync'])).code).toBe(0);
      expect(p.received().sort()).toEqual([...ids('r', 5), 'r-003', 'r-004', 'r-005'].sort());
    });
  });
}
