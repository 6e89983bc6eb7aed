import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { cursorIndex, ordersDdl, ordersInsert, TARGET_SCHEMA } from './data.ts';

export interface BenchWarehouse {
  kind: 'postgres' | 'pglite';
  /** The `warehouse:` block of activations.yml (indented). */
  yaml: string;
  sourceSchema: string;
  /** Postgres's connection URL, for psql. */
  url?: string;
  cleanup(): Promise<void>;
}

const POSTGRES_URL = process.env.CAPI_SYNC_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHUNK = 200_000;

/** Creates the source table with n orders (and the cursor index, unless told not to) in a fresh Postgres schema or PGlite directory. */
export async function prepareWarehouse(kind: BenchWarehouse['kind'], dir: string, n: number, indexed = true): Promise<BenchWarehouse> {
  const sourceSchema = 'bench_shop';
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`drop schema if exists ${TARGET_SCHEMA} cascade`);
    await client.query(ordersDdl(sourceSchema));
    for (let from = 1; from <= n; from += CHUNK) await client.query(ordersInsert(sourceSchema, from, Math.min(n, from + CHUNK - 1)));
    if (indexed) await client.query(cursorIndex(sourceSchema));
    await client.query(`analyze ${sourceSchema}.orders`);
    await client.end();
    return {
      kind, sourceSchema, url: POSTGRES_URL,
      yaml: `  type: postgres\n  url: ${POSTGRES_URL}`,
      cleanup: async () => {
        const c = new pg.Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`drop schema if exists ${sourceSchema} cascade; drop schema if exists ${TARGET_SCHEMA} cascade`);
        await c.end();
      },
    };
  }
  const path = join(dir, 'warehouse');
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(path);
  await db.exec(ordersDdl(sourceSchema));
  for (let from = 1; from <= n; from += CHUNK) await db.exec(ordersInsert(sourceSchema, from, Math.min(n, from + CHUNK - 1)));
  if (indexed) await db.exec(cursorIndex(sourceSchema));
  await db.exec(`analyze ${sourceSchema}.orders`);
  await db.close();
  return { kind, sourceSchema, yaml: `  type: pglite\n  path: ${path}`, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
