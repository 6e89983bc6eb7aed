import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init, parse } from '@guanmingchiu/sqlparser-ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { MACROS_DIR, createRenderer } from '../../runner/render/render.ts';
import { StateStore } from '../../runner/state/state.ts';
import type { Column, Warehouse } from '../../runner/warehouse/types.ts';
import { snowflakeDialect } from '../../runner/warehouse/snowflake.ts';
import { CLOUD_DIALECTS, renderCloudStatements } from '../warehouses/cloud-statements.ts';
import { goldenConfig, renderGoldenViews } from './golden-activations.ts';

/**
 * The SQL capi-sync sends to Snowflake and BigQuery, rendered for two activations (every field mapped
 * from a source; the example model), as golden files to read side by side with the Postgres ones, and
 * each statement parsed by a real SQL parser (sqlparser-rs, WebAssembly) in that warehouse's dialect.
 * The BigQuery statements are also analyzed by ZetaSQL (tests/warehouses/zetasql.test.ts); what the SQL
 * computes on the real engines is checked by tests/warehouses/live-*.test.ts, with credentials.
 */
async function render(dialect: (typeof CLOUD_DIALECTS)[number]): Promise<Record<string, string[]>> {
  const files = await renderCloudStatements(dialect.dialect, dialect.schema, dialect.leaseUntil, dialect.cursor);
  return Object.fromEntries(Object.entries(files).map(([name, statements]) => [name, statements.map((s) => s.sql)]));
}

/**
 * Syntax the warehouse documents and sqlparser-rs does not know yet, taken out before parsing so the
 * rest of the statement is still checked: Snowflake's `add column if not exists`
 * (https://docs.snowflake.com/en/sql-reference/sql/alter-table#table-column-actions-tablecolumnaction).
 */
function parserGaps(sql: string, parser: string): string {
  return parser === 'snowflake' ? sql.replace(/^(alter table \S+ add column) if not exists /, '$1 ') : sql;
}

beforeAll(async () => {
  await init();
});

describe.each(CLOUD_DIALECTS)('$parser', (d) => {
  const { dialect, parser } = d;
  test('renders every statement as in the golden files', async () => {
    const files = await render(d);
    for (const [name, statements] of Object.entries(files)) {
      await expect(statements.map((s) => `${s};\n`).join('\n')).toMatchFileSnapshot(`./__golden__/${dialect.name}/${name}.sql`);
    }
  });

  test('every statement parses in the dialect', async () => {
    const files = await render(d);
    const all = Object.values(files).flat();
    expect(all.length).toBeGreaterThan(15);
    for (const sql of all) {
      expect(() => parse(parserGaps(sql, parser), parser), sql.slice(0, 300)).not.toThrow();
    }
  });

  test('the parser refuses broken SQL, so the check above can fail', () => {
    expect(() => parse('create view x as select (1', parser)).toThrow();
    expect(() => parse('merge into t using (select ? as a) as w on t.a = w.a when matched then', parser)).toThrow();
  });

  test('no Postgres-only syntax is left in the rendered SQL', async () => {
    const sql = Object.values(await render(d)).flat().join('\n');
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
  as_text: 'b447cf661661',
  concat_fields: '62bcfa7514b7',
  epoch_seconds: 'fb31c4b709df',
  // the Snowflake and BigQuery epoch_seconds were ported from what is now read_timestamp_text
  read_timestamp_text: 'fa5d2f0efe68',
  hash_identifier: 'fa6de688e6ab',
  json_array_of_one: '9c851ed9193d',
  json_object: '1900aa55326f',
  json_object_or_null: '637ed318bb21',
  json_to_text: 'fe9555c8a5c7',
  normalise_currency: 'd0fb7dbff136',
  normalise_email: '42ea9b7800e4',
  normalise_event_name: '516bf40e9793',
  normalise_phone: 'ed0b94d1e5cb',
  normalise_postal_code: 'd0533678fdc5',
  sha256_hex: '4fd31137560d',
  state_tables: '71340dad1b16',
  to_integer: '0c98669400a3',
  to_number: '2c6318b7ecf9',
  to_string_array: '2c5a3f580d9d',
  to_text: '57bea1407e50',
  unix_now: 'ba1b94a85a1a',
  upsert_state: '165c28563e1d',
  insert_ledger: '7bae54296c9e',
  days_ago: '473b76e0e017',
  present_keys: 'cd1ac845c4bb',
  cursor_text: 'c526554ef132',
  cursor_param: '94bce8eeaf14',
  letters_only: 'c459b2154c0a',
  normalise_state: '3534f0f30c6d',
  normalise_url: 'a7e2b95bc612',
  space_chars: 'eae5b3ec5907',
  to_extinfo: '7910f17e907f',
  seconds_between: 'e1db805b1e7d',
};

test('every default.sql with Snowflake/BigQuery versions is the one they were ported from', () => {
  const changed = Object.entries(PORTED_FROM)
    .filter(([name, hash]) => createHash('sha256').update(readFileSync(join(MACROS_DIR, name, 'default.sql'))).digest('hex').slice(0, 12) !== hash)
    .map(([name]) => `macros/${name}/default.sql changed: port the change to macros/${name}/{snowflake,bigquery}.sql, then update its hash in PORTED_FROM`);
  expect(changed).toEqual([]);
});

/**
 * The runner's read keeps rows past the watermark with a plain comparison of the view's cursor (the
 * source's own column, passed through the views unchanged) with a constant of the cursor's type: the
 * form BigQuery prunes partitions and clusters with, and Snowflake micro-partitions. What it computes is
 * evaluated on ZetaSQL in tests/warehouses/bigquery-read.test.ts.
 */
describe.each(CLOUD_DIALECTS)('the $parser read prunes', (d) => {
  const r = createRenderer(d.dialect);
  const state = new StateStore({ schema: d.schema, dialect: d.dialect } as Warehouse, r);
  const mark = { cursor: '2026-01-01T00:00:00.123456', event_id: 'e' };
  const read = (scanStart?: string) => state.readStatement({ activation: 'a', view: 'a_prepared', watermark: mark, scanStart, cursor: d.cursor, reasons: true, ledgerDays: 8 }).sql;
  const cursor = r.quote('cursor');
  const typed = d.parser === 'bigquery' ? 'cast(? as TIMESTAMP)' : "to_timestamp_ntz(?, 'AUTO')";
  const where = (sql: string) => sql.slice(sql.indexOf('\nwhere '), sql.indexOf('\norder by'));

  test('past the watermark: the cursor column compared with the watermark, typed as the cursor', () => {
    // The event_id compared byte by byte, as the runner orders places (macros/bytewise).
    const eventId = r.macro('bytewise', { value: `v.${r.quote('event_id')}` });
    expect(where(read())).toMatch(new RegExp(`^\\nwhere \\(v\\.${escape(cursor)} >= ${escape(typed)} and \\(v\\.${escape(cursor)} > ${escape(typed)} or ${escape(eventId)} > \\?\\)\\)\\n`));
  });

  test('with the look-back: the cursor column from the scan start', () => {
    expect(where(read('2025-12-31T23:00:00.123'))).toMatch(new RegExp(`^\\nwhere v\\.${escape(cursor)} >= ${escape(typed)}\\n`));
  });

  test('no correlated subquery over the view, no function of the cursor in the filter', () => {
    for (const sql of [read(), read('2025-12-31T23:00:00.123')]) {
      expect(where(sql)).not.toMatch(/to_json|safe_cast|as bignumeric|select \? as cursor/);
      // The one subquery is the ledger's anti-join, on the ledger's recent days (sent_at: its partitioning column on BigQuery).
      expect(where(sql).match(/\bselect\b/g)).toHaveLength(1);
      expect(where(sql)).toMatch(/not exists \(\s+select 1 from \S+ as l\s+where l\.activation = \? and l\.event_id = v\.\S+ and l\.sent_at >= /);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Snowflake fixes that no engine here can run, pinned by the SQL they render (read with the golden files). */
describe('snowflake fixed fragments', () => {
  const r = createRenderer(snowflakeDialect);

  test('the cursor is read back in ISO 8601 to the nanosecond, never in the session output format', () => {
    const cursor = r.macro('cursor_text', { value: 'v."CURSOR"' });
    // The runner's read takes the cursor through it.
    expect(new StateStore({ schema: 'capi_sync', dialect: snowflakeDialect } as Warehouse, r).readStatement({ activation: 'x', view: 'x_prepared', watermark: null, ledgerDays: 8 }).sql).toContain(`${cursor} as cursor`);
    // Each timestamp type tested by the type its VARIANT holds and written with an explicit format; a
    // plain cast only for what is not a date or a timestamp (numbers, strings).
    for (const type of ['tz', 'ltz']) expect(cursor).toContain(`when is_timestamp_${type}(to_variant(v."CURSOR")) then to_varchar(as_timestamp_${type}(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`);
    expect(cursor).toContain(`when is_timestamp_ntz(to_variant(v."CURSOR")) then to_varchar(as_timestamp_ntz(to_variant(v."CURSOR")), 'YYYY-MM-DD"T"HH24:MI:SS.FF9')`);
    expect(cursor).toContain(`when is_date(to_variant(v."CURSOR")) then to_varchar(as_date(to_variant(v."CURSOR")), 'YYYY-MM-DD')`);
    expect(cursor).toMatch(/else cast\(v\."CURSOR" as varchar\)\s+end$/);
  });

  test('the watermark is read as the cursor\'s type with the format AUTO, never through the session\'s input formats', () => {
    const state = new StateStore({ schema: 'capi_sync', dialect: snowflakeDialect } as Warehouse, r);
    const mark = { cursor: '2026-01-01T00:00:00.123456789', event_id: 'e' };
    const read = (type: string, kind: Column['kind']) => state.readStatement({ activation: 'x', view: 'x_prepared', watermark: mark, cursor: { name: 'cursor', type, kind }, ledgerDays: 8 }).sql;
    for (const type of ['timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']) expect(read(type, 'timestamp')).toContain(`where (v."CURSOR" >= to_${type}(?, 'AUTO') and (v."CURSOR" > to_${type}(?, 'AUTO') or collate(v."EVENT_ID", 'utf8') > ?))`);
    expect(read('date', 'date')).toContain(`where (v."CURSOR" >= to_date(?, 'AUTO') and`);
    // Numbers and text compare as they are (Snowflake reads the text as the number it is compared with).
    for (const [type, kind] of [['fixed', 'number'], ['text', 'text']] as const) expect(read(type, kind)).toContain(kind === 'text'
      ? `where (collate(v."CURSOR", 'utf8') >= ? and (collate(v."CURSOR", 'utf8') > ? or collate(v."EVENT_ID", 'utf8') > ?))`
      : `where (v."CURSOR" >= ? and (v."CURSOR" > ? or collate(v."EVENT_ID", 'utf8') > ?))`);
  });

  test('text enters the views without its collation, so REGEXP functions accept it', async () => {
    expect(r.macro('as_text', { value: 'src."EMAIL"' })).toMatch(/^nullif\(trim\(collate\(cast\(src\."EMAIL" as varchar\), ''\), /);
    // Every mapped column of the golden activations goes through it.
    const [prepared] = await renderGoldenViews(snowflakeDialect, 'capi_sync', 'every_field');
    const mapped = Object.values(goldenConfig.activations.every_field.mapping!);
    for (const column of mapped) expect(prepared).toContain(`collate(cast(src."${column.toUpperCase()}" as varchar), '')`);
  });
});

