import { describe, expect, it } from 'vitest';
import { CLIMB, describeRate, MIN_RATE, PROBE_AFTER, PROBE_DOUBLING, Rate, SETTLE, type Clock, type RateChange, type Turn } from '../../runner/snap/rate.ts';

/** The rate after `successes` accepted requests in a row since a 429, once the quick climb is over. */
const probe = (accepted: number, successes: number) => accepted * (SETTLE + (1 - SETTLE) * 2 ** ((successes - PROBE_AFTER) / PROBE_DOUBLING));

/** A clock that moves only when told; sleepers wake in time order as it passes them. */
class TestClock implements Clock {
  time = 0;
  /** How late sleepers wake (a busy machine). */
  lateness = 0;
  private sleepers: { at: number; wake: () => void }[] = [];

  now = () => this.time;

  /** Timers still set: a stopped run must leave none behind. */
  get pending(): number {
    return this.sleepers.length;
  }

  sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const sleeper = { at: this.time + ms + this.lateness, wake: resolve };
      this.sleepers.push(sleeper);
      signal.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      }, { once: true });
    });

  /** Moves to the first sleeper's time and wakes it. */
  async next(): Promise<void> {
    await settle();
    const first = this.sleepers.sort((a, b) => a.at - b.at).shift();
    if (!first) throw new Error('nothing is waiting on the clock');
    this.time = first.at;
    first.wake();
    await settle();
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.time = next.at;
      next.wake();
    }
    this.time = end;
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const never = new AbortController().signal;

/** A learner on a test clock, with the changes it reported and the times its requests started. */
function learner() {
  const clock = new TestClock();
  const changes: RateChange[] = [];
  const rate = new Rate((change) => changes.push(change), clock);
  const starts: number[] = [];
  /** Asks for a turn; the promise resolves with it when the request may start. */
  const turn = (priority = 0, signal = never) => rate.acquire(priority, signal).then((given) => (starts.push(clock.time), given));
  /** Asks for a turn and lets the clock run until it comes. */
  const turnNow = async () => {
    let given: Turn | undefined;
    const granted = turn().then((t) => (given = t));
    await settle();
    while (given === undefined) await clock.next();
    return granted;
  };
  /** `count` requests, each accepted as soon as it starts, `gapMs` apart. */
  const acceptMany = async (count: number, gapMs = 0) => {
    for (let i = 0; i < count; i++) {
      const ticket = turn();
      await clock.advance(0);
      rate.release(await ticket, 'ok');
      if (gapMs > 0) await clock.advance(gapMs);
    }
  };
  return { clock, rate, changes, starts, turn, turnNow, acceptMany };
}

describe('Rate: the request rate Snap accepts', () => {
  it('puts no cap on requests before the first 429: every request starts at once', async () => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(50);
    const tickets = await Promise.all([turn(), turn(), turn()]);
    for (const t of tickets) rate.release(t, 'other');
    expect(rate.limit).toBeUndefined();
    expect(starts).toHaveLength(53);
    expect(new Set(starts)).toEqual(new Set([0]));
    expect(clock.time).toBe(0);
  });

  it('halves on a 429 from what Snap accepted in the second before, and halves again on the next', async () => {
    const { rate, clock, changes, turn, acceptMany } = learner();
    await acceptMany(8, 100); // 8 accepted over 0.8 s
    rate.release(await turn(), 'too-many', 0);
    expect(rate.limit).toBe(4);
    expect(changes).toEqual([{ rate: 4, accepted: 8, lowered: true }]);
    await clock.advance(250);
    rate.release(await turn(), 'too-many', 0);
    // The rate in force then (4) halved, and Snap had accepted 7 in the second before: the climb goes back to that.
    expect(rate.limit).toBe(2);
    expect(changes.at(-1)).toEqual({ rate: 2, accepted: 7, lowered: true });
  });

  it('counts only what Snap accepted within the last second (a second old is out)', async () => {
    const { rate, clock, turn, acceptMany } = learner();
    await acceptMany(1, 1);
    await acceptMany(3);
    await clock.advance(999); // the first is answered 1000 ms before the 429, the other three 999 ms
    rate.release(await turn(), 'too-many', 0);
    expect(rate.limit).toBe(1.5);
  });

  it('counts what Snap accepted in the second before the refused request started, however late its answer', async () => {
    const { rate, clock, turn, acceptMany } = learner();
    await acceptMany(2); // started at 0
    await clock.advance(300);
    await acceptMany(2); // started at 300
    await clock.advance(200);
    const slow = await turn(); // starts at 500
    await clock.advance(1);
    await acceptMany(3); // started after it: Snap counted them after it too
    await clock.advance(1199); // the 429 is read at 1700
    rate.release(slow, 'too-many', 0);
    expect(rate.limit).toBe(2);
  });

  it('counts requests that started before the refused one and are accepted after its 429', async () => {
    const { rate, clock, changes, turn, turnNow, acceptMany } = learner();
    await acceptMany(6);
    const inFlight = await Promise.all([turn(), turn(), turn(), turn()]); // started at 0, answered later
    await clock.advance(1);
    rate.release(await turn(), 'too-many', 0); // a 429 is quick to answer
    expect(rate.limit).toBe(3);
    await clock.advance(1);
    for (const t of inFlight) rate.release(t, 'ok');
    // Snap accepted 10 in the second before that 429: the first late answer raised the rate to half of 7, each climbed.
    expect(rate.limit).toBeCloseTo(3.5 * CLIMB ** 4, 10);
    rate.release(await turnNow(), 'ok');
    expect(changes.at(-1)).toMatchObject({ lowered: false, accepted: 10 });
    expect(rate.limit).toBeCloseTo(probe(10, 5), 10);
  });

  it('does not count a request accepted after a 429 that started more than a second before it', async () => {
    const { rate, clock, turn, acceptMany } = learner();
    const old = await turn(); // started at 0
    await clock.advance(1100);
    await acceptMany(2); // started at 1100
    rate.release(await turn(), 'too-many', 0);
    expect(rate.limit).toBe(1);
    rate.release(old, 'ok');
    expect(rate.limit).toBe(1 * CLIMB);
  });

  it('keeps what Snap accepted when a 429 comes with none accepted in the second before, and on a late answer', async () => {
    const { rate, changes, turnNow, acceptMany, turn } = learner();
    await acceptMany(4);
    rate.release(await turn(), 'too-many', 0); // 2 requests/s
    const late = await turnNow(); // at 1025, answered after the next 429
    rate.release(await turnNow(), 'too-many', 0); // at 1525: none accepted in the second before: the rate (2) halved
    expect(rate.limit).toBe(1);
    rate.release(late, 'ok'); // one accepted in that second: Snap accepted 4 before, not 1
    expect(rate.limit).toBe(CLIMB);
    expect(changes.at(-1)).toEqual({ rate: 1, accepted: 4, lowered: true });
    for (let i = 0; i < 10; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(probe(4, 11), 10);
  });

  it('counts a request answered in the second before the refused one started, though it started earlier', async () => {
    const { rate, clock, turn, acceptMany } = learner();
    const slow = await turn(); // starts at 0
    await clock.advance(400);
    rate.release(slow, 'ok'); // answered at 400
    await clock.advance(100);
    await acceptMany(3); // started at 500
    await clock.advance(600);
    rate.release(await turn(), 'too-many', 0); // started at 1100: Snap may have counted the slow one at 400
    expect(rate.limit).toBe(2);
  });

  it('halves once per round: requests that started before the halving say nothing new', async () => {
    const { rate, changes, turn, acceptMany } = learner();
    await acceptMany(6);
    const together = await Promise.all([turn(), turn(), turn()]);
    for (const t of together) rate.release(t, 'too-many', 0);
    expect(rate.limit).toBe(3);
    expect(changes.filter((c) => c.lowered)).toHaveLength(1);
  });

  it('starts requests 1/rate apart, never earlier, and one at a time', async () => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(4);
    rate.release(await turn(), 'too-many', 0); // 2 requests/s, 500 ms apart, once Snap's second is over (1025)
    starts.length = 0;
    const first = turn();
    const second = turn();
    await clock.advance(1024);
    expect(starts).toEqual([]);
    await clock.advance(1);
    expect(starts).toEqual([1025]);
    await clock.advance(499);
    expect(starts).toEqual([1025]);
    await clock.advance(1);
    expect(starts).toEqual([1025, 1525]);
    await Promise.all([first, second]);
  });

  it(`climbs back quickly (× ${CLIMB} per accepted request) to ${SETTLE} of what Snap accepted, saying so once`, async () => {
    const { rate, changes, turn, turnNow, acceptMany } = learner();
    await acceptMany(8);
    rate.release(await turn(), 'too-many', 0);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      rate.release(await turnNow(), 'ok');
      seen.push(rate.limit!);
    }
    const settled = probe(8, 3);
    expect(seen.slice(0, 2)).toEqual([5, 6.25]);
    expect(seen[2]).toBeCloseTo(settled, 10);
    expect(seen[3]).toBeGreaterThan(seen[2]!);
    expect(seen[3]! - seen[2]!).toBeLessThan(0.001);
    expect(changes).toEqual([{ rate: 4, accepted: 8, lowered: true }, { rate: seen[2], accepted: 8, lowered: false }]);
  });

  it(`rises slowly, then faster: back at what Snap accepted after ${PROBE_AFTER} accepted requests in a row, twice that after ~145`, async () => {
    const { rate, turn, turnNow, acceptMany } = learner();
    await acceptMany(10);
    rate.release(await turn(), 'too-many', 0);
    for (let i = 1; i < PROBE_AFTER / 2; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(probe(10, PROBE_AFTER / 2 - 1), 10);
    expect(rate.limit).toBeLessThan(9.52);
    for (let i = PROBE_AFTER / 2; i < PROBE_AFTER; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeLessThan(10);
    rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(10, 10);
    for (let i = 0; i < PROBE_DOUBLING; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(10 * (SETTLE + (1 - SETTLE) * 2), 10);
    for (let i = 0; i < 35; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeGreaterThan(20);
  });

  it('starts the climb over after a 429: the successes are counted from the last halving', async () => {
    const { rate, changes, turn, turnNow, acceptMany } = learner();
    await acceptMany(10);
    rate.release(await turn(), 'too-many', 0);
    for (let i = 0; i < 60; i++) rate.release(await turnNow(), 'ok');
    rate.release(await turnNow(), 'too-many', 0);
    const { accepted, rate: halved } = changes.at(-1)!;
    expect(accepted).toBeGreaterThan(8);
    expect(halved).toBe(accepted / 2);
    for (let i = 0; i < 5; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(probe(accepted, 5), 10);
  });

  it('with nothing accepted in the second before, starts from one request every 2 s and climbs until the next 429', async () => {
    const { rate, changes, turn, turnNow } = learner();
    rate.release(await turn(), 'too-many', 0);
    expect(rate.limit).toBe(0.5);
    expect(changes).toEqual([{ rate: 0.5, accepted: Infinity, lowered: true }]);
    for (let i = 0; i < 20; i++) rate.release(await turnNow(), 'ok');
    expect(rate.limit).toBeCloseTo(0.5 * CLIMB ** 20, 8);
  });

  it(`never goes below ${MIN_RATE} request/s`, async () => {
    const { rate, turnNow } = learner();
    for (let i = 0; i < 10; i++) rate.release(await turnNow(), 'too-many', 0);
    expect(rate.limit).toBe(MIN_RATE);
  });

  it('waits at least the Retry-After before the next request, whatever the rate', async () => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(10);
    const [first, second] = await Promise.all([turn(), turn()]);
    rate.release(first, 'too-many', 3000);
    rate.release(second, 'too-many', 100); // a shorter Retry-After after it does not cut it short
    starts.length = 0;
    const next = turn();
    await clock.advance(2999);
    expect(starts).toEqual([]);
    await clock.advance(1);
    await next;
    expect(starts).toEqual([3000]);
  });

  it('pauses for nothing but a 429: a 503 says nothing about the rate', async () => {
    const { rate, starts, turn } = learner();
    rate.release(await turn(), 'other', 700);
    await turn();
    expect(starts).toEqual([0, 0]);
    expect(rate.limit).toBeUndefined();
  });

  it('counts the next start from a late one: a busy machine does not squeeze requests together', async () => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(4);
    rate.release(await turn(), 'too-many', 0); // 2 requests/s, 500 ms apart, from 1025
    starts.length = 0;
    clock.lateness = 100;
    const turns = [turn(), turn(), turn()];
    await clock.advance(2500);
    expect(starts).toEqual([1125, 1725, 2325]);
    await Promise.all(turns);
  });

  it.each([
    ['without Retry-After', undefined],
    ['with a Retry-After that says less', 100],
  ])('%s, waits until what Snap accepted in the second before has left that second', async (_, retryAfter) => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(3, 100); // answered at 0, 100, 200
    rate.release(await turn(), 'too-many', retryAfter); // at 300: 1.5 requests/s would allow 967 ms
    starts.length = 0;
    const next = turn();
    await clock.advance(724); // the first accepted leaves Snap's window at 1000, and 25 ms for clocks that differ
    expect(starts).toEqual([]);
    await clock.advance(1);
    await next;
    expect(starts).toEqual([1025]);
  });

  it('counts that second from when Snap answered, which a busy Snap does late', async () => {
    const { rate, clock, starts, turn } = learner();
    const slow = await Promise.all([turn(), turn(), turn(), turn()]); // start at 0
    await clock.advance(300);
    for (const t of slow) rate.release(t, 'ok'); // answered at 300
    rate.release(await turn(), 'too-many'); // at 300: 2 requests/s would allow 800
    starts.length = 0;
    const next = turn();
    await clock.advance(1024);
    expect(starts).toEqual([]);
    await clock.advance(1);
    await next;
    expect(starts).toEqual([1325]);
  });

  it('lets the earliest batch go first, and a waiter that stops gives up its turn', async () => {
    const { rate, clock, starts, turn, acceptMany } = learner();
    await acceptMany(2);
    rate.release(await turn(), 'too-many', 0); // 1 request/s
    const order: number[] = [];
    const stop = new AbortController();
    const late = turn(9).then(() => order.push(9));
    const stopped = turn(1, stop.signal);
    const early = turn(2).then(() => order.push(2));
    stop.abort();
    await expect(stopped).rejects.toBeDefined();
    await clock.advance(2100);
    await Promise.all([late, early]);
    expect(order).toEqual([2, 9]);
    expect(starts.slice(-2)).toEqual([1025, 2025]);
  });

  it('leaves no timer set once every waiter has stopped', async () => {
    const { rate, clock, turn } = learner();
    rate.release(await turn(), 'too-many', 30_000);
    const stop = new AbortController();
    const waiting = turn(0, stop.signal);
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    stop.abort();
    await expect(waiting).rejects.toBeDefined();
    expect(clock.pending).toBe(0);
  });
});

describe('describeRate: the log line of a change', () => {
  it('says what a 429 did, from what, and when the rate is back', () => {
    expect(describeRate({ rate: 2.5, accepted: 5, lowered: true })).toBe('Snap answered 429 (too many requests): at most 2.5 requests/s from now (it accepted 5 in the second before); climbing back as it accepts');
    expect(describeRate({ rate: 0.5, accepted: Infinity, lowered: true })).toBe('Snap answered 429 (too many requests): at most 0.5 requests/s from now (it had accepted none in the second before); climbing back as it accepts');
    expect(describeRate({ rate: 4.7502249, accepted: 5, lowered: false })).toBe('back to 4.75 requests/s (95% of the 5 Snap accepted before its 429); more only slowly from here');
  });
});
