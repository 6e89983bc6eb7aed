import { describe, expect, it } from 'vitest';
import { pgliteDialect } from '../../runner/warehouse/pglite.ts';
import { postgresDialect } from '../../runner/warehouse/postgres.ts';
import type { Dialect } from '../../runner/warehouse/types.ts';
import { goldenConfig, renderGoldenViews } from './golden-activations.ts';

/**
 * The views each dialect deploys, as reviewed files: a change to a macro shows up as a diff in
 * __golden__/<dialect>/<activation>.views.sql (the same activations and file names as
 * golden-cloud.test.ts, to read side by side). Rendering needs no connection: the columns are given
 * here. Another dialect joins by adding one entry to DIALECTS (its Dialect and the schema its views
 * live in; a BigQuery dataset is project-qualified); `npx vitest run tests/render -u` writes its files.
 */
const DIALECTS: { dialect: Dialect; schema: string }[] = [
  { dialect: postgresDialect, schema: 'capi_sync' },
];

async function render(dialect: Dialect, schema: string, name: string): Promise<string> {
  return (await renderGoldenViews(dialect, schema, name)).map((s) => `${s};\n`).join('\n');
}

describe.each(DIALECTS)('golden SQL for $dialect.name', ({ dialect, schema }) => {
  it.each(Object.keys(goldenConfig.activations))('%s', async (name) => {
    await expect(await render(dialect, schema, name)).toMatchFileSnapshot(`./__golden__/${dialect.name}/${name}.views.sql`);
  });
});

// PGlite has no macros of its own (macros/*/pglite.sql): it must render what Postgres renders. A
// pglite.sql file would make this fail; then give PGlite its own entry in DIALECTS.
it.each(Object.keys(goldenConfig.activations))('PGlite renders %s exactly as Postgres', async (name) => {
  expect(await render(pgliteDialect, 'capi_sync', name)).toBe(await render(postgresDialect, 'capi_sync', name));
});
