import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { bigqueryDialect, bigqueryLeaseUntil } from '../../runner/warehouse/bigquery.ts';
import { queryRequest, type BigQueryConfig } from '../../runner/warehouse/bigquery-client.ts';
import { goldenConfig, textColumns } from '../render/golden-activations.ts';
import { StateStore } from '../../runner/state/state.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';
import { renderCloudStatements, type Statement } from './cloud-statements.ts';
import { startZetaSql, type Column, type TypeKind, type ZetaSql } from './zetasql.ts';

/**
 * Every statement capi-sync sends to BigQuery, analyzed by ZetaSQL (Google's GoogleSQL analyzer, the
 * devDependency @fivetrandevelopers/zetasql) in the order a deploy and a run send them: the state DDL,
 * then the runner's DML against the tables that DDL declared, the lease, each activation's views against
 * a typed source table, and the runner's reads of those views. Names, types, function signatures and
 * casts are resolved as BigQuery resolves them; a wrong column, a function BigQuery lacks or a type
 * mismatch fails here.
 */
const SCHEMA = 'my-project.capi_sync';
const CONFIG = parseConfig('{ warehouse: { type: bigquery, project: my-project }, snapchat: { endpoint: sandbox }, activations: { a: { pixel_id: px, event_name: PURCHASE, source: s.t, mapping: { event_time: t, email: e } } } }', {});
let z: ZetaSql;

beforeAll(async () => {
  z = await startZetaSql();
});
afterAll(() => z?.close());

const type = (typeKind: TypeKind) => ({ typeKind });
const STRING = type('TYPE_STRING');

/** shop.orders as a typical BigQuery table: the golden activations' columns with their usual types. */
function typedSource(overrides: Record<string, Column['type']> = {}): Column[] {
  const every = Object.values(goldenConfig.activations.every_field.mapping!);
  const model = ['order_ref', 'total_amount', 'currency_code', 'customer_email', 'customer_phone', 'first_name', 'last_name', 'city', 'zip', 'country', 'status'];
  const usual: Record<string, Column['type']> = {
    paid_at: type('TYPE_TIMESTAMP'), loaded_at: type('TYPE_TIMESTAMP'), total: type('TYPE_NUMERIC'), total_amount: type('TYPE_NUMERIC'),
    n: type('TYPE_INT64'), born: type('TYPE_DATE'), items: { typeKind: 'TYPE_ARRAY', arrayType: { elementType: STRING } },
  };
  return [...new Set([...every, ...model, 'loaded_at'])].map((name) => ({ name, type: overrides[name] ?? usual[name] ?? STRING }));
}

/** reset --to's statement for this cursor, with its parameter types. */
async function cursorValue(r: ReturnType<typeof createRenderer>, cursor: { name: string; type: string; kind: 'other' }): Promise<[string, TypeKind[]]> {
  const sent: Statement[] = [];
  const wh = { schema: SCHEMA, dialect: bigqueryDialect, query: async (sql: string, params: unknown[]) => (sent.push({ sql, params }), [{ cursor: '' }]) } as unknown as Warehouse;
  await new StateStore(wh, r).cursorValue('every_field_prepared', '1', cursor);
  return [sent[0].sql, paramTypes(sent[0])];
}

/** The `?` parameter types BigQuery is sent for these values (the runner's own typing). */
function paramTypes(s: Statement): TypeKind[] {
  return (queryRequest(CONFIG.warehouse as BigQueryConfig, s.sql, s.params).types ?? []).map((t) => `TYPE_${t}` as TypeKind);
}

describe('ZetaSQL analysis of the BigQuery SQL', () => {
  test('every statement type-checks, in the order deploy and a run send them', async () => {
    const files = await renderCloudStatements(bigqueryDialect, SCHEMA, bigqueryLeaseUntil, { name: 'cursor', type: 'TIMESTAMP', kind: 'timestamp' });
    z.addTable(['shop', 'orders'], typedSource());
    const order = ['state', 'every_field.views', 'store_purchases.views', 'read', 'report'];
    expect(Object.keys(files).sort()).toEqual([...order].sort());
    let checked = 0;
    for (const name of order) {
      for (const statement of files[name]) {
        await z.analyze(statement.sql, paramTypes(statement));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  // The views read any column type through as_text; these are the shapes exports and loaders produce.
  test.each([
    ['every column STRING', { paid_at: STRING, loaded_at: STRING, total: STRING, n: STRING, born: STRING, items: STRING }],
    // (BigQuery cannot order by JSON, so a cursor cannot be a JSON column.)
    ['every column but the cursor JSON', Object.fromEntries(typedSource().filter((c) => c.name !== 'loaded_at').map((c) => [c.name, type('TYPE_JSON')]))],
    ['DATETIME event time, INT64 cursor', { paid_at: type('TYPE_DATETIME'), loaded_at: type('TYPE_INT64'), total: type('TYPE_DOUBLE') }],
    ['DATE cursor, BIGNUMERIC value', { loaded_at: type('TYPE_DATE'), total: type('TYPE_BIGNUMERIC') }],
  ])('the views and reads type-check over a source with %s', async (_, overrides) => {
    const source = typedSource(overrides as Record<string, Column['type']>);
    z.addTable(['shop', 'orders'], source);
    const r = createRenderer(bigqueryDialect);
    const views = await renderActivation(goldenConfig, 'every_field', r, SCHEMA, async () => textColumns(source.map((c) => c.name)));
    for (const sql of [views.prepared, views.outbound, views.rejected]) await z.analyze(sql);
    const state = new StateStore({ schema: SCHEMA, dialect: bigqueryDialect } as Warehouse, r);
    // The cursor as the adapter describes it (GoogleSQL's name): the watermark is cast to that type.
    const cursor = { name: 'cursor', type: String(source.find((c) => c.name === 'loaded_at')!.type.typeKind).replace('TYPE_', ''), kind: 'other' as const };
    for (const [watermark, scanStart] of [[null, undefined], [{ cursor: '1', event_id: 'e' }, undefined], [{ cursor: '1', event_id: 'e' }, '0']] as const) {
      const read = state.readStatement({ activation: 'every_field', view: 'every_field_prepared', watermark, scanStart, cursor, reasons: true, ledgerDays: 8 });
      await z.analyze(read.sql, paramTypes(read));
    }
    await z.analyze(...(await cursorValue(r, cursor)));
  });

  test('the analyzer refuses what BigQuery would refuse, so the checks above can fail', async () => {
    await z.analyze(`create table if not exists \`${SCHEMA}\`.\`t\` (a string, b timestamp)`);
    await expect(z.analyze(`update \`${SCHEMA}\`.\`t\` set c = 'x' where true`)).rejects.toThrow(/Unrecognized name: c|c/);
    await expect(z.analyze(`select a from \`${SCHEMA}\`.\`t\` where b > ?`, ['TYPE_INT64'])).rejects.toThrow(/No matching signature|TIMESTAMP/);
    await expect(z.analyze(`select sha2(a, 256) from \`${SCHEMA}\`.\`t\``)).rejects.toThrow(/Function not found: sha2/);
    await expect(z.analyze(`select a from \`${SCHEMA}\`.\`t\` where a ~ 'x'`)).rejects.toThrow(/Syntax error/);
  });
});
