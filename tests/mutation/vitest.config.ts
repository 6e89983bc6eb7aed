import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';
import { QuickFirst } from './sequencer.ts';

/**
 * Left out of a mutation run (npm run mutate): tests of the CLI, which runs in a child process without
 * the mutant (they cannot kill one, and a mutant of code that runs at import is tried with every test
 * file that imports it); the long ones (chaos, serve, the SQL property tests); the tests of the docs and
 * examples (they run the CLI, and the examples are not copied into Stryker's sandbox); and the tests of the
 * rendered SQL (runner/render), unless CAPI_SYNC_MUTATE_SQL_TESTS=1: they import the config loader too,
 * and would run for each of its mutants.
 */
const CLI_AND_LONG = [
  'tests/chaos/**', 'tests/docs/**', 'tests/e2e/**', 'tests/ledger/**', 'tests/warehouses/live-*', 'tests/serve/!(schedule).test.ts',
  'tests/alerts/webhook.test.ts', 'tests/delivery/sandbox-cli.test.ts', 'tests/delivery/sync-pglite.test.ts',
  'tests/delivery/sync-postgres.test.ts', 'tests/faults/config-cli.test.ts', 'tests/faults/log-format.test.ts',
  'tests/faults/pglite-faults.test.ts', 'tests/faults/postgres-faults.test.ts', 'tests/faults/snap-cli.test.ts',
  'tests/fields/poison-sync.test.ts', 'tests/fields/snap-schema.test.ts', 'tests/fields/hostile.property.test.ts',
  'tests/warehouses/cloud-deploy.test.ts',
];
const SQL = ['tests/fields/!(config-fields).test.ts', 'tests/render/**', 'tests/warehouses/{zetasql,bigquery-sql,bigquery-views,live-fixtures}.test.ts'];

export default mergeConfig(base, defineConfig({
  test: {
    exclude: [...CLI_AND_LONG, ...(process.env.CAPI_SYNC_MUTATE_SQL_TESTS === '1' ? [] : SQL)],
    sequence: { sequencer: QuickFirst },
  },
}));
