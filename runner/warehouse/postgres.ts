import type { PoolClient, QueryResult } from 'pg';
import { WarehouseError } from '../errors.ts';
import { Stopped } from './deadline.ts';
import { PostgresSessions, type PostgresConnectOptions } from './postgres-client.ts';
import { doubleQuote, numberPlaceholders, type Dialect, type Lock, type Row, type StreamOptions, type Warehouse } from './types.ts';

export const postgresDialect: Dialect = { name: 'postgres', quoteIdentifier: doubleQuote };

/** The postgres warehouse keys the adapter uses. */
export interface PostgresOptions extends PostgresConnectOptions {
  schema: string;
}

export async function openPostgres(config: PostgresOptions): Promise<Warehouse> {
  return new PostgresWarehouse(await PostgresSessions.open(config), config.schema);
}

class PostgresWarehouse implements Warehouse {
  readonly dialect = postgresDialect;
  constructor(private readonly db: PostgresSessions, readonly schema: string) {}

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.once(sql, params)).rows;
  }

  async exec(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.once(sql, params)).rowCount ?? 0;
  }

  async execScript(statements: string[]): Promise<void> {
    // One transaction: readers never see the views half replaced, and a failure changes nothing.
    const client = await this.db.checkout();
    let broken = false;
    try {
      await this.db.call(client, 'begin', () => client.query('begin'));
      // Two runners deploying at once (the first parallel runs of two activations) would both create
      // the schema and tables, and one would fail on a duplicate key in pg_namespace: the second waits
      // here until the first commits, then finds them.
      const serialise = 'select pg_advisory_xact_lock(hashtextextended($1, 0))';
      await this.db.call(client, serialise, () => client.query(serialise, [`capi_sync_deploy:${this.schema}`]));
      for (const sql of statements) await this.db.call(client, sql, () => client.query(sql));
      await this.db.call(client, 'commit', () => client.query('commit'));
    } catch (error) {
      broken = unreachable(error);
      if (!broken) await this.db.call(client, 'rollback', () => client.query('rollback')).catch(() => (broken = true));
      throw error;
    } finally {
      this.db.release(client, broken);
    }
  }

  async columns(selectSql: string): Promise<string[]> {
    return (await this.once(`select * from (${selectSql}) as q limit 0`, [], selectSql)).fields.map((f) => f.name);
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal }: StreamOptions): AsyncIterable<Row[]> {
    const Cursor = (await import('pg-cursor')).default;
    const client = await this.db.checkout();
    let broken = false;
    // The views are large expressions whose cost is calls to sha256, regex and text functions, which
    // JIT does not speed up: compiling them cost 0.1 s per read, ~1 s once a backlog is large enough for
    // the planner to optimise the code, and gained nothing per row. A server without JIT refuses the
    // setting; that changes nothing.
    await client.query('set jit = off').catch(() => {});
    const cursor = client.query(new Cursor(numberPlaceholders(sql), params));
    // A stop (SIGINT/SIGTERM) cancels the fetch running on the server: a slow first read ends at once.
    const read = (): Promise<Row[]> => {
      const rows = this.db.call(client, sql, () => cursor.read(fetchSize), signal);
      rows.catch(() => {}); // read ahead: it may fail while the caller is busy; awaited below
      return rows;
    };
    // One chunk ahead: the server computes the next rows while the caller handles these, as a COPY
    // would, instead of idling for a round trip per chunk.
    let next: Promise<Row[]> | undefined = read();
    try {
      while (next) {
        const rows: Row[] = await next;
        next = rows.length === fetchSize && !signal?.aborted ? read() : undefined;
        if (rows.length > 0) yield rows;
      }
    } catch (error) {
      broken = true;
      if (!(error instanceof Stopped)) throw error;
    } finally {
      // A cancelled or failed fetch leaves the cursor mid-protocol: the connection is closed, not reused.
      if (!broken) {
        await next?.catch(() => (broken = true));
        await this.db.call(client, 'close cursor', () => cursor.close()).catch(() => (broken = true));
      }
      this.db.release(client, broken);
    }
  }

  async tryLock(key: string): Promise<Lock | null> {
    // A session-level advisory lock: it lives as long as this connection, so a killed runner's lock
    // is gone the moment its connection drops.
    const client = await this.db.checkout();
    const lost = new AbortController();
    const onError = (error: Error) => {
      lost.abort(new WarehouseError(`the warehouse connection holding the lock of ${key} was closed (${error.message}); the run stopped, since another runner could now take the lock. Run again: the next run resumes from the saved watermark`, { cause: error, unreachable: true }));
    };
    client.on('error', onError);
    const drop = () => {
      client.off('error', onError);
      this.db.release(client, true);
    };
    try {
      // The lock's session is idle for the whole run: a server's idle_session_timeout would close it and
      // end the lock. Postgres before 14 has no such setting.
      const idle = `select set_config('idle_session_timeout', '0', false) from pg_settings where name = 'idle_session_timeout'`;
      await this.db.call(client, idle, () => client.query(idle));
      const sql = 'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked';
      const { rows } = await this.db.call(client, sql, () => client.query(sql, [`capi_sync:${this.schema}:${key}`]));
      if (!rows[0].locked) {
        drop();
        return null;
      }
    } catch (error) {
      drop();
      throw error;
    }
    return {
      lost: lost.signal,
      release: async () => {
        // The connection is closed after: that frees the lock even when the unlock gets no answer.
        const unlock = 'select pg_advisory_unlock_all()';
        if (!lost.signal.aborted) await this.db.call(client, unlock, () => client.query(unlock)).catch(() => {});
        drop();
      },
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** One statement on a connection of its own from the pool. */
  private async once(sql: string, params: unknown[], shown = sql): Promise<QueryResult> {
    const client: PoolClient = await this.db.checkout();
    let broken = false;
    try {
      return await this.db.call(client, shown, () => client.query(numberPlaceholders(sql), params));
    } catch (error) {
      broken = unreachable(error);
      throw error;
    } finally {
      this.db.release(client, broken);
    }
  }
}

function unreachable(error: unknown): boolean {
  return error instanceof WarehouseError && error.unreachable;
}
