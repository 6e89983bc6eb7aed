import { Stopped, deadline, stoppable } from './deadline.ts';
import type { Readable } from 'node:stream';
import { connect, execute, statementError, type SnowflakeConfig, type SnowflakeConnection } from './snowflake-driver.ts';
import { takeLease } from './lease.ts';
import { doubleQuote, type Column, type Dialect, type Lock, type Row, type Statement, type StreamOptions, type ValueKind, type Warehouse } from './types.ts';

/** SQL for "now plus s seconds", the expiry of the single-runner lease (see lease.ts). */
export const snowflakeLeaseUntil = (s: number) => `dateadd(second, ${s}, current_timestamp())`;

export type { SnowflakeConfig } from './snowflake-driver.ts';

const LOWER_NAME = /^[a-z_][a-z0-9_$]*$/;
const UPPER_NAME = /^[A-Z_][A-Z0-9_$]*$/;

/**
 * Snowflake stores unquoted names upper-case. A lower-case name (the schema capi_sync, the view columns
 * event_id/cursor/payload, a column the user wrote in lower case) is quoted upper-case, so it is the same
 * object as the unquoted name: auditors write `select event_id, payload from capi_sync.x_outbound`.
 * Any other name (mixed case, spaces) is quoted as written.
 * https://docs.snowflake.com/en/sql-reference/identifiers-syntax
 */
export function quoteSnowflake(name: string): string {
  return doubleQuote(LOWER_NAME.test(name) ? name.toUpperCase() : name);
}

/** The inverse, for names coming back: EVENT_ID is read as event_id, "Email" stays Email. */
export function unfoldSnowflake(name: string): string {
  return UPPER_NAME.test(name) ? name.toLowerCase() : name;
}

export const snowflakeDialect: Dialect = { name: 'snowflake', quoteIdentifier: quoteSnowflake };

/** Connects with the driver (imported here, on first use); every call is bounded by timeout_seconds. */
export async function openSnowflake(config: SnowflakeConfig, dir: string): Promise<Warehouse> {
  const timeoutMs = config.timeout_seconds * 1000;
  const connection = await connect(config, dir, timeoutMs);
  return new SnowflakeWarehouse(connection, config, timeoutMs);
}

class SnowflakeWarehouse implements Warehouse {
  readonly dialect = snowflakeDialect;
  readonly schema: string;
  constructor(private readonly connection: SnowflakeConnection, private readonly config: SnowflakeConfig, private readonly timeoutMs: number) {
    this.schema = config.schema;
  }

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    const { rows } = await execute(this.connection, sql, params, false, this.timeoutMs);
    return rows.map(unfoldKeys);
  }

  async exec(sql: string, params: unknown[] = []): Promise<number> {
    const { statement } = await execute(this.connection, sql, params, false, this.timeoutMs);
    // -1 for statements that are not DML (DDL, select).
    return Math.max(0, statement.getNumUpdatedRows() ?? 0);
  }

  async execScript(statements: (string | Statement)[]): Promise<void> {
    // Snowflake commits each DDL statement on its own, so a script cannot be all or nothing: the
    // statements are idempotent (if not exists, drop then create) and a re-run completes a broken one.
    // State writes come in the order that keeps a partial script safe (the ledger before the watermark).
    for (const s of statements) await (typeof s === 'string' ? this.exec(s) : this.exec(s.sql, s.params));
  }

  async columns(selectSql: string): Promise<Column[]> {
    const { statement } = await execute(this.connection, `select * from (${selectSql}) as q limit 0`, [], false, this.timeoutMs);
    return (statement.getColumns() ?? []).map((c) => {
      const type = c.getType?.() ?? 'unknown';
      return { name: unfoldSnowflake(c.getName()), type, kind: snowflakeKind(type) };
    });
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal }: StreamOptions): AsyncIterable<Row[]> {
    // streamResult: rows are parsed as they are read and result chunks are downloaded as the stream
    // is consumed, so memory stays flat however large the result.
    // A stop (SIGINT/SIGTERM) cancels the statement: a slow first read ends at once.
    const started = await execute(this.connection, sql, params, true, this.timeoutMs, signal).catch((error: unknown) => {
      if (error instanceof Stopped) return undefined;
      throw error;
    });
    if (!started) return;
    const { statement } = started;
    const rows: Readable = statement.streamRows();
    const iterator = rows[Symbol.asyncIterator]();
    let batch: Row[] = [];
    try {
      while (!signal?.aborted) {
        const next = await deadline('Snowflake', stoppable(iterator.next(), signal, () => statement.cancel(() => {})), this.timeoutMs, 'reading result rows').catch((error: unknown) => {
          if (error instanceof Stopped) return { done: true as const, value: undefined };
          throw statementError(error, sql);
        });
        if (next.done) break;
        batch.push(unfoldKeys(next.value as Row));
        if (batch.length >= fetchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0 && !signal?.aborted) yield batch;
    } finally {
      rows.destroy();
    }
  }

  tryLock(key: string): Promise<Lock | null> {
    return takeLease(this, key, this.config.lease_seconds, snowflakeLeaseUntil);
  }

  async close(): Promise<void> {
    const destroyed = new Promise<void>((resolve, reject) => this.connection.destroy((error) => (error ? reject(error) : resolve())));
    // The session expires on its own: a failed logout must not fail a run that succeeded.
    await deadline('Snowflake', destroyed, Math.min(this.timeoutMs, 30_000), 'closing the session').catch(() => {});
  }
}

/** https://docs.snowflake.com/en/sql-reference/intro-summary-data-types */
function snowflakeKind(type: string): ValueKind {
  const t = type.toLowerCase();
  if (t.startsWith('timestamp')) return 'timestamp';
  if (t === 'date') return 'date';
  if (['number', 'fixed', 'real', 'float', 'decimal', 'integer'].includes(t)) return 'number';
  if (['text', 'varchar', 'string', 'char'].includes(t)) return 'text';
  return 'other';
}

function unfoldKeys(row: Row): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) out[unfoldSnowflake(key)] = value;
  return out;
}
