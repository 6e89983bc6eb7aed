import { afterEach, describe, expect, test } from 'vitest';
import { startBigQueryStandin } from '../standins/bigquery-standin.ts';
import { FakeWarehouse, rows } from '../standins/fake-warehouse.ts';
import { startSnowflakeStandin } from '../standins/snowflake-standin.ts';
import { runCli, tempProject } from '../support/cli.ts';

/** `capi-sync deploy` as a user runs it (the CLI, in its own process) against each stand-in. */
const WAREHOUSES = [
  {
    name: 'bigquery',
    start: (engine: FakeWarehouse) => startBigQueryStandin({ engine, project: 'acme-analytics' }),
    yaml: (url: string) => `{ type: bigquery, project: acme-analytics, dataset: capi_sync, location: EU, api_endpoint: "${url}" }`,
    /** How the column check reaches the warehouse: a dry run of the source, or a select of no rows. */
    columns: /^select \* from `shop`.`orders`$/,
    names: ['paid_at', 'mail', 'loaded_at'],
    hash: 'to_hex(sha256(',
    /** How deploy replaces a view: dropped (in dependency order), then created. */
    views: [
      /^drop view if exists .*store_purchases_sent$/, /^drop view if exists .*store_purchases_outbound$/, /^drop view if exists .*store_purchases_rejected$/,
      /^drop view if exists .*store_purchases_prepared$/, /^create view .*store_purchases_prepared$/, /^create view .*store_purchases_outbound$/,
      /^create view .*store_purchases_rejected$/, /^create view .*store_purchases_sent$/,
    ],
  },
  {
    name: 'snowflake',
    start: (engine: FakeWarehouse) => startSnowflakeStandin({ engine, account: 'acme', user: 'CAPI', password: 'secret' }),
    yaml: (url: string) => `{ type: snowflake, account: acme, user: CAPI, database: SALES, password: "\${SNOWFLAKE_PASSWORD}", access_url: "${url}" }`,
    columns: /^select \* from \(select \* from "SHOP"."ORDERS"\) as q limit 0$/,
    /** As Snowflake answers the names of unquoted columns: upper-case. */
    names: ['PAID_AT', 'MAIL', 'LOADED_AT'],
    hash: 'sha2(',
    /** Replaced in place with copy grants, never dropped: a dropped view loses the grants made on it. */
    views: [
      /^create or replace view .*store_purchases_prepared copy grants$/, /^create or replace view .*store_purchases_outbound copy grants$/,
      /^create or replace view .*store_purchases_rejected copy grants$/, /^create or replace view .*store_purchases_sent copy grants$/,
    ],
  },
] as const;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe.each(WAREHOUSES)('capi-sync deploy on $name', (w) => {
  test('creates the schema, the tables and the views, in that order, and keeps the views\' fingerprint', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: w.columns, answer: () => rows([[w.names[0], 'timestamp'], [w.names[1], 'text'], [w.names[2], 'timestamp']], []) });
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const dir = await tempProject({
      'activations.yml': `warehouse: ${w.yaml(standin.url)}
snapchat: { endpoint: sandbox }
activations:
  store_purchases: { pixel_id: px, event_name: PURCHASE, source: shop.orders, cursor: loaded_at, mapping: { event_time: paid_at, email: mail } }
`,
    });
    const cli = await runCli(['deploy', '--config', `${dir}/activations.yml`], { env: { SNOWFLAKE_PASSWORD: 'secret' } });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/deployed store_purchases: views .*capi_sync\.store_purchases_outbound/);
    const ddl = engine.log.filter((s) => /^(create|drop|alter) /i.test(s.sql)).map((s) => s.sql.split(' (')[0].split(' as ')[0].split(' add column ')[0]);
    expect(ddl.map((s) => s.replace(/[`"]/g, '').toLowerCase())).toEqual([
      expect.stringMatching(/^create schema if not exists (acme-analytics\.)?capi_sync$/),
      expect.stringMatching(/^create table if not exists .*capi_sync_state$/),
      ...Array(5).fill(expect.stringMatching(/^alter table .*capi_sync_state$/)),
      expect.stringMatching(/^create table if not exists .*capi_sync_runs$/),
      expect.stringMatching(/^alter table .*capi_sync_runs$/),
      expect.stringMatching(/^create table if not exists .*capi_sync_delivery_errors$/),
      expect.stringMatching(/^create table if not exists .*capi_sync_ledger$/),
      ...w.views.map((v) => expect.stringMatching(v)),
    ]);
    expect(engine.log.find((s) => /^create (or replace )?view \S+prepared/i.test(s.sql))!.sql).toContain(w.hash);
    expect(engine.state.get('store_purchases')?.views_fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});
