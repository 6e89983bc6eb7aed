/** Where the benchmark deploys capi-sync's views and tables. */
export const TARGET_SCHEMA = 'capi_bench';

/** The benchmark's source table: N messy but valid orders, generated in SQL (same text on both warehouses). */
export function ordersDdl(schema: string): string {
  return `
drop schema if exists ${schema} cascade;
create schema ${schema};
create table ${schema}.orders (
  order_ref text, paid_at timestamptz, loaded_at timestamptz, email text, phone text,
  first_name text, last_name text, city text, zip text, country text, total numeric(12, 2), currency text
)`;
}

/**
 * The index an incremental-load table has on its load-time column (the activation's cursor): with it,
 * the warehouse returns rows in watermark order as it computes them (an incremental sort by event_id
 * within each cursor value) instead of computing and sorting the whole view before the first row.
 */
export function cursorIndex(schema: string): string {
  return `create index on ${schema}.orders (loaded_at)`;
}

export function ordersInsert(schema: string, from: number, to: number): string {
  return `
insert into ${schema}.orders
select 'ord-' || g,
  now() - interval '3 days' + g * interval '1 millisecond',
  now() - interval '3 days' + g * interval '1 millisecond',
  ' Customer' || g || '@Example.com ',
  '+1 (415) 555-' || lpad((g % 10000)::text, 4, '0'),
  (array['Ana', 'björn', 'CHLOÉ', 'Dmitri', ' Émile '])[1 + g % 5],
  (array['García', 'Müller', 'O''Neil', 'van der Berg', 'Smith-Jones'])[1 + g % 5],
  (array['San Francisco', 'Berlin', 'London', 'Paris', 'New York'])[1 + g % 5],
  (array['94103', '10115', 'EC1A 1BB', '75001', '10001-2345'])[1 + g % 5],
  (array['US', 'de', 'GB', 'FR', 'us'])[1 + g % 5],
  round((5 + (g * 7.31) % 250)::numeric, 2),
  (array['USD', 'usd', ' EUR ', 'GBP'])[1 + g % 4]
from generate_series(${from}, ${to}) g`;
}

/** The benchmark's activations.yml; `batchSize` unset leaves Snap's 2,000 (the default). */
export function activationsYml(warehouse: string, schema: string, endpoint: string, batchSize?: number): string {
  return `
warehouse:
${warehouse}
  schema: ${TARGET_SCHEMA}
snapchat:
  access_token: \${BENCH_TOKEN:-bench-token}
  endpoint: ${endpoint}${batchSize === undefined ? '' : `\n  batch_size: ${batchSize}`}
activations:
  orders:
    pixel_id: bench-pixel
    event_name: PURCHASE
    source: ${schema}.orders
    cursor: loaded_at
    mapping:
      event_time: paid_at
      order_id: order_ref
      email: email
      phone: phone
      first_name: first_name
      last_name: last_name
      city: city
      postal_code: zip
      country: country
      value: total
      currency: currency
`;
}

/** The columns the client-side baseline selects, raw. */
export const RAW_COLUMNS = 'order_ref, paid_at, email, phone, first_name, last_name, city, zip, country, total, currency';

/**
 * The floor's query: what an auditor reads with psql, every row of the outbound view (its event id and
 * payload), in no order — the warehouse's own cost of computing what capi-sync sends. capi-sync's read
 * adds the ledger anti-join and the cursor; the ratio shows what those and delivery cost on top.
 */
export const OUTBOUND_READ = `select event_id, payload from ${TARGET_SCHEMA}.orders_outbound`;
