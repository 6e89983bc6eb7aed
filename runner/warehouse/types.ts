/** One row as the driver returns it, keyed by column name. */
export type Row = Record<string, unknown>;

export type DialectName = 'postgres' | 'pglite' | 'snowflake' | 'bigquery';

/**
 * What rendering needs to know about a warehouse, without connecting to it: its name, the dialect
 * whose macros it falls back to, and how it quotes identifiers.
 */
export interface Dialect {
  name: DialectName;
  /** Macro lookup goes dialect → parent → default. */
  parent?: DialectName;
  /** Quotes one identifier so that no character in it can end the name (quotes are doubled). */
  quoteIdentifier(name: string): string;
}

export interface StreamOptions {
  /** Rows per fetch from the warehouse; each yielded array holds at most this many. */
  fetchSize: number;
  signal?: AbortSignal;
  /** Run in a read-only transaction where the warehouse has one (`capi-sync query`). Default false. */
  readOnly?: boolean;
}

/** What the runner needs to know of a column's type: how to go back in time from one of its values. */
export type ValueKind = 'timestamp' | 'date' | 'number' | 'text' | 'other';

/** A column of a select, as the warehouse describes it without reading rows. */
export interface Column {
  name: string;
  /** The warehouse's own name for the type (timestamptz, TIMESTAMP_NTZ, INT64, ...). */
  type: string;
  kind: ValueKind;
}

/** A statement and its `?` parameters. */
export interface Statement {
  sql: string;
  params?: unknown[];
}

/** Held by one runner per activation; `release` ends it. */
export interface Lock {
  release(): Promise<void>;
  /**
   * Aborted, with the reason as a WarehouseError, when the lock was lost while held (its connection
   * dropped): another runner could take it, so the run must stop. Absent where a lock cannot be lost.
   */
  lost?: AbortSignal;
}

/**
 * The rows of `read` for as long as `lock` is held; once it is lost, the read ends with the loss as its
 * error. Give the read `readSignal(lock, stop)` too, so that a fetch in progress is cancelled at once.
 */
export async function* whileHeld<T>(read: AsyncIterable<T>, lock: Lock): AsyncIterable<T> {
  for await (const rows of read) {
    lock.lost?.throwIfAborted();
    yield rows;
  }
  lock.lost?.throwIfAborted();
}

/** What ends a read early: a stop request, or the loss of the lock. */
export function readSignal(lock: Lock, stop: AbortSignal): AbortSignal {
  return lock.lost ? AbortSignal.any([stop, lock.lost]) : stop;
}

/**
 * The only code that knows which database it talks to. Statements use `?` for parameters; each
 * adapter turns them into its driver's form.
 */
export interface Warehouse {
  readonly dialect: Dialect;
  /** Schema holding capi-sync's views and tables. */
  readonly schema: string;
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs one statement and returns the number of rows it changed (DML) or 0. */
  exec(sql: string, params?: unknown[]): Promise<number>;
  /**
   * Runs statements in order, all or nothing where the warehouse allows it (one transaction on Postgres
   * and PGlite; one after the other, each committed, on Snowflake and BigQuery).
   */
  execScript(statements: (string | Statement)[]): Promise<void>;
  /** The columns a select would return, without reading its rows. */
  columns(selectSql: string): Promise<Column[]>;
  /** Streams a query natively (a server-side cursor or the driver's pages), never by OFFSET. */
  stream(sql: string, params: unknown[], options: StreamOptions): AsyncIterable<Row[]>;
  /** Takes the single-runner lock for `key`, or answers null when another runner holds it. */
  tryLock(key: string): Promise<Lock | null>;
  close(): Promise<void>;
}

/** Postgres-style `"name"` quoting, shared by the dialects that use it. */
export function doubleQuote(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Turns `?` placeholders into `$1, $2, …` outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | null = null;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}
