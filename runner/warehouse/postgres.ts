import type { PoolClient, QueryResult } from 'pg';
import { WarehouseError } from '../errors.ts';
import { Stopped } from './deadline.ts';
import { PostgresSessions, type PostgresConnectOptions } from './postgres-client.ts';
import { doubleQuote, numberPlaceholders, type Column, type Dialect, type Lock, type Row, type Statement, type StreamOptions, type ValueKind, type Warehouse } from './types.ts';

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

  async execScript(statements: (string | Statement)[]): Promise<void> {
    try {
      await this.script(statements);
    } catch (error) {
      // Two runners deploying at once (the first parallel runs of two activations) both create the
      // schema and tables; the second's create then fails on a duplicate key (in pg_namespace, pg_type)
      // once the first commits. Run again, it finds them.
      if (!duplicateObject(error)) throw error;
      await this.script(statements);
    }
  }

  /** One transaction: readers never see the views half replaced, and a failure changes nothing. */
  private async script(statements: (string | Statement)[]): Promise<void> {
    const client = await this.db.checkout();
    let broken = false;
    try {
      // The commit does not wait for the WAL to reach disk: the checkpoints of a long run are many small
      // transactions, each waiting a flush otherwise. A server crash can lose the last fraction of a second
      // of them: ledger rows whose events the next run sends again (Snap drops them by event_id), or a
      // deploy that is simply run again. https://www.postgresql.org/docs/current/wal-async-commit.html
      await this.db.call(client, 'begin', () => client.query('begin; set local synchronous_commit = off'));
      for (const s of statements) {
        const { sql, params = [] } = typeof s === 'string' ? { sql: s } : s;
        await this.db.call(client, sql, () => client.query(numberPlaceholders(sql), params));
      }
      await this.db.call(client, 'commit', () => client.query('commit'));
    } catch (error) {
      broken = unreachable(error);
      if (!broken) await this.db.call(client, 'rollback', () => client.query('rollback')).catch(() => (broken = true));
      throw error;
    } finally {
      this.db.release(client, broken);
    }
  }

  async columns(selectSql: string): Promise<Column[]> {
    return (await this.once(`select * from (${selectSql}) as q limit 0`, [], selectSql)).fields.map((f) => postgresColumn(f.name, f.dataTypeID));
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal, readOnly }: StreamOptions): AsyncIterable<Row[]> {
    const Cursor = (await import('pg-cursor')).default;
    const client = await this.db.checkout();
    let broken = false;
    if (readOnly) await this.db.call(client, 'begin transaction read only', () => client.query('begin transaction read only')).catch((error: unknown) => {
      this.db.release(client, true);
      throw error;
    });
    // The views are large expressions whose cost is calls to sha256, regex and text functions, which
    // JIT does not speed up: compiling them cost 0.1 s per read, ~1 s once a backlog is large enough for
    // the planner to optimise the code, and gained nothing per row.
    // Memoize: the planner may cache a lateral stage or the ledger probe by a key that never repeats (one
    // event per row), a cache with no hits that only costs. Servers before 14 have no such setting.
    await client.query(`select set_config(name, 'off', false) from pg_settings where name in ('jit', 'enable_memoize')`).catch(() => {});
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
      // So is a connection that dropped while this read waited for its consumer: closing its cursor would
      // wait for an answer that never comes (another read of the run met the drop first). And so is one
      // whose read was stopped (SIGINT/SIGTERM): a stopping runner does not wait on the server to close a
      // cursor it may have cancelled a moment ago; closing the connection ends it as well.
      if (this.db.lost(client) || signal?.aborted) broken = true;
      if (!broken) {
        await next?.catch(() => (broken = true));
        await this.db.call(client, 'close cursor', () => cursor.close()).catch(() => (broken = true));
        if (readOnly && !broken) await this.db.call(client, 'rollback', () => client.query('rollback')).catch(() => (broken = true));
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

/** unique_violation, duplicate_schema, duplicate_table, duplicate_object: https://www.postgresql.org/docs/current/errcodes-appendix.html */
function duplicateObject(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' && ['23505', '42P06', '42P07', '42710'].includes(code);
}

// Type OIDs of the built-in types a cursor can have: https://www.postgresql.org/docs/current/catalog-pg-type.html
const TYPES: Record<number, [string, ValueKind]> = {
  1184: ['timestamptz', 'timestamp'], 1114: ['timestamp', 'timestamp'], 1082: ['date', 'date'],
  20: ['bigint', 'number'], 21: ['smallint', 'number'], 23: ['integer', 'number'], 700: ['real', 'number'],
  701: ['double precision', 'number'], 1700: ['numeric', 'number'],
  25: ['text', 'text'], 1043: ['varchar', 'text'], 1042: ['char', 'text'],
};

/** A column of Postgres or PGlite, from the type OID the wire protocol gives with every result. */
export function postgresColumn(name: string, oid: number): Column {
  const [type, kind] = TYPES[oid] ?? [`oid ${oid}`, 'other'];
  return { name, type, kind };
}
