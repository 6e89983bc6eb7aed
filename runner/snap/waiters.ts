/**
 * Callers waiting for their turn, the lowest `priority` (an earlier batch) first; each is woken with a
 * value, or rejected when its signal aborts (and then leaves the line).
 */
export class Waiters<T> {
  private readonly line: { priority: number; wake: (value: T) => void }[] = [];

  get length(): number {
    return this.line.length;
  }

  /** Joins the line; `onLeave` runs after a waiter left it because its signal aborted. */
  wait(priority: number, signal: AbortSignal, onLeave?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.line.splice(this.line.indexOf(entry), 1);
        reject(signal.reason);
        onLeave?.();
      };
      const entry = {
        priority,
        wake: (value: T) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const at = this.line.findIndex((w) => w.priority > priority);
      this.line.splice(at === -1 ? this.line.length : at, 0, entry);
    });
  }

  /** Wakes the first in line with `value`. */
  wakeFirst(value: T): void {
    this.line.shift()?.wake(value);
  }
}
