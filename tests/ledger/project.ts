import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { startCli, type CliProcess } from '../delivery/pg-project.ts';
import { runCli, tempProject, type CliResult } from '../support/cli.ts';
import { dropSchemas, pgQuery, POSTGRES_URL, uniqueName } from '../support/postgres.ts';

export type Kind = 'postgres' | 'pglite';

/**
 * A capi-sync project whose source table the test writes row by row (`shop.orders`: id, paid_at,
 * loaded_at, email, total, cur; cursor loaded_at), run through the real CLI against a sandbox over a
 * real socket, on Postgres or on the embedded warehouse.
 */
export interface LedgerProject {
  kind: Kind;
  dir: string;
  /** Schema of capi-sync's views and tables. */
  schema: string;
  /** The source table, qualified. */
  orders: string;
  sandbox: Sandbox;
  /** Runs SQL on the warehouse (on PGlite, between CLI runs: it allows one process at a time). */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  start(args: string[], env?: NodeJS.ProcessEnv): CliProcess;
  /** Inserts orders: `at` and `loaded` are SQL expressions of the row number g. */
  insert(ids: string[], options?: { paid?: string; loaded?: string; email?: string | null }): Promise<void>;
  /** event_ids the sandbox accepted, in order, with repeats. */
  received(): string[];
  close(): Promise<void>;
}

export async function ledgerProject(kind: Kind, options: { activation?: string; snapchat?: string; sandbox?: SandboxOptions } = {}): Promise<LedgerProject> {
  const schema = kind === 'postgres' ? uniqueName('capi_ledger') : 'capi_sync';
  const shop = kind === 'postgres' ? `${schema}_shop` : 'shop';
  const sandbox = await startSandbox({ token: 'tok', ...options.sandbox });
  const warehouse = kind === 'postgres' ? `{ type: postgres, url: "\${DATABASE_URL}", schema: ${schema} }` : `{ type: pglite, path: wh, schema: ${schema} }`;
  const dir = await tempProject({
    'activations.yml': `warehouse: ${warehouse}
snapchat:
  access_token: \${SNAP_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
  request_timeout_seconds: 5
${options.snapchat?.includes('retry:') ? '' : '  retry: { max_retries: 3, min_timeout: 5, max_timeout: 50 }\n'}${(options.snapchat ?? '').split('\n').filter(Boolean).map((line) => `  ${line}`).join('\n')}
activations:
  orders:
    pixel_id: px-ledger
    event_name: PURCHASE
    source: ${shop}.orders
    mapping: { event_time: paid_at, event_id: id, email: email, value: total, currency: cur }
    cursor: loaded_at
${(options.activation ?? '').split('\n').filter(Boolean).map((line) => `    ${line}`).join('\n')}
`,
  });
  const sql = async <T,>(text: string, params: unknown[] = []): Promise<T[]> => {
    if (kind === 'postgres') return pgQuery(text, params) as Promise<T[]>;
    const db = await PGlite.create({ dataDir: join(dir, 'wh') });
    try {
      return (await db.query<T>(text, params)).rows;
    } finally {
      await db.close();
    }
  };
  await sql(`create schema if not exists ${shop}`);
  await sql(`create table ${shop}.orders (id text, paid_at timestamptz, loaded_at timestamptz, email text, total numeric, cur text)`);
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ DATABASE_URL: POSTGRES_URL, SNAP_ENDPOINT: sandbox.url, SNAP_TOKEN: 'tok', ...extra });
  return {
    kind, dir, schema, sandbox, orders: `${shop}.orders`, sql,
    cli: (args, extra) => runCli(args, { cwd: dir, env: env(extra) }),
    start: (args, extra) => startCli(args, dir, env(extra)),
    insert: (ids, o = {}) => sql(
      `insert into ${shop}.orders select id, ${o.paid ?? "now() - interval '1 hour'"}, ${o.loaded ?? 'clock_timestamp()'}, $2, 12.5, 'EUR'
       from unnest($1::text[]) with ordinality as t(id, g)`,
      [ids, o.email === undefined ? 'buyer@example.com' : o.email],
    ).then(() => {}),
    received: () => sandbox.events().map((e) => (e as { event_id: string }).event_id),
    close: async () => {
      await sandbox.close();
      if (kind === 'postgres') await dropSchemas(schema, shop, `${schema}_demo`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `n` ids with a prefix: p-001, p-002, ... */
export function ids(prefix: string, n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(from + i).padStart(3, '0')}`);
}
