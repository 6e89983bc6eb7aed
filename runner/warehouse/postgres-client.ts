import type { Client, Pool, PoolClient } from 'pg';
import { WarehouseError, errorMessage } from '../errors.ts';
import { redactUrl } from '../redact.ts';
import { Stopped, deadline, stoppable } from './deadline.ts';
import { firstLine } from './statement.ts';

/** How the Postgres adapter connects. */
export interface PostgresConnectOptions {
  url: string;
  /** Seconds one call (a statement, a fetch of rows, connecting) may take; default 300. */
  timeout_seconds?: number;
  /** Connections one run reads with at once (warehouse.read_connections); default 1. */
  read_connections?: number;
}

/**
 * The pool of connections to Postgres and the bounds around every call on them. A call that passes
 * timeout_seconds is cancelled on the server and its connection closed (it may be stuck on a network
 * that stopped answering). After that, the calls still to come (the last watermark save, the run's
 * record, the unlock) share one more timeout_seconds between them: a warehouse that stopped answering
 * fails a run within about twice timeout_seconds, not once per call left.
 */
export class PostgresSessions {
  private readonly cancels = new Set<Promise<unknown>>();
  private readonly dropped = new WeakSet<object>();
  /** When the calls after a first timeout must have ended (ms since the epoch). */
  private givingUpAt?: number;

  private constructor(private readonly pool: Pool, private readonly newClient: () => Client, private readonly url: string, private readonly timeoutMs: number) {
    pool.on('error', () => {}); // an idle connection dropped by the server; the next call connects again
    // A checked-out connection that drops (pg_terminate_backend, idle_session_timeout, a restart)
    // emits 'error' too, and an 'error' without a listener ends the process. Its call fails with the
    // same error, which is what the caller sees.
    pool.on('connect', (client) => client.on('error', () => this.dropped.add(client)));
  }

  /** Connects once, so that a wrong URL or an unreachable server is reported before anything else. */
  static async open(options: PostgresConnectOptions): Promise<PostgresSessions> {
    const pg = (await import('pg')).default;
    const timeoutMs = (options.timeout_seconds ?? 300) * 1000;
    // keepAlive: a connection whose peer vanished is noticed by TCP instead of waited on for ever.
    const settings = { connectionString: options.url, application_name: 'capi-sync', connectionTimeoutMillis: timeoutMs, keepAlive: true };
    // The reads, the lock's session, and two for the state writes (ledger checkpoints, the run's record).
    const max = (options.read_connections ?? 1) + 3;
    const sessions = new PostgresSessions(new pg.Pool({ ...settings, max }), () => new pg.Client(settings), options.url, timeoutMs);
    try {
      (await sessions.checkout()).release();
    } catch (error) {
      await sessions.pool.end();
      throw error;
    }
    return sessions;
  }

  /** A pooled connection, within the time left (connecting, or waiting for one of the pool's four). */
  async checkout(): Promise<PoolClient> {
    const connecting = this.pool.connect();
    try {
      return await deadline('Postgres', connecting, this.timeLeft(), 'connecting');
    } catch (error) {
      // Given up on: a connection that still comes is closed, not kept out of the pool for good.
      connecting.then((client) => client.release(true), () => {});
      throw new WarehouseError(`cannot connect to Postgres (${redactUrl(this.url)}) within ${this.timeoutMs / 1000} s: ${errorMessage(error)}; check warehouse.url and that the server is reachable from here`, { cause: error, unreachable: true });
    }
  }

  /** The server or the network dropped this connection (pg_terminate_backend, idle_session_timeout, ...). */
  lost(client: PoolClient): boolean {
    return this.dropped.has(client);
  }

  /** Puts a connection back; a broken one (lost, timed out, cancelled mid-protocol) is closed instead. */
  release(client: PoolClient, broken: boolean): void {
    client.release(broken || this.dropped.has(client) || undefined);
  }

  /**
   * A driver call on `client`, bounded by the time left and ended by `signal`: either cancels the
   * statement on the server (pg_cancel_backend, from a connection of its own) and closes this
   * connection. Driver errors become WarehouseErrors naming the statement.
   */
  async call<T>(client: PoolClient, sql: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const cancel = () => this.cancel(client);
    const timedOut = () => {
      this.givingUpAt ??= Date.now() + this.timeoutMs;
      cancel();
    };
    try {
      return await deadline('Postgres', stoppable(work(), signal, cancel), this.timeLeft(), `running ${firstLine(sql)}`, timedOut);
    } catch (error) {
      if (error instanceof WarehouseError || error instanceof Stopped) throw error;
      const lost = this.dropped.has(client) || connectionError(error);
      const message = lost ? `the connection to Postgres was lost (${errorMessage(error)}); check that the server is up and reachable from here` : errorMessage(error);
      throw new WarehouseError(`${message}\n  in: ${firstLine(sql)}`, { cause: error, unreachable: lost });
    }
  }

  /** Waits for the cancels still on their way (they must reach the server before this process ends). */
  async close(): Promise<void> {
    await Promise.all(this.cancels);
    await this.pool.end();
  }

  /** Ms a call may take now: timeout_seconds, or what is left of the time given after a first timeout. */
  private timeLeft(): number {
    return this.givingUpAt === undefined ? this.timeoutMs : Math.max(1, Math.min(this.timeoutMs, this.givingUpAt - Date.now()));
  }

  /** Cancels what `client` runs, from another connection, then closes `client`'s own. */
  private cancel(client: PoolClient): void {
    const pid = (client as unknown as { processID?: number }).processID;
    const canceller = this.newClient();
    canceller.on('error', () => {});
    const cancelled: Promise<unknown> = pid === undefined ? Promise.resolve() : canceller.connect().then(() => canceller.query('select pg_cancel_backend($1)', [pid]));
    const done = deadline('Postgres', cancelled, this.timeLeft(), 'cancelling a statement').catch(() => {}).finally(() => {
      void canceller.end().catch(() => {});
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      this.cancels.delete(done);
    });
    this.cancels.add(done);
  }
}

/** SQLSTATE classes 08 (connection exception) and 57P (the server ended the session), or pg's own. */
function connectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return /^(08|57P0[1-3])/.test(code);
  return /connection/i.test(errorMessage(error));
}
