import { WarehouseError } from '../errors.ts';

/**
 * Rejects when `work` takes longer than `ms`. The cloud drivers retry on their own for minutes (the
 * Snowflake driver up to 1,000 times) and a connection to a network that stopped answering waits for
 * ever, so every call gets an overall bound of ours; `onTimeout` can cancel what is still running.
 */
export async function deadline<T>(who: string, work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new WarehouseError(`${who} did not answer within ${ms / 1000} s while ${what}, so the call was cancelled; check that the warehouse is reachable from here, or raise warehouse.timeout_seconds if it is busy`, { unreachable: true }));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a warehouse call ended early: the run was asked to stop (SIGINT/SIGTERM), not a failure. */
export class Stopped extends Error {
  constructor(reason: unknown) {
    super(`stopped by ${typeof reason === 'string' ? reason : 'a stop request'}`);
    this.name = 'Stopped';
  }
}

/**
 * Rejects with `Stopped` as soon as `signal` aborts, after calling `onStop` to cancel what the warehouse
 * is still running (a slow first read must not keep a stopping runner waiting); otherwise settles as
 * `work` does.
 */
export function stoppable<T>(work: Promise<T>, signal: AbortSignal | undefined, onStop: () => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      onStop();
      reject(new Stopped(signal.reason));
    };
    if (signal.aborted) {
      work.catch(() => {}); // settles later, unobserved
      return stop();
    }
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
