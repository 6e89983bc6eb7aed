import { WarehouseError } from '../errors.ts';

/**
 * Rejects when `work` takes longer than `ms`. The cloud drivers retry on their own for minutes (the
 * Snowflake driver up to 1,000 times), so every call gets an overall bound of ours; `onTimeout` can
 * cancel what is still running.
 */
export async function deadline<T>(who: string, work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new WarehouseError(`${who} did not answer within ${ms / 1000} s while ${what}; raise warehouse.timeout_seconds if the warehouse is busy`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
