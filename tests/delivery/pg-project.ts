import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { BIN, runCli, tempProject, type CliResult } from '../support/cli.ts';
import { dropSchemas, pgQuery, POSTGRES_URL, uniqueName } from '../support/postgres.ts';

export const ACTIVATION = 'orders';
export const PIXEL = 'px-delivery-test';

export interface ProjectOptions {
  /** Rows in the source table; all eligible. */
  events: number;
  /** Extra keys under snapchat: (YAML flow map text), e.g. `batch_size: 10`. */
  snapchat?: string;
  /** snapchat.retry as a YAML flow map; default fast retries for tests. */
  retry?: string;
  /** Name prefix of the schemas. */
  prefix?: string;
  /** Extra keys under the activation (YAML lines), e.g. `warnings: { rejected_rate_above: 0.01 }` or `schedule: 2s`. */
  activation?: string;
  /** Extra top-level YAML (e.g. a `defaults:` block). */
  top?: string;
  /** Extra keys under warehouse: (YAML lines), e.g. `timeout_seconds: 2`. */
  warehouse?: string;
  /** The warehouse URL the CLI uses (a proxy in front of the test server); default the test server. */
  databaseUrl?: string;
  /**
   * A model (orders.sql) instead of source/mapping; `{{source}}` stands for the source table and
   * `{{source_schema}}` for its schema.
   */
  model?: string;
}

/** A capi-sync project on the test Postgres: a source table of `events` orders and its own schemas. */
export interface PgProject {
  dir: string;
  schema: string;
  source: string;
  /** Runs the CLI to the end against `endpoint` (`env`: more variables). */
  cli(args: string[], endpoint: string, token?: string, env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Starts the CLI and returns at once, for signals and concurrent runs. */
  start(args: string[], endpoint: string, token?: string, env?: NodeJS.ProcessEnv): CliProcess;
  watermark(): Promise<{ cursor: string; event_id: string } | null>;
  runs(): Promise<Record<string, any>[]>;
  deliveryErrors(): Promise<Record<string, any>[]>;
  /** event_ids of the outbound view, in watermark order. */
  outboundIds(): Promise<string[]>;
  /** event_ids of the outbound view up to and including the saved watermark. */
  idsUpToWatermark(): Promise<string[]>;
  /** event_ids the ledger holds as accepted by Snap (the `_sent` view), sorted. */
  sentIds(): Promise<string[]>;
  drop(): Promise<void>;
}

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  output(): { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function pgProject(options: ProjectOptions): Promise<PgProject> {
  const schema = uniqueName(options.prefix ?? 'capi_dlv');
  const source = `${schema}_src`;
  // Ten orders per loaded_at value: the watermark's event_id breaks the ties.
  await pgQuery(`create schema "${source}"`);
  await pgQuery(`create table "${source}".orders as
    select 'o' || lpad(g::text, 7, '0') as id, now() - interval '2 hours' + g * interval '1 ms' as paid_at,
           now() - interval '1 hour' + (g / 10) * interval '1 ms' as loaded_at,
           'user' || g || '@example.com' as email, 10 + g % 90 as total, 'EUR' as cur
    from generate_series(1, ${Number(options.events)}) as g`);
  const dir = await tempProject({
    'activations.yml': `warehouse:
  type: postgres
  url: \${DATABASE_URL}
  schema: ${schema}
${(options.warehouse ?? '').split('\n').filter(Boolean).map((line) => `  ${line}`).join('\n')}
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
  request_timeout_seconds: 2
  retry: ${options.retry ?? '{ max_retries: 8, min_timeout: 5, max_timeout: 50 }'}
${(options.snapchat ?? '').split('\n').filter(Boolean).map((line) => `  ${line}`).join('\n')}
${options.top ?? ''}
activations:
  ${ACTIVATION}:
    pixel_id: ${PIXEL}
    event_name: PURCHASE
${options.model === undefined ? `    source: ${source}.orders
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, order_id: id }` : '    model: orders.sql'}
    cursor: loaded_at
${(options.activation ?? '').split('\n').filter(Boolean).map((line) => `    ${line}`).join('\n')}
`,
    ...(options.model === undefined ? {} : { 'orders.sql': options.model.replaceAll('{{source}}', `"${source}".orders`).replaceAll('{{source_schema}}', `"${source}"`) }),
  });
  const env = (endpoint: string, token = 'test-token', more: NodeJS.ProcessEnv = {}) => ({ DATABASE_URL: options.databaseUrl ?? POSTGRES_URL, SNAP_ENDPOINT: endpoint, SNAP_CAPI_TOKEN: token, ...more });
  const q = (sql: string, params: unknown[] = []) => pgQuery(sql, params);
  const outbound = `"${schema}"."${ACTIVATION}_outbound"`;
  return {
    dir,
    schema,
    source,
    cli: (args, endpoint, token, more) => runCli(args, { cwd: dir, env: env(endpoint, token, more) }),
    start: (args, endpoint, token, more) => startCli(args, dir, env(endpoint, token, more)),
    watermark: async () => {
      const rows = await q(`select cursor, event_id from "${schema}".capi_sync_state where activation = $1`, [ACTIVATION]);
      return rows[0] && rows[0].cursor !== null ? { cursor: String(rows[0].cursor), event_id: String(rows[0].event_id) } : null;
    },
    runs: () => q(`select * from "${schema}".capi_sync_runs order by started_at`),
    deliveryErrors: () => q(`select * from "${schema}".capi_sync_delivery_errors order by event_id`),
    outboundIds: async () => (await q(`select event_id from ${outbound} order by cursor, event_id`)).map((r) => String(r.event_id)),
    idsUpToWatermark: async () => {
      const rows = await q(`select o.event_id from ${outbound} o, "${schema}".capi_sync_state s
        where s.activation = $1 and (o.cursor < s.cursor::timestamptz or (o.cursor = s.cursor::timestamptz and o.event_id <= s.event_id))
        order by o.cursor, o.event_id`, [ACTIVATION]);
      return rows.map((r) => String(r.event_id));
    },
    sentIds: async () => (await q(`select event_id from "${schema}"."${ACTIVATION}_sent" order by event_id`)).map((r) => String(r.event_id)),
    drop: async () => {
      await dropSchemas(schema, source);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the real CLI; the caller may signal or kill it. */
export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** event_ids the sandbox accepted. */
export function eventIds(events: unknown[]): string[] {
  return events.map((e) => (e as { event_id: string }).event_id);
}
