import { afterAll, describe, expect, test } from 'vitest';
import { pgliteReference, runFixture, type FixtureResult } from './live-fixtures.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';

/**
 * Against real BigQuery, only when CAPI_SYNC_BIGQUERY_PROJECT is set (see docs/bigquery.md):
 *   CAPI_SYNC_BIGQUERY_PROJECT, optional _LOCATION (default US) and _KEY_FILE (default: application
 *   default credentials). A dataset capi_sync_test_<random> is created and dropped.
 * Proves that the BigQuery views compute what the PGlite ones do, row by row, and that lease and
 * watermark work on real DML counts.
 */
const env = process.env;
const live = Boolean(env.CAPI_SYNC_BIGQUERY_PROJECT);
if (!live) console.warn('SKIPPED: live BigQuery tests (set CAPI_SYNC_BIGQUERY_PROJECT, and _KEY_FILE or application default credentials, to run them)');

const dataset = `capi_sync_test_${Math.random().toString(36).slice(2, 8)}`;
const yaml = `{ type: bigquery, project: "\${CAPI_SYNC_BIGQUERY_PROJECT}", dataset: ${dataset}, location: "\${CAPI_SYNC_BIGQUERY_LOCATION:-US}", ${env.CAPI_SYNC_BIGQUERY_KEY_FILE ? 'key_file: "${CAPI_SYNC_BIGQUERY_KEY_FILE}", ' : ''}maximum_bytes_billed: 1000000000, timeout_seconds: 120 }`;

describe.skipIf(!live)('live BigQuery', () => {
  let result: FixtureResult & { warehouse: Warehouse };
  afterAll(async () => {
    if (!result) return;
    await result.warehouse.exec(`drop schema if exists ${result.warehouse.dialect.quoteIdentifier(result.warehouse.schema)} cascade`);
    await result.warehouse.close();
  });

  test('the views compute every field and reason as on PGlite', async () => {
    const reference = await pgliteReference();
    result = await runFixture(yaml, env, `${dataset}.capi_sync_fixture`, (wh, table, columns) => wh.execScript([`create or replace table ${table} (${columns.map((c) => `${c} string`).join(', ')})`]));
    expect(result.reasons).toEqual(reference.reasons);
    expect(result.payloads).toEqual(reference.payloads);
  }, 300_000);

  test('lease and watermark on real DML counts', async () => {
    const { warehouse: wh } = result;
    const lock = await wh.tryLock('fixture');
    expect(lock).not.toBeNull();
    expect(await wh.tryLock('fixture')).toBeNull();
    await lock!.release();
    const rows = await wh.query(`select lease_owner from ${wh.dialect.quoteIdentifier(wh.schema)}.capi_sync_state where activation = ?`, ['fixture']);
    expect(rows).toEqual([{ lease_owner: null }]);
  }, 120_000);
});
