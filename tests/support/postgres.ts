import pg from 'pg';

/** The local server the suite uses when it is reachable (CI starts it; see .ci/run). */
export const POSTGRES_URL = process.env.CAPI_SYNC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const postgresReachable = await reachable();
if (!postgresReachable) {
  console.warn(`SKIPPED: PostgreSQL is not reachable at ${POSTGRES_URL}; the Postgres tests are skipped (set CAPI_SYNC_TEST_POSTGRES_URL or start the server)`);
}

/** Runs SQL on the test server (fixtures, assertions). */
export async function pgQuery<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A schema name no other test uses; dropped by `dropSchema`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchemas(...names: string[]): Promise<void> {
  for (const name of names) await pgQuery(`drop schema if exists "${name}" cascade`);
}
