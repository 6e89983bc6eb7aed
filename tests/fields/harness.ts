import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig, type LoadedConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';
import { openPostgres } from '../../runner/warehouse/postgres.ts';
import type { Row, Warehouse } from '../../runner/warehouse/types.ts';
import { POSTGRES_URL, dropSchemas, postgresReachable, uniqueName } from '../support/postgres.ts';

/**
 * Runs the real path of `capi-sync deploy` for field tests: source tables in a schema of their own,
 * activations parsed from YAML, views rendered by renderActivation and created with execScript, then
 * read back from <activation>_outbound and <activation>_rejected.
 */
export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Now, in Unix seconds, fixed when the test file loads; fixtures are relative to it. */
export const NOW = Math.floor(Date.now() / 1000);
export const HOUR = 3600;
export const DAY = 86_400;

/** ISO 8601 in UTC with a Z, as exports write it. */
export const isoZ = (seconds: number): string => new Date(seconds * 1000).toISOString();
/** `YYYY-MM-DD HH:MM:SS`, no offset: capi-sync reads it as UTC. */
export const plain = (seconds: number): string => isoZ(seconds).slice(0, 19).replace('T', ' ');
/** The same instant written with a non-UTC offset, e.g. +05:30. */
export function withOffset(seconds: number, offsetMinutes: number): string {
  const local = plain(seconds + offsetMinutes * 60).replace(' ', 'T');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface Target {
  name: 'pglite' | 'postgres';
  /** Set when the target cannot run here; the helper in tests/support printed why. */
  skip: boolean;
  open(): Promise<Harness>;
}

export interface Harness {
  warehouse: Warehouse;
  /** Schema holding the source tables (and, on PGlite, nothing else). */
  sourceSchema: string;
  /** Runs `sql` on a connection of its own with session settings applied first (TimeZone, DateStyle). */
  withSession(settings: string[], sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

export const TARGETS: Target[] = [
  {
    name: 'pglite',
    skip: false,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'capi-sync-fields-'));
      const warehouse = await openPglite({ path: join(dir, 'warehouse'), schema: 'capi_sync' });
      const sourceSchema = 'shop';
      await warehouse.exec(`create schema ${sourceSchema}`);
      return {
        warehouse,
        sourceSchema,
        async withSession(settings, sql) {
          // PGlite has a single connection: set, read, and put the defaults back.
          for (const s of settings) await warehouse.exec(`set ${s}`);
          try {
            return await warehouse.query(sql);
          } finally {
            await warehouse.exec('reset all');
          }
        },
        async close() {
          await warehouse.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: !postgresReachable,
    async open() {
      const schema = uniqueName('fields_capi');
      const sourceSchema = uniqueName('fields_shop');
      const warehouse = await openPostgres({ url: POSTGRES_URL, schema });
      await warehouse.exec(`create schema ${sourceSchema}`);
      return {
        warehouse,
        sourceSchema,
        async withSession(settings, sql) {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          try {
            for (const s of settings) await client.query(`set ${s}`);
            return (await client.query(sql)).rows;
          } finally {
            await client.end();
          }
        },
        async close() {
          await warehouse.close();
          await dropSchemas(schema, sourceSchema);
        },
      };
    },
  },
];

/** Creates `schema.table` with the given column types and inserts the rows (missing keys are null). */
export async function createTable(w: Warehouse, table: string, columns: Record<string, string>, rows: Record<string, unknown>[]): Promise<void> {
  const names = Object.keys(columns);
  await w.exec(`create table ${table} (${names.map((n) => `${n} ${columns[n]}`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 100) {
    const chunk = rows.slice(i, i + 100);
    const values = chunk.map(() => `(${names.map(() => '?').join(', ')})`).join(', ');
    await w.exec(`insert into ${table} (${names.join(', ')}) values ${values}`, chunk.flatMap((r) => names.map((n) => r[n] ?? null)));
  }
}

/**
 * Parses `activations` (the YAML under `activations:`) as a config file would be, renders every
 * activation's views against the warehouse's own columns and creates them. Model files are written
 * beside the config first.
 */
export async function deploy(w: Warehouse, activations: string, files: Record<string, string> = {}): Promise<LoadedConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'capi-sync-fields-project-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const text = `warehouse: { type: pglite }\nsnapchat: { endpoint: sandbox }\nactivations:\n${activations}`;
  const config: LoadedConfig = { ...parseConfig(text, {}), file: join(dir, 'activations.yml'), dir };
  const r = createRenderer(w.dialect);
  const statements = [r.macro('create_schema', { schema: w.schema })];
  for (const name of Object.keys(config.activations)) {
    const views = await renderActivation(config, name, r, w.schema, (sql) => w.columns(sql));
    statements.push(
      ...['outbound', 'rejected', 'prepared'].map((kind) => r.macro('drop_view', { schema: w.schema, name: `${name}_${kind}` })),
      views.prepared, views.outbound, views.rejected,
    );
  }
  await w.execScript(statements);
  await rm(dir, { recursive: true, force: true });
  return config;
}

export interface Sent {
  event_id: string;
  cursor: unknown;
  payload: Record<string, any>;
  /** The payload as the view holds it, before parsing: what a clear-text search runs on. */
  text: string;
}
export interface Held {
  event_id: string;
  event_time: number | null;
  reason: string;
}

/** Both views of one activation, read as a user (or the runner) would. */
export async function readViews(w: Warehouse, activation: string, query: (sql: string) => Promise<Row[]> = (sql) => w.query(sql)): Promise<{ sent: Sent[]; held: Held[] }> {
  const q = (...parts: string[]) => parts.map((p) => w.dialect.quoteIdentifier(p)).join('.');
  const sent = (await query(`select event_id, cursor, payload from ${q(w.schema, `${activation}_outbound`)} order by event_id`)).map((row) => ({
    event_id: String(row.event_id),
    cursor: row.cursor,
    text: String(row.payload),
    payload: JSON.parse(String(row.payload)) as Record<string, any>,
  }));
  const held = (await query(`select event_id, event_time, reason from ${q(w.schema, `${activation}_rejected`)} order by event_id`)).map((row) => ({
    event_id: String(row.event_id),
    event_time: row.event_time === null ? null : Number(row.event_time),
    reason: String(row.reason),
  }));
  return { sent, held };
}

/** What a case expects under user_data: a normalised string (hashed by the test) or a value sent as is. */
export type Expected = string | { raw: string };
export const raw = (value: string): { raw: string } => ({ raw: value });

/** user_data keys sent as one-element arrays of strings, as Snap's v3 schema types them. */
export const ARRAY_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'ct', 'st', 'zp', 'country'];

/** The user_data Snap should receive: the ARRAY_KEYS as one-element arrays, the rest as strings. */
export function userData(expected: Record<string, Expected>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expected).map(([key, e]) => {
    const value = typeof e === 'string' ? sha256(e) : e.raw;
    return [key, ARRAY_KEYS.includes(key) ? [value] : value];
  }));
}
