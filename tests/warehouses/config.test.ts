import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { ConfigError } from '../../runner/errors.ts';
import { ROOT } from '../support/cli.ts';

const rest = `
snapchat: { endpoint: sandbox }
activations:
  a: { pixel_id: px, event_name: PURCHASE, source: shop.orders, mapping: { event_time: paid_at } }
`;

function problems(warehouse: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(`warehouse: ${warehouse}${rest}`, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

describe('warehouse config for snowflake and bigquery', () => {
  test('snowflake: password from the environment, defaults filled in', () => {
    const config = parseConfig(`warehouse: { type: snowflake, account: myorg-acct, user: CAPI_SYNC, role: CAPI_SYNC_ROLE, warehouse: XS, database: SALES, password: "\${SNOWFLAKE_PASSWORD}" }${rest}`, { SNOWFLAKE_PASSWORD: 's3cret' });
    expect(config.warehouse).toEqual({
      type: 'snowflake', account: 'myorg-acct', user: 'CAPI_SYNC', role: 'CAPI_SYNC_ROLE', warehouse: 'XS', database: 'SALES', password: 's3cret',
      schema: 'capi_sync', checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: 300, held_back_summary: true, ledger_retention_days: 90,
    });
  });

  test('snowflake: exactly one way to authenticate; a passphrase needs a key', () => {
    expect(problems('{ type: snowflake, account: a, user: u, database: d }')).toEqual([expect.stringMatching(/^warehouse.password: set exactly one of password/)]);
    expect(problems('{ type: snowflake, account: a, user: u, database: d, password: p, private_key_path: k.p8 }')).toHaveLength(1);
    expect(problems('{ type: snowflake, account: a, user: u, database: d, password: p, private_key_passphrase: x }')).toEqual([expect.stringMatching(/^warehouse.private_key_passphrase: goes with private_key/)]);
    expect(problems('{ type: snowflake, account: a, user: u, database: d, private_key_path: k.p8, private_key_passphrase: x }')).toEqual([]);
  });

  test('bigquery: project and dataset, location, key file and the cost guard', () => {
    const config = parseConfig(`warehouse: { type: bigquery, project: acme-analytics, dataset: conversions, location: EU, key_file: sa.json, maximum_bytes_billed: 1000000000 }${rest}`, {});
    expect(config.warehouse).toMatchObject({ type: 'bigquery', project: 'acme-analytics', dataset: 'conversions', location: 'EU', key_file: 'sa.json', maximum_bytes_billed: 1_000_000_000, checkpoint_seconds: 60, held_back_summary: true });
    expect(problems('{ type: bigquery }')).toEqual(['warehouse.project: required (string); add it to the config']);
    expect(problems('{ type: bigquery, project: p, maximum_bytes_billed: 0 }')[0]).toMatch(/^warehouse.maximum_bytes_billed: /);
  });

  test('stand-in endpoints only on this machine, unknown keys named', () => {
    expect(problems('{ type: bigquery, project: p, api_endpoint: "https://bigquery.example.com" }')).toEqual([expect.stringMatching(/^warehouse.api_endpoint: only http:\/\/127.0.0.1/)]);
    expect(problems('{ type: snowflake, account: a, user: u, database: d, password: p, access_url: "http://localhost:8080" }')).toEqual([]);
    expect(problems('{ type: bigquery, project: p, schema: x }')).toEqual(['warehouse.schema: unknown key; remove it or check its spelling']);
  });
});

describe('lazy drivers', () => {
  test('the warehouse registry every command imports loads neither snowflake-sdk nor @google-cloud/bigquery', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const { dialectOf } = await import('./runner/warehouse/index.ts');
      dialectOf({ warehouse: { type: 'snowflake' } }); dialectOf({ warehouse: { type: 'bigquery' } });
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /snowflake-sdk|@google-cloud|google-auth-library/.test(f));
      await import('snowflake-sdk');
      const after = Object.keys(createRequire(import.meta.url).cache).filter((f) => /snowflake-sdk/.test(f)).length;
      console.log(JSON.stringify({ loaded: loaded.length, after }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' } });
    expect(child.stderr).toBe('');
    const { loaded, after } = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
    expect(loaded).toBe(0);
    expect(after).toBeGreaterThan(0); // the check can see a loaded driver
  });
});
