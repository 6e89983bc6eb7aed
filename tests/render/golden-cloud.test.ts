import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init, parse } from '@guanmingchiu/sqlparser-ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { MACROS_DIR, createRenderer } from '../../runner/render/render.ts';
import { StateStore } from '../../runner/state/state.ts';
import { bigqueryDialect, bigqueryLeaseUntil } from '../../runner/warehouse/bigquery.ts';
import { snowflakeDialect, snowflakeLeaseUntil } from '../../runner/warehouse/snowflake.ts';
import { takeLease } from '../../runner/warehouse/lease.ts';
import type { Dialect, Lock, Warehouse } from '../../runner/warehouse/types.ts';
import { goldenConfig, renderGoldenViews } from './golden-activations.ts';

/**
 * The SQL capi-sync sends to Snowflake and BigQuery, rendered for two activations (every field mapped
 * from a source; the example model), as golden files to read side by side with the Postgres ones, and
 * each statement parsed by a real SQL parser (sqlparser-rs, WebAssembly) in that warehouse's dialect.
 * What the SQL computes is checked by tests/warehouses/live-*.test.ts, with credentials.
 */
const DIALECTS = [
  { dialect: snowflakeDialect, parser: 'snowflake', schema: 'capi_sync', lease: (wh: Warehouse, key: string, s: number) => takeLease(wh, key, s, snowflakeLeaseUntil) },
  { dialect: bigqueryDialect, parser: 'bigquery', schema: 'my-project.capi_sync', lease: (wh: Warehouse, key: string, s: number) => takeLease(wh, key, s, bigqueryLeaseUntil) },
] as const;

/** Statements of one dialect, by golden file name. */
async function render(dialect: Dialect, schema: string, lease: (wh: Warehouse, key: string, seconds: number) => Promise<Lock | null>): Promise<Record<string, string[]>> {
  const r = createRenderer(dialect);
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(goldenConfig.activations)) out[`${name}.views`] = await renderGoldenViews(dialect, schema, name);
  const recorder = recordingWarehouse(dialect, schema);
  const state = new StateStore(recorder.wh, r);
  await state.read('a');
  await state.saveWatermark('a', { cursor: '1', event_id: 'e' });
  const run = await state.startRun('a', null);
  await state.checkpoint('a', run, [{ event_id: 'e', cursor: '1', event_time: 1, match_keys: 'em', status: 'accepted', payload_sha256: 'ab' }], { cursor: '1', event_id: 'e' }, 8);
  await state.finishRun(run, { status: 'ok', counts: { sent: 1, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 1 }, after: null, warnings: [] });
  await state.recordDeliveryError({ run_id: run, activation: 'a', event_id: 'e', cursor: '1', http_status: 400, message: 'm' });
  await state.lastRuns('a');
  await state.pruneLedger('a', 90, null);
  await state.reset('a', 'a_prepared', { cursor: '1', event_id: '' });
  await state.cursorValue('a_prepared', '2026-01-01');
  await recorder.wh.execScript([state.fingerprintStatement('a', 'f')]);
  await (await lease(recorder.wh, 'a', 600))!.release();
  out.state = [r.macro('create_schema', { schema }), ...state.ddl(), ...recorder.statements];
  const mark = { cursor: '1', event_id: 'e' };
  out.read = [
    state.readStatement({ activation: 'store_purchases', view: 'store_purchases_prepared', watermark: null, ledgerDays: 8 }),
    state.readStatement({ activation: 'store_purchases', view: 'store_purchases_prepared', watermark: mark, reasons: true, ledgerDays: 8 }),
    state.readStatement({ activation: 'store_purchases', view: 'store_purchases_prepared', watermark: mark, scanStart: '0', reasons: true, ledgerDays: 8 }),
    state.readStatement({ activation: 'store_purchases', view: 'store_purchases_prepared', watermark: mark, scanStart: '0', count: true, ledgerDays: 8 }),
  ].map((s) => s.sql);
  return out;
}

function recordingWarehouse(dialect: Dialect, schema: string): { wh: Warehouse; statements: string[] } {
  const statements: string[] = [];
  const record = async (sql: string) => {
    statements.push(sql);
    return sql.startsWith('update') && sql.includes('lease_owner = ?') ? 1 : 0;
  };
  const wh: Warehouse = {
    dialect, schema,
    query: async (sql) => (await record(sql), [{ n: 0, cursor: 'x' }]),
    exec: record,
    execScript: async (script) => {
      for (const s of script) await record(typeof s === 'string' ? s : s.sql);
    },
    columns: async () => [],
    stream: () => { throw new Error('not used'); },
    tryLock: async () => null,
    close: async () => {},
  };
  return { wh, statements };
}

/**
 * sqlparser-rs does not know Snowflake's `add column if not exists`
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column): the rest of such a statement is
 * parsed without those three words.
 */
function parseable(sql: string, parser: string): string {
  return parser === 'snowflake' ? sql.replace(/^(alter table \S+ add column) if not exists /, '$1 ') : sql;
}

beforeAll(async () => {
  await init();
});

describe.each(DIALECTS)('$parser', ({ dialect, parser, schema, lease }) => {
  test('renders every statement as in the golden files', async () => {
    const files = await render(dialect, schema, lease);
    for (const [name, statements] of Object.entries(files)) {
      await expect(statements.map((s) => `${s};\n`).join('\n')).toMatchFileSnapshot(`./__golden__/${dialect.name}/${name}.sql`);
    }
  });

  test('every statement parses in the dialect', async () => {
    const files = await render(dialect, schema, lease);
    const all = Object.values(files).flat();
    expect(all.length).toBeGreaterThan(15);
    for (const sql of all) {
      expect(() => parse(parseable(sql, parser), parser), sql.slice(0, 300)).not.toThrow();
    }
  });

  test('the parser refuses broken SQL, so the check above can fail', () => {
    expect(() => parse('create view x as select (1', parser)).toThrow();
    expect(() => parse('merge into t using (select ? as a) as w on t.a = w.a when matched then', parser)).toThrow();
  });

  test('no Postgres-only syntax is left in the rendered SQL', async () => {
    const sql = Object.values(await render(dialect, schema, lease)).flat().join('\n');
    for (const postgresOnly of [/ ~ '/, /::json\b/, /\bE'/, /\bjson_build_object\b/, /\btimestamptz\b/, /\bon conflict\b/, /regexp_replace\([^)]*'g'\)/, / as text\)/]) {
      expect(sql).not.toMatch(postgresOnly);
    }
  });
});

/**
 * The snowflake.sql and bigquery.sql files port these default.sql files (the hash of each, when it was
 * ported). A change to a default must be ported to the dialect files too; then update its hash here.
 */
const PORTED_FROM = {
  as_text: 'f88f95074702',
  concat_fields: '62bcfa7514b7',
  epoch_seconds: 'fb31c4b709df',
  // the Snowflake and BigQuery epoch_seconds were ported from what is now read_timestamp_text
  read_timestamp_text: 'c4efa468cabd',
  hash_identifier: 'fa6de688e6ab',
  json_array_of_one: '9c851ed9193d',
  json_object: '1900aa55326f',
  json_object_or_null: '637ed318bb21',
  json_to_text: 'fe9555c8a5c7',
  normalise_country: '3a89db1a8e7e',
  normalise_currency: 'd0fb7dbff136',
  normalise_date_of_birth: '2852ff1e968a',
  normalise_email: 'c6568c87d725',
  normalise_event_name: '516bf40e9793',
  normalise_name: '732025dedb2a',
  normalise_phone: '4fb91d1e9ed5',
  normalise_postal_code: 'feb7164d766f',
  normalise_state: 'dbb8e72042fb',
  sha256_hex: '4fd31137560d',
  state_tables: '71340dad1b16',
  to_integer: '45ddd556ade3',
  to_number: '2e2a20bc30d4',
  to_string_array: '2c5a3f580d9d',
  to_text: '57bea1407e50',
  unix_now: 'ba1b94a85a1a',
  upsert_state: '165c28563e1d',
  insert_ledger: '7bae54296c9e',
  days_ago: '473b76e0e017',
  present_keys: 'cd1ac845c4bb',
  cursor_text: 'c526554ef132',
  after_watermark: '93f5a31fbb08',
};

test('every default.sql with Snowflake/BigQuery versions is the one they were ported from', () => {
  const changed = Object.entries(PORTED_FROM)
    .filter(([name, hash]) => createHash('sha256').update(readFileSync(join(MACROS_DIR, name, 'default.sql'))).digest('hex').slice(0, 12) !== hash)
    .map(([name]) => `macros/${name}/default.sql changed: port the change to macros/${name}/{snowflake,bigquery}.sql, then update its hash in PORTED_FROM`);
  expect(changed).toEqual([]);
});
