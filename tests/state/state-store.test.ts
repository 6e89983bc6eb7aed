import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseError } from '../../runner/errors.ts';
import { addSecrets } from '../../runner/redact.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { StateStore, formatWatermark, splitStatements } from '../../runner/state/state.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';

// What capi-sync keeps between runs, in the embedded warehouse: read back as the next run and
// `capi-sync status` read it. Each test uses activations of its own.

let dir: string;
let wh: Warehouse;
let state: StateStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capi-sync-state-'));
  wh = await openPglite({ path: join(dir, 'warehouse'), schema: 'capi_sync' });
  state = new StateStore(wh, createRenderer(wh.dialect));
});
afterAll(async () => {
  await wh?.close();
  await rm(dir, { recursive: true, force: true });
});

const counts = { sent: 5, rejected_by_view: 2, rejected_by_snap: 1, retries: 3, batches: 4 };
const runs = (activation: string) => wh.query('select * from capi_sync.capi_sync_runs where activation = ? order by started_at', [activation]);

describe('before deploy', () => {
  it('every command is told to deploy when the tables are missing', async () => {
    const error = await state.read('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^capi-sync's tables in capi_sync are missing or from an older version: run `capi-sync deploy` \(or `capi-sync run`, which deploys first\)\n {2}relation "capi_sync.capi_sync_state" does not exist/);
  });
});

describe('after deploy', () => {
  beforeAll(async () => {
    await wh.execScript([`create schema if not exists capi_sync`, ...state.ddl()]);
  });

  it('an activation never run has no watermark, fingerprint or prune time', async () => {
    expect(await state.read('never')).toEqual({ watermark: null, viewsFingerprint: null, ledgerPrunedAt: null });
  });

  it('keeps the watermark, and forgets it when set to the start', async () => {
    await state.saveWatermark('wm', { cursor: '2026-03-01T12:00:00Z', event_id: 'e1' });
    expect(await state.watermark('wm')).toEqual({ cursor: '2026-03-01T12:00:00Z', event_id: 'e1' });
    await state.saveWatermark('wm', null);
    expect(await state.watermark('wm')).toBeNull();
  });

  it('a checkpoint writes the ledger and the watermark; one with nothing writes nothing', async () => {
    await state.checkpoint('cp', 'run-1', [
      { event_id: 'a', cursor: '1', event_time: 1_700_000_000, match_keys: 'em', status: 'accepted', payload_sha256: 'f'.repeat(64) },
      { event_id: 'b', cursor: '2', status: 'refused' },
    ], { cursor: '2', event_id: 'b' }, 8);
    expect(await wh.query('select event_id, cursor, event_time, match_keys, status, payload_sha256, run_id from capi_sync.capi_sync_ledger where activation = ? order by event_id', ['cp'])).toEqual([
      { event_id: 'a', cursor: '1', event_time: 1_700_000_000, match_keys: 'em', status: 'accepted', payload_sha256: 'f'.repeat(64), run_id: 'run-1' },
      { event_id: 'b', cursor: '2', event_time: null, match_keys: null, status: 'refused', payload_sha256: null, run_id: 'run-1' },
    ]);
    expect(await state.watermark('cp')).toEqual({ cursor: '2', event_id: 'b' });
    await state.checkpoint('cp', 'run-2', [], undefined, 8);
    expect(await wh.query('select count(*)::int as n from capi_sync.capi_sync_ledger where activation = ?', ['cp'])).toEqual([{ n: 2 }]);
    expect(await state.watermark('cp')).toEqual({ cursor: '2', event_id: 'b' });
  });

  it('records a run from its start to its end: status, counts, watermarks, warnings and the error without its secrets', async () => {
    addSecrets('state-secret-0001');
    const id = await state.startRun('runs', { cursor: '1', event_id: 'a' });
    expect(await runs('runs')).toEqual([expect.objectContaining({ run_id: id, status: 'running', watermark_before: '1 / a', finished_at: null })]);
    await state.finishRun(id, {
      status: 'failed', counts, after: { cursor: '9', event_id: 'z' }, warnings: ['w1', 'w2'],
      error: 'Snap said no to https://tr.snapchat.com/v3/p/events?access_token=state-secret-0001', note: 'a note',
    });
    const [run] = await runs('runs');
    expect(run).toMatchObject({
      status: 'failed', ...counts, watermark_before: '1 / a', watermark_after: '9 / z', warnings: 'w1\nw2', note: 'a note',
      error: 'Snap said no to https://tr.snapchat.com/v3/p/events?access_token=***',
    });
    expect(run.finished_at).not.toBeNull();
  });

  it('a run with no warnings, error or note keeps nulls, not empty text', async () => {
    const id = await state.startRun('quiet', null);
    await state.finishRun(id, { status: 'ok', counts, after: null, warnings: [] });
    expect((await runs('quiet'))[0]).toMatchObject({ status: 'ok', watermark_before: null, watermark_after: null, warnings: null, error: null, note: null });
  });

  it('records a run that sent nothing whole, and marks only runs still running as abandoned', async () => {
    await state.recordRun('rec', { status: 'skipped', before: null, after: null, note: 'another runner' });
    const running = await state.startRun('rec', null);
    await state.startRun('other', null);
    await state.closeAbandonedRuns('rec');
    const rows = await runs('rec');
    expect(rows.map((r) => [r.status, r.note])).toEqual([['skipped', 'another runner'], ['abandoned', null]]);
    expect(rows[0]).toMatchObject({ sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 });
    expect(rows[1]).toMatchObject({ run_id: running, error: 'the runner stopped without finishing (killed?); the next run resumed from the saved watermark and the ledger' });
    expect((await runs('other'))[0].status).toBe('running');
  });

  it('lists the last runs newest first, and the last run that tried to send', async () => {
    for (const [i, status] of (['ok', 'partial', 'skipped', 'reset'] as const).entries()) {
      const id = await state.recordRun('list', { status, before: null, after: null });
      await wh.exec(`update capi_sync.capi_sync_runs set started_at = now() - interval '1 hour' + ? * interval '1 minute' where run_id = ?`, [i, id]);
    }
    expect((await state.lastRuns('list', 3)).map((r) => r.status)).toEqual(['reset', 'skipped', 'partial']);
    expect((await state.lastRuns('list')).map((r) => r.status)).toEqual(['reset', 'skipped', 'partial', 'ok']);
    expect(await state.lastRun('list')).toEqual({ started_at: expect.any(Number), status: 'partial' });
    expect(await state.lastRun('nothing')).toBeNull();
  });

  it('records an event Snap refused, its message without secrets', async () => {
    addSecrets('state-secret-0002');
    await state.recordDeliveryError({ run_id: 'r', activation: 'errs', event_id: 'e1', cursor: 'c1', http_status: 400, message: 'bad value near state-secret-0002' });
    expect(await wh.query('select run_id, event_id, cursor, http_status, message from capi_sync.capi_sync_delivery_errors where activation = ?', ['errs'])).toEqual([
      { run_id: 'r', event_id: 'e1', cursor: 'c1', http_status: 400, message: 'bad value near ***' },
    ]);
  });

  it('removes ledger rows past the retention at most once a day', async () => {
    await state.checkpoint('prune', 'r', [{ event_id: 'old', cursor: '1', status: 'accepted', payload_sha256: 'a'.repeat(64) }, { event_id: 'new', cursor: '2', status: 'accepted', payload_sha256: 'b'.repeat(64) }], undefined, 8);
    await wh.exec(`update capi_sync.capi_sync_ledger set sent_at = now() - interval '40 days' where activation = 'prune' and event_id = 'old'`);
    expect(await state.pruneLedger('prune', 30, null)).toBe(1);
    const { ledgerPrunedAt } = await state.read('prune');
    expect(Date.now() - ledgerPrunedAt!.getTime()).toBeLessThan(60_000);
    await wh.exec(`update capi_sync.capi_sync_ledger set sent_at = now() - interval '40 days' where activation = 'prune'`);
    expect(await state.pruneLedger('prune', 30, ledgerPrunedAt)).toBe(0);
    expect(await state.pruneLedger('prune', 30, new Date(Date.now() - 86_400_000 - 1000))).toBe(1);
  });

  it('forgets one activation\'s watermark and ledger, and no other\'s', async () => {
    for (const a of ['forget', 'keep']) await state.checkpoint(a, 'r', [{ event_id: 'x', cursor: '1', status: 'accepted', payload_sha256: 'c'.repeat(64) }], { cursor: '1', event_id: 'x' }, 8);
    await state.forget('forget');
    expect(await state.watermark('forget')).toBeNull();
    expect(await state.watermark('keep')).toEqual({ cursor: '1', event_id: 'x' });
    expect(await wh.query('select activation from capi_sync.capi_sync_ledger where activation in (?, ?)', ['forget', 'keep'])).toEqual([{ activation: 'keep' }]);
  });

  it('keeps the alert status with the time it changed', async () => {
    expect(await state.alertStatus('alerts')).toBeNull();
    await state.saveAlertStatus('alerts', 'warning');
    const saved = await state.alertStatus('alerts');
    expect(saved).toEqual({ status: 'warning', changed_at: expect.any(Number) });
    expect(Math.abs(saved!.changed_at! - Date.now() / 1000)).toBeLessThan(60);
  });
});

describe('formats', () => {
  it('writes a watermark as cursor / event_id, and none as null', () => {
    expect(formatWatermark({ cursor: '2026-03-01', event_id: 'e' })).toBe('2026-03-01 / e');
    expect(formatWatermark(null)).toBeNull();
  });

  it('splits a script on lines holding only a semicolon, dropping empty statements', () => {
    expect(splitStatements('create table a (x int)\n;\n  ;  \ncreate table b (y text);x\n;\n')).toEqual(['create table a (x int)', 'create table b (y text);x']);
  });
});
