import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import { FIXTURE_COLUMNS, FIXTURE_MAPPING, fixtureRows, pgliteReference, type FixtureResult } from './live-fixtures.ts';
import { startZetaSql, type ZetaSql } from './zetasql.ts';
import { textColumns } from '../render/golden-activations.ts';

/**
 * The BigQuery views run on ZetaSQL's reference evaluator over the live tests' messy rows (loaded as
 * STRING columns, as the live test loads them, and as JSON columns whose missing values are JSON
 * nulls), compared row by row with the same activation on PGlite:
 * the payload of every event sent and the reason of every row held back. This is what the live BigQuery
 * test proves on a real project, minus BigQuery itself.
 */
let z: ZetaSql;
const fixture = fixtureRows();
let reference: FixtureResult;
beforeAll(async () => {
  [z, reference] = await Promise.all([startZetaSql(), pgliteReference(fixture)]);
});
afterAll(() => z?.close());

async function onZetaSql(fixture: (string | null)[][], type: 'TYPE_STRING' | 'TYPE_JSON'): Promise<FixtureResult> {
  const yaml = `{ warehouse: { type: bigquery, project: p }, snapchat: { endpoint: sandbox }, activations: { fixture: { pixel_id: px, source: shop.capi_sync_fixture, mapping: ${FIXTURE_MAPPING}, phone_country_code: "33", max_event_age_days: 30 } } }`;
  const config = { ...parseConfig(yaml, {}), file: 'activations.yml', dir: '.' };
  const views = await renderActivation(config, 'fixture', createRenderer(bigqueryDialect), 'p.capi_sync', async () => textColumns([...FIXTURE_COLUMNS]));
  // The evaluator takes rows only for tables at the catalog's top level: the source is named without its dataset.
  const select = views.prepared.replace(/^create view \S+ as\n/, '').replace('select * from `shop`.`capi_sync_fixture`', 'select * from capi_sync_fixture');
  z.addTable(['capi_sync_fixture'], FIXTURE_COLUMNS.map((name) => ({ name, type: { typeKind: type } })));
  // As JSON, each value is a JSON string and each missing value a JSON null (not SQL NULL).
  const cells = type === 'TYPE_JSON' ? fixture.map((row) => row.map((v) => ({ json: JSON.stringify(v) }))) : fixture;
  const rows = await z.evaluate(`select event_id, reason, payload from (${select})`, { capi_sync_fixture: cells });
  return {
    payloads: Object.fromEntries(rows.filter(([, reason]) => reason === null).map(([id, , payload]) => [id, JSON.parse(String(payload))])),
    reasons: Object.fromEntries(rows.filter(([, reason]) => reason !== null).map(([id, reason]) => [id, reason])),
  };
}

describe('the BigQuery views on the reference evaluator', () => {
  test.each(['TYPE_STRING', 'TYPE_JSON'] as const)('over %s columns, send the same payloads and hold back the same rows as PGlite', async (type) => {
    const bigquery = await onZetaSql(fixture, type);
    expect(Object.keys(bigquery.payloads).length).toBeGreaterThan(5);
    expect(bigquery.reasons).toEqual(reference.reasons);
    expect(bigquery.payloads).toEqual(reference.payloads);
  });
});
