import { describe, expect, test } from 'vitest';
import { parseConfig, type LoadedConfig } from '../../runner/config/load.ts';
import { renderActivation } from '../../runner/render/activation.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import { ROOT } from '../support/cli.ts';
import { textColumns } from '../render/golden-activations.ts';

/**
 * Optional: the rendered BigQuery views type-checked by ZetaSQL, Google's own GoogleSQL analyzer
 * (npm @fivetrandevelopers/zetasql: a 112 MB download and a local gRPC server, so it is not a
 * dependency). Install it by hand to run this check; without it the test says it is skipped. Written
 * after the package's published example (fivetran/zetasql-npm-examples); not run where the package is
 * not installed.
 */
const PACKAGE = '@fivetrandevelopers/zetasql';
const zetasql: any = await import(PACKAGE).catch(() => null);
if (!zetasql) console.warn(`SKIPPED: ZetaSQL type check of the BigQuery SQL (${PACKAGE} is not installed; npm i --no-save ${PACKAGE} to run it)`);

const CONFIG = `
warehouse: { type: pglite }
snapchat: { endpoint: sandbox }
activations:
  orders:
    pixel_id: px
    source: shop.orders
    cursor: loaded_at
    mapping: { event_time: paid_at, event_name: kind, value: total, currency: cur, email: mail, phone: tel, first_name: fn, city: town, zip: postcode, date_of_birth: born, content_ids: items, num_items: n }
`;

describe.skipIf(!zetasql)('ZetaSQL analysis of the BigQuery views', () => {
  test('the prepared view type-checks against a source of STRING, NUMERIC and TIMESTAMP columns', async () => {
    const { runServer, ZetaSQLClient, SimpleCatalog, SimpleTable, SimpleColumn, SimpleType, TypeKind } = zetasql;
    const { LanguageOptions } = await import(`${PACKAGE}/lib/LanguageOptions`);
    const { ZetaSQLBuiltinFunctionOptions } = await import(`${PACKAGE}/lib/ZetaSQLBuiltinFunctionOptions`);
    const port = 50_000 + Math.floor(Math.random() * 10_000);
    runServer(port).catch(() => {});
    ZetaSQLClient.init(port);
    const client = await ZetaSQLClient.getInstance();
    expect(await client.testConnection()).toBeTruthy();

    const catalog = new SimpleCatalog('catalog');
    const shop = new SimpleCatalog('shop');
    catalog.addSimpleCatalog(shop);
    const orders = new SimpleTable('orders');
    shop.addSimpleTable('orders', orders);
    const types: Record<string, unknown> = { paid_at: TypeKind.TYPE_TIMESTAMP, loaded_at: TypeKind.TYPE_TIMESTAMP, total: TypeKind.TYPE_NUMERIC, n: TypeKind.TYPE_INT64 };
    for (const name of ['paid_at', 'kind', 'total', 'cur', 'mail', 'tel', 'fn', 'town', 'postcode', 'born', 'items', 'n', 'loaded_at']) {
      orders.addSimpleColumn(new SimpleColumn('orders', name, new SimpleType(types[name] ?? TypeKind.TYPE_STRING)));
    }
    const languageOptions = await new LanguageOptions().enableMaximumLanguageFeatures();
    await catalog.addZetaSQLFunctions(new ZetaSQLBuiltinFunctionOptions(languageOptions));
    await catalog.register();

    const config: LoadedConfig = { ...parseConfig(CONFIG, {}), file: `${ROOT}/activations.yml`, dir: ROOT };
    const r = createRenderer(bigqueryDialect);
    const views = await renderActivation(config, 'orders', r, 'capi_sync', async () => textColumns(['paid_at', 'kind', 'total', 'cur', 'mail', 'tel', 'fn', 'town', 'postcode', 'born', 'items', 'n', 'loaded_at']));
    const select = views.prepared.replace(/^create view \S+ as\n/, '');
    const analyzed = await client.analyze({ sqlStatement: select, registeredCatalogId: catalog.registeredId, options: { languageOptions: catalog.builtinFunctionOptions.languageOptions } });
    const columns = analyzed.resolvedStatement.resolvedQueryStmtNode.outputColumnList.map((c: { name: string }) => c.name);
    expect(columns).toEqual(['event_id', 'cursor', 'event_time', 'reason', 'payload']);
  }, 120_000);
});
