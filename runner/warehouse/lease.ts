import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WarehouseError, errorMessage } from '../errors.ts';
import type { Lock, Warehouse } from './types.ts';

/**
 * The single-runner lease for warehouses without advisory locks or SELECT ... FOR UPDATE (Snowflake,
 * BigQuery): a conditional UPDATE of the activation's row in capi_sync_state, taken iff exactly one row
 * changed. It lasts `seconds` and is renewed every third of that while held, so a crashed runner blocks
 * the next one for at most `seconds`; release clears it. `until(seconds)` is the dialect's SQL for
 * "now plus that many seconds".
 */
export async function takeLease(wh: Warehouse, activation: string, seconds: number, expiry: (seconds: number) => string): Promise<Lock | null> {
  const q = (name: string) => wh.dialect.quoteIdentifier(name);
  const table = `${q(wh.schema)}.${q('capi_sync_state')}`;
  const until = expiry(Math.trunc(seconds));
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  let changed: number;
  try {
    changed = await wh.exec(
      `update ${table} set lease_owner = ?, lease_expires_at = ${until} where activation = ? and (lease_owner is null or lease_expires_at < current_timestamp())`,
      [owner, activation],
    );
    if (changed === 0) {
      // The activation's first run: its row does not exist yet, so it is created with the lease held.
      changed = await wh.exec(
        `merge into ${table} as s using (select ? as activation) as w on s.activation = w.activation when not matched then insert (activation, lease_owner, lease_expires_at) values (w.activation, ?, ${until})`,
        [activation, owner],
      );
    }
  } catch (error) {
    throw new WarehouseError(`cannot take the lease of ${activation} in ${wh.schema}.capi_sync_state: ${errorMessage(error)} (if capi-sync's tables do not exist yet, run capi-sync deploy once)`, { cause: error });
  }
  if (changed !== 1) return null;

  let renewal: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    // A failed renewal is retried at the next tick; the lease still has two thirds of its time.
    renewal = wh.exec(`update ${table} set lease_expires_at = ${until} where activation = ? and lease_owner = ?`, [activation, owner]).catch(() => {});
  }, (seconds * 1000) / 3);
  timer.unref();

  return {
    release: async () => {
      clearInterval(timer);
      await renewal;
      // If this fails the lease simply expires after `seconds`; the run's own result stands.
      await wh.exec(`update ${table} set lease_owner = null, lease_expires_at = null where activation = ? and lease_owner = ?`, [activation, owner]).catch(() => {});
    },
  };
}
