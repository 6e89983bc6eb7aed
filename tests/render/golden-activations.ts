import { parseConfig, type LoadedConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import type { Column, Dialect } from '../../runner/warehouse/types.ts';
import { ROOT } from '../support/cli.ts';

/**
 * The activations every dialect's golden SQL is rendered for (golden.test.ts, golden-cloud.test.ts):
 * every field mapped from a source, and the example model (models/store_purchases.sql). Rendering
 * needs no connection: the columns are given here.
 */
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
        client_ip_address: ip, client_user_agent: ua, sc_click_id: click, sc_cookie1: cookie, madid: ad_id,
        action_source: src, event_source_url: url, app_id: app, extinfo: ext, advertiser_tracking_enabled: ate,
        campaign_ids: campaign, install_referrer: referrer, installer_package: installer, url_schemes: schemes,
        windows_attribution_id: win_id }
  store_purchases:
    pixel_id: px
    event_name: PURCHASE
    model: models/store_purchases.sql
    cursor: loaded_at
`;
/** What the model selects, as the warehouse would answer; `status` is a column no field uses. */
const MODEL_COLUMNS = ['order_id', 'event_time', 'value', 'currency', 'email', 'phone', 'first_name', 'last_name', 'city', 'postal_code', 'country', 'status', 'loaded_at'];

/** Columns as a warehouse describes them, for rendering without one. */
export const textColumns = (names: string[]): Column[] => names.map((name) => ({ name, type: 'text', kind: 'text' }));

export const goldenConfig: LoadedConfig = { ...parseConfig(CONFIG, {}), file: `${ROOT}/activations.yml`, dir: ROOT };

/** The prepared, outbound, rejected and sent view statements of one activation in one dialect. */
export async function renderGoldenViews(dialect: Dialect, schema: string, name: string): Promise<string[]> {
  const mapping = goldenConfig.activations[name].mapping;
  const columnsOf = async () => textColumns(mapping ? [...Object.values(mapping), 'loaded_at'] : MODEL_COLUMNS);
  const views = await renderActivation(goldenConfig, name, createRenderer(dialect), schema, columnsOf);
  return [views.prepared, views.outbound, views.rejected, views.sent];
}
