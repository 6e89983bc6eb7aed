import { describe, expect, it } from 'vitest';
import { Checkpoint } from '../../runner/state/checkpoint.ts';
import type { LedgerEvent, Watermark } from '../../runner/state/state.ts';

// When what a run settled is written: what a warehouse receives (how many writes, holding what), and
// what a crash or a failed write would lose. The saves here are held open until the test lets them end.

const event = (id: string): LedgerEvent => ({ event_id: id, cursor: id, status: 'accepted', payload_sha256: 'f'.repeat(64) });
const mark = (id: string): Watermark => ({ cursor: id, event_id: id });

/** A warehouse write per save, each held until `finish` (or `fail`) is called. */
function warehouse() {
  const saves: { events: string[]; mark?: string; finish(): void; fail(error: Error): void }[] = [];
  const save = (events: LedgerEvent[], m: Watermark | undefined) => new Promise<void>((resolve, reject) => {
    saves.push({ events: events.map((e) => e.event_id), mark: m?.event_id, finish: resolve, fail: reject });
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { saves, save, settle };
}

describe('Checkpoint with no interval (Postgres, PGlite)', () => {
  it('saves at once; what settles meanwhile goes in one save right after, in order', async () => {
    const w = warehouse();
    const c = new Checkpoint(w.save, 0);
    await c.add([event('a')], mark('a'));
    await c.add([event('b')]);
    await c.add([event('c')], mark('c'));
    expect(w.saves.map((s) => [s.events, s.mark])).toEqual([[['a'], 'a']]);
    w.saves[0].finish();
    await w.settle();
    expect(w.saves.map((s) => [s.events, s.mark])).toEqual([[['a'], 'a'], [['b', 'c'], 'c']]);
    w.saves[1].finish();
    await c.flush();
    expect(w.saves).toHaveLength(2);
  });

  it('holds the run back while a save is slow and maxWaiting events wait, and lets it go when the save ends', async () => {
    const w = warehouse();
    const c = new Checkpoint(w.save, 0, 2);
    await c.add([event('a')]);
    await c.add([event('b')]);
    let done = false;
    const adding = c.add([event('c')]).then(() => (done = true));
    await w.settle();
    expect(done).toBe(false);
    w.saves[0].finish();
    await adding;
    expect(w.saves.map((s) => s.events)).toEqual([['a'], ['b', 'c']]);
  });

  it('a failed save keeps its events and watermark for the next, and is reported once', async () => {
    const w = warehouse();
    const c = new Checkpoint(w.save, 0);
    await c.add([event('a')], mark('a'));
    await c.add([event('b')], mark('b'));
    w.saves[0].fail(new Error('warehouse gone'));
    await w.settle();
    await expect(c.add([event('c')])).rejects.toThrow('warehouse gone');
    const flushing = c.flush();
    await w.settle();
    // Nothing was lost: the failed save's events first, the newer watermark kept (the add that was told
    // of the failure took nothing: the run stops there).
    expect(w.saves.map((s) => [s.events, s.mark])).toEqual([[['a'], 'a'], [['a', 'b'], 'b']]);
    w.saves[1].finish();
    await flushing;
  });

  it('a failed save with no newer watermark keeps its own', async () => {
    const w = warehouse();
    const c = new Checkpoint(w.save, 0);
    await c.add([event('a')], mark('a'));
    w.saves[0].fail(new Error('timeout'));
    await w.settle();
    await expect(c.flush()).rejects.toThrow('timeout');
    const flushing = c.flush();
    await w.settle();
    expect(w.saves.map((s) => [s.events, s.mark])).toEqual([[['a'], 'a'], [['a'], 'a']]);
    w.saves[1].finish();
    await flushing;
  });

  it('flush with nothing settled writes nothing', async () => {
    const w = warehouse();
    await new Checkpoint(w.save, 0).flush();
    expect(w.saves).toEqual([]);
  });
});

describe('Checkpoint with an interval (BigQuery, Snowflake)', () => {
  it('the interval starts with the run: nothing is written before it is over, then what waited goes in one write', async () => {
    const w = warehouse();
    let now = 1_000_000;
    const c = new Checkpoint(w.save, 60_000, Infinity, () => now);
    await c.add([event('a')], mark('a'));
    now += 59_999;
    await c.add([event('b')]);
    expect(w.saves).toEqual([]);
    now += 1;
    await c.add([event('c')], mark('c'));
    expect(w.saves.map((s) => [s.events, s.mark])).toEqual([[['a', 'b', 'c'], 'c']]);
  });

  it('counts the next interval from the end of the last write, and writes the rest at the end', async () => {
    const w = warehouse();
    let now = 0;
    const c = new Checkpoint(w.save, 1000, Infinity, () => now);
    now = 1000;
    await c.add([event('a')]);
    now = 1500;
    w.saves[0].finish();
    await w.settle();
    now = 2400;
    await c.add([event('b')]);
    // Not chained after the write as with no interval: 900 ms since it ended.
    expect(w.saves).toHaveLength(1);
    now = 2500;
    await c.add([event('c')]);
    expect(w.saves.map((s) => s.events)).toEqual([['a'], ['b', 'c']]);
    w.saves[1].finish();
    await c.add([event('d')]);
    const flushing = c.flush();
    await w.settle();
    expect(w.saves.map((s) => s.events)).toEqual([['a'], ['b', 'c'], ['d']]);
    w.saves[2].finish();
    await flushing;
  });

  it('a write in progress is waited for, not doubled: what settles meanwhile goes in the next', async () => {
    const w = warehouse();
    let now = 0;
    const c = new Checkpoint(w.save, 10, Infinity, () => now);
    now = 10;
    await c.add([event('a')]);
    now = 100;
    await c.add([event('b')]);
    expect(w.saves).toHaveLength(1);
    const flushing = c.flush();
    w.saves[0].finish();
    await w.settle();
    expect(w.saves.map((s) => s.events)).toEqual([['a'], ['b']]);
    w.saves[1].finish();
    await flushing;
  });
});
