import { setTimeout as sleep } from 'node:timers/promises';
import { Waiters } from './waiters.ts';

/** Time as the rate learner sees it; tests pass their own. */
export interface Clock {
  /** Milliseconds, never going back. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

/** After a 429, the rate climbs back quickly to this share of what Snap accepted before it. */
export const SETTLE = 0.95;
/** The quick climb: each accepted request multiplies the rate by this, up to SETTLE of what Snap accepted. */
export const CLIMB = 1.25;
/** Accepted requests in a row after which the rate is back at what Snap accepted before its 429. */
export const PROBE_AFTER = 100;
/** The step above SETTLE doubles every this many accepted requests: flat at first, twice the rate after ~145 in all. */
export const PROBE_DOUBLING = 10;
/** Requests per second the rate never goes below: one every 10 s. */
export const MIN_RATE = 0.1;
/** Snap counts its limit per second ("~10 requests/s on average", snap-capi-v3.md). */
export const WINDOW_MS = 1000;
// Our clock and Snap's differ by a few ms: wait a little past a window, not to its very edge.
const WINDOW_MARGIN_MS = 25;
// Accepted requests are remembered this long: a 429 that took long to come counts from before it started.
const REMEMBER_MS = 10_000;

/** A request's turn: when it started, and in which round of halvings. */
export interface Turn {
  at: number;
  round: number;
}

/** A change worth a log line: a 429 lowered the rate, or the rate climbed back to SETTLE of `accepted`. */
export interface RateChange {
  /** Requests per second allowed from now on. */
  rate: number;
  /** Requests per second Snap accepted before its last 429; Infinity when it had accepted none in that second. */
  accepted: number;
  lowered: boolean;
}

/**
 * The request rate Snap accepts, learned from its 429s; no cap until the first one, so an endpoint
 * without a limit is never slowed. A 429 halves the rate (or what Snap accepted in the second before,
 * when that is lower) and pauses every request: for its Retry-After, or else until the requests Snap
 * accepted in that second have left it. Accepted requests raise the rate back quickly (× CLIMB each) to
 * SETTLE of what Snap accepted, then slowly, and faster and faster past it, as TCP CUBIC probes: back at
 * it after PROBE_AFTER accepted requests in a row, twice it after ~145. A limit that went up is found
 * again, and one measured too low (a 429 that was not about the rate) does not hold for the whole run.
 * Only one halving per round, as in Pace.
 *
 * Requests start one at a time, 1/rate apart (never in bursts, which a token bucket would refuse), the
 * lowest `priority` first. The Retry-After honoured is capped by the caller (retry.maxTimeout).
 */
export class Rate {
  private current: number | undefined;
  private ceiling = Infinity;
  private successes = 0;
  private round = 0;
  private last = -Infinity;
  private pausedUntil = -Infinity;
  // Requests Snap accepted lately, in the order of their answers. Snap counted each somewhere between
  // its start and its answer; before a refused request, those that started no later than it.
  private accepted: { start: number; answer: number }[] = [];
  // The 429 that last lowered the rate: when its request started, the rate in force then, and what Snap
  // accepted in the second before it (answers that come after the 429 count too).
  private measured: { at: number; cap: number; count: number } | undefined;
  private readonly waiting = new Waiters<Turn>();
  private timer: AbortController | undefined;

  constructor(private readonly onChange?: (change: RateChange) => void, private readonly clock: Clock = realClock) {}

  /** Requests per second allowed now; undefined before the first 429 (no cap). */
  get limit(): number | undefined {
    return this.current;
  }

  /**
   * Resolves with the request's turn once it may start, a lower `priority` (an earlier batch) first;
   * rejects when `signal` aborts while waiting.
   */
  acquire(priority: number, signal: AbortSignal): Promise<Turn> {
    const now = this.clock.now();
    const due = this.startsAt();
    // Nobody waiting and nothing to wait for (always so before the first 429): no timer, no line.
    if (this.waiting.length === 0 && due <= now && !signal.aborted) return Promise.resolve(this.start(now));
    const turn = this.waiting.wait(priority, signal, () => this.schedule());
    this.schedule();
    return turn;
  }

  /**
   * The request of `turn` got its answer: accepted, `too-many` (429, with its Retry-After in ms if it
   * had one: no request starts before that has passed), or anything else (the rate is not about 5xx
   * and timeouts: Pace slows down for those, and their Retry-After is the retried batch's alone).
   */
  release(turn: Turn, outcome: 'ok' | 'too-many' | 'other', retryAfterMs?: number): void {
    const now = this.clock.now();
    while (this.accepted.length > 0 && this.accepted[0]!.answer <= now - REMEMBER_MS) this.accepted.shift();
    if (outcome === 'ok') this.accept(turn, now);
    if (outcome === 'too-many') this.refuse(turn, now, retryAfterMs);
    this.schedule();
  }

  private accept(turn: Turn, now: number): void {
    this.accepted.push({ start: turn.at, answer: now });
    if (this.current === undefined) return;
    const m = this.measured;
    // Started before the refused request, answered after it (its 429 came first): Snap counted it there.
    if (m && turn.at > m.at - WINDOW_MS && turn.at <= m.at) {
      this.ceiling = Math.max(this.ceiling, ++m.count);
      this.current = Math.max(this.current, halved(m));
    }
    this.successes++;
    const settled = SETTLE * this.ceiling;
    const target = this.ceiling * (SETTLE + (1 - SETTLE) * 2 ** ((this.successes - PROBE_AFTER) / PROBE_DOUBLING));
    const before = this.current;
    this.current = Math.min(before * CLIMB, target);
    if (before < settled && this.current >= settled) this.onChange?.({ rate: this.current, accepted: this.ceiling, lowered: false });
  }

  private refuse(turn: Turn, now: number, retryAfterMs: number | undefined): void {
    // What Snap may have counted in the second before the refused request: answered since a second
    // before it started (not before its 429 was read: a busy runner reads it late), started before it.
    const counted = this.accepted.filter((a) => a.answer > turn.at - WINDOW_MS && a.start <= turn.at);
    // Snap's window is full until the first request it counted there leaves it; a Retry-After may say longer.
    const first = Math.min(...counted.map((a) => a.answer));
    if (counted.length > 0) this.pausedUntil = Math.max(this.pausedUntil, first + WINDOW_MS + WINDOW_MARGIN_MS);
    if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    if (turn.round !== this.round) return;
    this.round++;
    this.successes = 0;
    // With nothing accepted in that second, what Snap accepted before still stands; before any, there is
    // no measure of the limit and the climb goes on until the next 429.
    this.measured = { at: turn.at, cap: this.current ?? Infinity, count: counted.length };
    this.ceiling = counted.length || this.ceiling;
    this.current = halved(this.measured);
    this.onChange?.({ rate: this.current, accepted: this.ceiling, lowered: true });
  }

  private startsAt(): number {
    return Math.max(this.pausedUntil, this.current === undefined ? -Infinity : this.last + 1000 / this.current);
  }

  // Wakes waiters, first in line first, as the rate and pauses allow; one timer for the first in line.
  private schedule(): void {
    this.timer?.abort();
    this.timer = undefined;
    while (this.waiting.length > 0) {
      const due = this.startsAt();
      const now = this.clock.now();
      if (due > now) {
        const timer = (this.timer = new AbortController());
        this.clock.sleep(due - now, timer.signal).then(() => this.timer === timer && this.schedule(), () => {});
        return;
      }
      this.waiting.wakeFirst(this.start(now));
    }
  }

  // The next start is counted from this one, even when it came later than due (a timer late on a busy
  // machine): catching up would put more requests in one of Snap's seconds than the rate allows.
  private start(now: number): Turn {
    this.last = now;
    return { at: now, round: this.round };
  }
}

/** Half the rate in force at a 429, or of what Snap accepted in the second before when lower (1 when nothing is known). */
function halved({ cap, count }: { cap: number; count: number }): number {
  const from = Math.min(cap, count || Infinity);
  return Math.max(MIN_RATE, (Number.isFinite(from) ? from : 1) / 2);
}

/** A rate change in words, for the log: what Snap's 429 did, or that the rate is back near what Snap accepted. */
export function describeRate({ rate, accepted, lowered }: RateChange): string {
  const n = (value: number) => String(Number(value.toPrecision(3)));
  if (!lowered) return `back to ${n(rate)} requests/s (${Math.round((rate / accepted) * 100)}% of the ${n(accepted)} Snap accepted before its 429); more only slowly from here`;
  const before = Number.isFinite(accepted) ? `it accepted ${n(accepted)} in the second before` : 'it had accepted none in the second before';
  return `Snap answered 429 (too many requests): at most ${n(rate)} requests/s from now (${before}); climbing back as it accepts`;
}
