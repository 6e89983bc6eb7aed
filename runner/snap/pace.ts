import { Waiters } from './waiters.ts';

/** After this many accepted requests in a row, one more request may be in flight. */
export const RAISE_AFTER = 8;

/**
 * How many requests may be in flight, adjusted like TCP's congestion window (AIMD): halved when Snap
 * answers 429, 5xx or not at all, raised by one after RAISE_AFTER successes in a row, never above the
 * configured maximum nor below 1. Only one halving per round: a failure of a request that started
 * before the last halving says nothing new, so four requests failing together halve the limit once.
 *
 * Retries take a slot too, lowest batch first, so after a 429 the retries themselves slow down.
 */
export class Pace {
  private current: number;
  private round = 0;
  private successes = 0;
  private active = 0;
  private readonly waiting = new Waiters<number>();

  constructor(private readonly max: number, private readonly onChange?: (limit: number) => void) {
    this.current = max;
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  /**
   * Resolves with a ticket once a request may start; a lower `priority` (an earlier batch) goes first.
   * Rejects when `signal` aborts while waiting.
   */
  async acquire(priority: number, signal: AbortSignal): Promise<number> {
    if (this.active < this.current && this.waiting.length === 0) {
      this.active++;
      return this.round;
    }
    return this.waiting.wait(priority, signal);
  }

  /** The request of `ticket` got its answer: `ok`, or a failure that asks to slow down. */
  release(ticket: number, outcome: 'ok' | 'slow-down' | 'other'): void {
    this.active--;
    if (outcome === 'ok' && ++this.successes >= RAISE_AFTER && this.current < this.max) {
      this.successes = 0;
      this.set(this.current + 1);
    } else if (outcome === 'slow-down') {
      this.successes = 0;
      if (ticket === this.round) {
        this.round++;
        this.set(Math.max(1, Math.floor(this.current / 2)));
      }
    }
    this.wakeNext();
  }

  private set(limit: number): void {
    if (limit === this.current) return;
    this.current = limit;
    this.onChange?.(limit);
  }

  // The slot is taken on the waiter's behalf, so nobody can jump in before it resumes.
  private wakeNext(): void {
    while (this.waiting.length > 0 && this.active < this.current) {
      this.active++;
      this.waiting.wakeFirst(this.round);
    }
  }
}
