import { describe, expect, it } from 'vitest';
import { Pace, RAISE_AFTER } from '../../runner/snap/pace.ts';

const never = new AbortController().signal;

describe('Pace: requests in flight', () => {
  it('lets up to the maximum start at once, and the next waits for a slot', async () => {
    const pace = new Pace(3);
    const tickets = await Promise.all([0, 1, 2].map((seq) => pace.acquire(seq, never)));
    let fourth = false;
    const waiting = pace.acquire(3, never).then(() => (fourth = true));
    await Promise.resolve();
    expect(fourth).toBe(false);
    pace.release(tickets[0]!, 'ok');
    await waiting;
    expect(fourth).toBe(true);
  });

  it('halves after a slow-down answer, once per round, never below 1', () => {
    const changes: number[] = [];
    const pace = new Pace(8, (limit) => changes.push(limit));
    const tickets = [0, 1, 2, 3].map((seq) => pace.acquire(seq, never));
    return Promise.all(tickets).then(async ([a, b, c, d]) => {
      // Four requests of the same round fail together: one halving, not four.
      for (const t of [a, b, c, d]) pace.release(t!, 'slow-down');
      expect(pace.limit).toBe(4);
      const next = await pace.acquire(0, never);
      pace.release(next, 'slow-down');
      expect(pace.limit).toBe(2);
      for (let i = 0; i < 3; i++) pace.release(await pace.acquire(0, never), 'slow-down');
      expect(pace.limit).toBe(1);
      expect(changes).toEqual([4, 2, 1]);
    });
  });

  it(`raises by one after ${RAISE_AFTER} successes in a row, up to the maximum`, async () => {
    const pace = new Pace(2);
    pace.release(await pace.acquire(0, never), 'slow-down');
    expect(pace.limit).toBe(1);
    for (let i = 0; i < RAISE_AFTER - 1; i++) pace.release(await pace.acquire(0, never), 'ok');
    pace.release(await pace.acquire(0, never), 'slow-down'); // the run of successes is broken
    for (let i = 0; i < RAISE_AFTER - 1; i++) pace.release(await pace.acquire(0, never), 'ok');
    expect(pace.limit).toBe(1);
    pace.release(await pace.acquire(0, never), 'ok');
    expect(pace.limit).toBe(2);
    for (let i = 0; i < 3 * RAISE_AFTER; i++) pace.release(await pace.acquire(0, never), 'ok');
    expect(pace.limit).toBe(2);
  });

  it('leaves the limit alone for answers that say nothing about load (400, 401)', async () => {
    const pace = new Pace(4);
    for (let i = 0; i < 5; i++) pace.release(await pace.acquire(0, never), 'other');
    expect(pace.limit).toBe(4);
  });

  it('serves the earliest batch first when slots free up', async () => {
    const pace = new Pace(1);
    const first = await pace.acquire(0, never);
    const order: number[] = [];
    const late = pace.acquire(7, never).then((t) => (order.push(7), t));
    const early = pace.acquire(2, never).then((t) => (order.push(2), t));
    pace.release(first, 'ok');
    pace.release(await early, 'ok');
    await late;
    expect(order).toEqual([2, 7]);
  });

  it('stops waiting when the run stops, without losing a slot', async () => {
    const pace = new Pace(1);
    const held = await pace.acquire(0, never);
    const stop = new AbortController();
    const waiting = pace.acquire(1, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toBeDefined();
    pace.release(held, 'ok');
    await expect(pace.acquire(2, never)).resolves.toBeTypeOf('number');
  });
});
