import type { Pool, PoolClient } from 'pg';
import { WarehouseError, errorMessage } from '../errors.ts';
import { runStatement } from './statement.ts';
import { doubleQuote, numberPlaceholders, type Column, type Dialect, type Lock, type Row, type Statement, type StreamOptions, type ValueKind, type Warehouse } from './types.ts';

export const postgresDialect: Dialect = { name: 'postgres', quoteIdentifier: doubleQuote };

export async function openPostgres(config: { url: string; schema: string }): Promise<Warehouse> {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({ connectionString: config.url, max: 4, application_name: 'capi-sync' });
  pool.on('error', () => {}); // an idle client dropped by the server; the next query reconnects
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end();
    throw new WarehouseError(`cannot connect to Postgres (${redactUrl(config.url)}): ${errorMessage(error)}; check warehouse.url`, { cause: error });
  }
  return new PostgresWarehouse(pool, config.schema);
}

class PostgresWarehouse implements Warehouse {
  readonly dialect = postgresDialect;
  constructor(private readonly pool: Pool, readonly schema: string) {}

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await runStatement(() => this.pool.query(numberPlaceholders(sql), params), sql)).rows;
  }

  async exec(sql: string, params: unknown[] = []): Promise<number> {
    return (await runStatement(() => this.pool.query(numberPlaceholders(sql), params), sql)).rowCount ?? 0;
  }

  async execScript(statements: (string | Statement)[]): Promise<void> {
    // One transaction: readers never see the views half replaced, and a failure changes nothing.
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      for (const s of statements) {
        const { sql, params = [] } = typeof s === 'string' ? { sql: s } : s;
        await runStatement(() => client.query(numberPlaceholders(sql), params), sql);
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async columns(selectSql: string): Promise<Column[]> {
    const result = await runStatement(() => this.pool.query(`select * from (${selectSql}) as q limit 0`), selectSql);
    return result.fields.map((f) => postgresColumn(f.name, f.dataTypeID));
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal, readOnly }: StreamOptions): AsyncIterable<Row[]> {
    const Cursor = (await import('pg-cursor')).default;
    const client = await this.pool.connect();
    if (readOnly) await client.query('begin transaction read only');
    // The views are large expressions whose cost is calls to sha256, regex and text functions, which
    // JIT does not speed up: compiling them cost 0.1 s per read, ~1 s once a backlog is large enough for
    // the planner to optimise the code, and gained nothing per row. A server without JIT refuses the
    // setting; that changes nothing.
    await client.query('set jit = off').catch(() => {});
    const cursor = client.query(new Cursor(numberPlaceholders(sql), params));
    const read = (): Promise<Row[]> => runStatement(() => cursor.read(fetchSize), sql);
    // One chunk ahead: the server computes the next rows while the caller handles these, as a COPY
    // would, instead of idling for a round trip per chunk.
    let next: Promise<Row[]> | undefined = read();
    try {
      while (next) {
        const rows: Row[] = await next;
        next = rows.length === fetchSize && !signal?.aborted ? read() : undefined;
        if (rows.length > 0) yield rows;
      }
    } finally {
      await next?.catch(() => {});
      await cursor.close().catch(() => {});
      if (readOnly) await client.query('rollback').catch(() => {});
      client.release();
    }
  }

  async tryLock(key: string): Promise<Lock | null> {
    // A session-level advisory lock: it lives as long as this connection, so a killed runner's lock
    // is gone the moment its connection drops.
    const client: PoolClient = await this.pool.connect();
    const sql = 'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked';
    const { rows } = await runStatement(() => client.query(sql, [`capi_sync:${this.schema}:${key}`]), sql);
    if (!rows[0].locked) {
      client.release();
      return null;
    }
    return {
      release: async () => {
        await client.query('select pg_advisory_unlock_all()').catch(() => {});
        client.release();
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
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

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
