import { afterAll, describe, expect, test } from 'vitest';
import { pgliteReference, runFixture, type FixtureResult } from './live-fixtures.ts';
import type { Warehouse } from '../../runner/warehouse/types.ts';

/**
 * Against a real Snowflake account, only when CAPI_SYNC_SNOWFLAKE_ACCOUNT is set (see docs/snowflake.md):
 *   CAPI_SYNC_SNOWFLAKE_ACCOUNT, _USER, _DATABASE, _WAREHOUSE, optional _ROLE, and _PASSWORD or
 *   _PRIVATE_KEY_PATH (+ _PRIVATE_KEY_PASSPHRASE). A schema capi_sync_test_<random> is created and dropped.
 * Proves that the Snowflake views compute what the PGlite ones do, row by row, and that lease and
 * watermark work on real DML counts.
 */
const env = process.env;
const live = Boolean(env.CAPI_SYNC_SNOWFLAKE_ACCOUNT);
if (!live) console.warn('SKIPPED: live Snowflake tests (set CAPI_SYNC_SNOWFLAKE_ACCOUNT, _USER, _DATABASE, _WAREHOUSE and _PASSWORD or _PRIVATE_KEY_PATH to run them)');

const schema = `capi_sync_test_${Math.random().toString(36).slice(2, 8)}`;
const auth = env.CAPI_SYNC_SNOWFLAKE_PASSWORD
  ? 'password: "${CAPI_SYNC_SNOWFLAKE_PASSWORD}"'
  : 'private_key_path: "${CAPI_SYNC_SNOWFLAKE_PRIVATE_KEY_PATH}"' + (env.CAPI_SYNC_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE ? ', private_key_passphrase: "${CAPI_SYNC_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE}"' : '');
const yaml = `{ type: snowflake, account: "\${CAPI_SYNC_SNOWFLAKE_ACCOUNT}", user: "\${CAPI_SYNC_SNOWFLAKE_USER}", database: "\${CAPI_SYNC_SNOWFLAKE_DATABASE}", warehouse: "\${CAPI_SYNC_SNOWFLAKE_WAREHOUSE}", ${env.CAPI_SYNC_SNOWFLAKE_ROLE ? 'role: "${CAPI_SYNC_SNOWFLAKE_ROLE}", ' : ''}schema: ${schema}, ${auth}, timeout_seconds: 120 }`;

describe.skipIf(!live)('live Snowflake', () => {
  let reference: FixtureResult;
  let result: FixtureResult & { warehouse: Warehouse };
  afterAll(async () => {
    if (!result) return;
    await result.warehouse.exec(`drop schema if exists ${result.warehouse.dialect.quoteIdentifier(schema)} cascade`);
    await result.warehouse.close();
  });

  test('the views compute every field and reason as on PGlite', async () => {
    reference = await pgliteReference();
    result = await runFixture(yaml, env, `${schema}.capi_sync_fixture`, (wh, table, columns) => wh.execScript([`create or replace table ${table} (${columns.map((c) => `${c} varchar`).join(', ')})`]));
    expect(result.reasons).toEqual(reference.reasons);
    expect(result.payloads).toEqual(reference.payloads);
  }, 300_000);

  test('lease and watermark on real DML counts', async () => {
    const { warehouse: wh } = result;
    const lock = await wh.tryLock('fixture');
    expect(lock).not.toBeNull();
    expect(await wh.tryLock('fixture')).toBeNull();
    await lock!.release();
    const rows = await wh.query(`select lease_owner from ${wh.dialect.quoteIdentifier(schema)}.capi_sync_state where activation = ?`, ['fixture']);
    expect(rows).toEqual([{ lease_owner: null }]);
  }, 120_000);
});
