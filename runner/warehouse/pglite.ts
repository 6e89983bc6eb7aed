import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { WarehouseError, errorMessage } from '../errors.ts';
import { lockDirectory } from './process-lock.ts';
import { runStatement } from './statement.ts';
import { postgresColumn } from './postgres.ts';
import { doubleQuote, numberPlaceholders, type Column, type Dialect, type Lock, type Row, type Statement, type StreamOptions, type Warehouse } from './types.ts';

/** PGlite is Postgres compiled to WebAssembly: it uses the postgres macros unless a pglite file exists. */
export const pgliteDialect: Dialect = { name: 'pglite', parent: 'postgres', quoteIdentifier: doubleQuote };

export interface PgliteOptions {
  /** Absolute data directory; created on first use. */
  path: string;
  schema: string;
  /** Folder of .sql files run once, when the data directory is created. */
  seeds?: string;
}

export async function openPglite(options: PgliteOptions): Promise<Warehouse> {
  const fresh = !(await exists(join(options.path, 'PG_VERSION')));
  await mkdir(options.path, { recursive: true });
  // PGlite allows one process per data directory; a second one would corrupt it.
  const unlock = await lockDirectory(options.path);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // Postgres's default 128 MB of shared buffers is touched at start-up, so it was most of the runner's
    // memory; one user and one connection need far less (16 MB read 100k events as fast, in 130 MB less).
    const db = await PGlite.create({ dataDir: options.path, startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
    if (fresh && options.seeds) await loadSeeds(db, options.seeds);
    return new PgliteWarehouse(db, options.schema, unlock);
  } catch (error) {
    await unlock();
    if (error instanceof WarehouseError) throw error;
    throw new WarehouseError(`cannot open the embedded warehouse at ${options.path}: ${errorMessage(error)}`, { cause: error });
  }
}

async function loadSeeds(db: PGlite, folder: string): Promise<void> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    const sql = await readFile(join(folder, file), 'utf8');
    await runStatement(() => db.exec(sql), `seed ${file}`);
  }
}

class PgliteWarehouse implements Warehouse {
  readonly dialect = pgliteDialect;
  private cursors = 0;
  constructor(private readonly db: PGlite, readonly schema: string, private readonly unlock: () => Promise<void>) {}

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await runStatement(() => this.db.query<Row>(numberPlaceholders(sql), params), sql)).rows;
  }

  async exec(sql: string, params: unknown[] = []): Promise<number> {
    return (await runStatement(() => this.db.query(numberPlaceholders(sql), params), sql)).affectedRows ?? 0;
  }

  async execScript(statements: (string | Statement)[]): Promise<void> {
    // One transaction: a failure changes nothing. Its commit waits for the WAL to reach disk, unlike the
    // Postgres adapter's: the embedded warehouse runs in this process, so a crash of the runner is a
    // crash of the warehouse, and ledger rows committed but not flushed would be lost with it.
    await this.db.transaction(async (tx) => {
      for (const s of statements) {
        if (typeof s === 'string') await runStatement(() => tx.exec(s), s);
        else await runStatement(() => tx.query(numberPlaceholders(s.sql), s.params ?? []), s.sql);
      }
    });
  }

  async columns(selectSql: string): Promise<Column[]> {
    const result = await runStatement(() => this.db.query(`select * from (${selectSql}) as q limit 0`), selectSql);
    return result.fields.map((f) => postgresColumn(f.name, f.dataTypeID));
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal, readOnly }: StreamOptions): AsyncIterable<Row[]> {
    // PGlite has one connection, shared with the watermark writes that commit between fetches, so the
    // cursor must outlive those transactions: WITH HOLD keeps it, spilling to disk past work_mem. A
    // read-only read writes nothing meanwhile: its cursor lives in a read-only transaction instead.
    const name = `capi_sync_read_${++this.cursors}`;
    if (readOnly) await this.db.exec('begin transaction read only');
    await this.exec(`declare ${name} no scroll cursor ${readOnly ? '' : 'with hold '}for ${sql}`, params).catch(async (error: unknown) => {
      if (readOnly) await this.db.exec('rollback').catch(() => {});
      throw error;
    });
    try {
      while (!signal?.aborted) {
        const rows = await this.query(`fetch forward ${fetchSize} from ${name}`);
        if (rows.length > 0) yield rows;
        if (rows.length < fetchSize) break;
      }
    } finally {
      await this.db.exec(readOnly ? 'rollback' : `close ${name}`).catch(() => {});
    }
  }

  async tryLock(): Promise<Lock> {
    // The data directory is already locked to this process for as long as it is open.
    return { release: async () => {} };
  }

  async close(): Promise<void> {
    await this.db.close();
    await this.unlock();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
