import { describe, expect, it } from 'vitest';
import { parseConfig, type LoadedConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { pgliteDialect } from '../../runner/warehouse/pglite.ts';
import { postgresDialect } from '../../runner/warehouse/postgres.ts';
import type { Dialect } from '../../runner/warehouse/types.ts';
import { ROOT } from '../support/cli.ts';

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

/** Every field mapped from a source, and the example model (models/store_purchases.sql). */
const CONFIG = `
warehouse: { type: pglite }
snapchat: { endpoint: sandbox }
activations:
  every_field:
    pixel_id: px
    source: shop.orders
    cursor: loaded_at
    phone_country_code: "44"
    max_event_age_days: 30
    mapping:
      { event_time: paid_at, event_name: kind, event_id: id, order_id: ref, value: total, currency: cur,
        content_ids: items, num_items: n, email: mail, phone: tel, first_name: fn, last_name: ln,
        gender: sex, city: town, state: region, zip: postcode, country: cc, external_id: uid,
        date_of_birth: born, client_ip_address: ip, client_user_agent: ua, sc_click_id: click,
        sc_cookie1: cookie, madid: ad_id }
  store_purchases:
    pixel_id: px
    event_name: PURCHASE
    model: models/store_purchases.sql
    cursor: loaded_at
`;
/** What the model selects, as the warehouse would answer; `status` is a column no field uses. */
const MODEL_COLUMNS = ['order_id', 'event_time', 'value', 'currency', 'email', 'phone', 'first_name', 'last_name', 'city', 'postal_code', 'country', 'status', 'loaded_at'];

const config: LoadedConfig = { ...parseConfig(CONFIG, {}), file: `${ROOT}/activations.yml`, dir: ROOT };

async function render(dialect: Dialect, schema: string, name: string): Promise<string> {
  const mapping = config.activations[name].mapping;
  const columnsOf = async () => (mapping ? [...Object.values(mapping), 'loaded_at'] : MODEL_COLUMNS);
  const views = await renderActivation(config, name, createRenderer(dialect), schema, columnsOf);
  return [views.prepared, views.outbound, views.rejected].map((s) => `${s};\n`).join('\n');
}

describe.each(DIALECTS)('golden SQL for $dialect.name', ({ dialect, schema }) => {
  it.each(Object.keys(config.activations))('%s', async (name) => {
    await expect(await render(dialect, schema, name)).toMatchFileSnapshot(`./__golden__/${dialect.name}/${name}.views.sql`);
  });
});

// PGlite has no macros of its own (macros/*/pglite.sql): it must render what Postgres renders. A
// pglite.sql file would make this fail; then give PGlite its own entry in DIALECTS.
it.each(Object.keys(config.activations))('PGlite renders %s exactly as Postgres', async (name) => {
  expect(await render(pgliteDialect, 'capi_sync', name)).toBe(await render(postgresDialect, 'capi_sync', name));
});
