import { afterEach, describe, expect, test } from 'vitest';
import { ConfigError, WarehouseError } from '../../runner/errors.ts';
import { openBigQuery, quoteBigQuery, type BigQueryConfig } from '../../runner/warehouse/bigquery.ts';
import type { Row, Warehouse } from '../../runner/warehouse/types.ts';
import { startBigQueryStandin, type BigQueryStandin, type BigQueryStandinOptions } from '../standins/bigquery-standin.ts';
import { FakeWarehouse, rows } from '../standins/fake-warehouse.ts';

/** @google-cloud/bigquery 8.x, unchanged, against a local stand-in of the BigQuery REST API (tests/standins). */
const open: (Warehouse | BigQueryStandin)[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function setup(options: Partial<BigQueryStandinOptions> = {}, config: Partial<BigQueryConfig> = {}) {
  const engine = options.engine ?? new FakeWarehouse();
  const standin = await startBigQueryStandin({ project: 'acme-analytics', ...options, engine });
  open.push(standin);
  const connect = async () => {
    const wh = await openBigQuery({ type: 'bigquery', project: 'acme-analytics', dataset: 'capi_sync', location: 'EU', api_endpoint: standin.url, checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: 10, held_back_summary: false, ledger_retention_days: 90, ...config }, '/tmp');
    open.push(wh);
    return wh;
  };
  return { engine, standin, wh: await connect(), connect };
}

const queries = (standin: BigQueryStandin) => standin.requests.filter((r) => r.startsWith('POST /bigquery/v2/projects/acme-analytics/queries'));
const pages = (standin: BigQueryStandin) => standin.requests.filter((r) => r.startsWith('GET /bigquery/v2/projects/acme-analytics/queries/'));

describe('bigquery names', () => {
  test('identifiers in backticks; the schema is project-qualified', async () => {
    expect(quoteBigQuery('event_id')).toBe('`event_id`');
    expect(quoteBigQuery('a`b\\c')).toBe('`a\\`b\\\\c`');
    const { wh } = await setup();
    expect(wh.schema).toBe('acme-analytics.capi_sync');
  });
});

describe('bigquery adapter against the stand-in', () => {
  test('reads rows with their types, sends no credentials to a local endpoint', async () => {
    const engine = new FakeWarehouse();
    const at = new Date('2026-05-01T12:00:00.123Z');
    engine.rules.push({
      match: /^select \* from types$/,
      answer: () => rows([['name', 'text'], ['n', 'integer'], ['rate', 'float'], ['ok', 'boolean'], ['at', 'timestamp'], ['doc', 'json'], ['none', 'text']], [['José', 42, 0.5, true, at, { a: [1] }, null]]),
    });
    const { wh, standin } = await setup({ engine });
    const [row] = await wh.query('select * from types');
    expect(row).toMatchObject({ name: 'José', n: 42, rate: 0.5, ok: true, doc: '{"a":[1]}', none: null });
    expect((row.at as { value: string }).value).toBe('2026-05-01T12:00:00.123Z');
    expect(standin.authorizations).toEqual([]);
    expect(standin.bodies[0]).toMatchObject({ query: 'select * from types', location: 'EU', useLegacySql: false });
  });

  test('streams one job page by page, each page fetched only when the consumer asks for it', async () => {
    const engine = new FakeWarehouse();
    engine.outbound = Array.from({ length: 2500 }, (_, i) => ({ event_id: `e${i}`, cursor: String(i), payload: `{"n":${i}}` }));
    const { wh, standin } = await setup({ engine });
    const stream = wh.stream('select event_id, cursor, payload from `acme-analytics.capi_sync`.`a_outbound`', [], { fetchSize: 1000 });
    const seen: Row[][] = [];
    const requestsAtEachBatch: number[] = [];
    for await (const batch of stream) {
      seen.push(batch);
      requestsAtEachBatch.push(pages(standin).length);
    }
    expect(seen.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(requestsAtEachBatch).toEqual([0, 1, 2]);
    expect(seen.flat().every((r, i) => r.cursor === String(i))).toBe(true);
    expect(queries(standin)).toHaveLength(1);
    expect(pages(standin).every((r) => r.includes('maxResults=1000'))).toBe(true);
  });

  test('a job still running (jobComplete: false) is polled, for rows and for a DML count', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select 2$/, answer: () => rows([['two', 'integer']], [[2]]) });
    const { wh, standin } = await setup({ engine, slowJobs: true });
    expect(await wh.query('select 2')).toEqual([{ two: 2 }]);
    const upsert = 'merge into `acme-analytics.capi_sync`.`capi_sync_state` as s using (select ? as activation, ? as cursor, ? as event_id) as w on s.activation = w.activation';
    expect(await wh.exec(upsert, ['a', null, null])).toBe(1);
    expect(pages(standin)).toHaveLength(2);
  });

  test('positional parameters are typed; a null one as STRING', async () => {
    const { wh, standin } = await setup();
    await wh.exec('insert into `acme-analytics.capi_sync`.`capi_sync_runs` (run_id, sent, rate, error) values (?, ?, ?, ?)', ['r1', 3, 0.5, null]);
    expect(standin.bodies[0].queryParameters.map((p: { parameterType: { type: string } }) => p.parameterType.type)).toEqual(['STRING', 'INT64', 'FLOAT64', 'STRING']);
  });

  test('maximum_bytes_billed is sent with every query; a query over it fails saying what to change', async () => {
    const { wh, standin } = await setup({ bytesProcessed: 50_000_000 }, { maximum_bytes_billed: 10_000_000 });
    const error = await wh.query('select * from `acme-analytics.capi_sync`.`a_outbound`').catch((e: unknown) => e);
    expect(standin.bodies[0].maximumBytesBilled).toBe('10000000');
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/bytesBilledLimitExceeded.*raise warehouse.maximum_bytes_billed/);
  });

  test('a SQL error is a WarehouseError with BigQuery\'s reason and the statement', async () => {
    const { wh } = await setup();
    const error = await wh.query('select * from nowhere\nwhere 1 = 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^BigQuery: SQL compilation error: .*\(invalidQuery, HTTP 400\)\n {2}in: select \* from nowhere$/);
  });

  test('DML counts decide the lease: one holder, released, taken over after a crash', async () => {
    const { engine, wh, connect } = await setup();
    const other = await connect();
    const lock = await wh.tryLock('store_purchases');
    expect(lock).not.toBeNull();
    expect(await other.tryLock('store_purchases')).toBeNull();
    await lock!.release();
    expect(await other.tryLock('store_purchases')).not.toBeNull();
    expect(await wh.tryLock('store_purchases')).toBeNull();
    engine.clock = () => Date.now() + 601_000;
    expect(await wh.tryLock('store_purchases')).not.toBeNull();
    expect([...engine.state.keys()]).toEqual(['store_purchases']);
  });

  test('columns() is a dry run: the schema without reading or billing a byte', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select \* from `shop`.`orders`$/, answer: () => rows([['event_time', 'timestamp'], ['email', 'text'], ['n', 'integer'], ['total', 'float']], []) });
    const { wh, standin } = await setup({ engine });
    // Types as GoogleSQL names them (the REST schema says INTEGER and FLOAT): the read casts to the cursor's.
    expect(await wh.columns('select * from `shop`.`orders`')).toEqual([
      { name: 'event_time', type: 'TIMESTAMP', kind: 'timestamp' }, { name: 'email', type: 'STRING', kind: 'text' },
      { name: 'n', type: 'INT64', kind: 'number' }, { name: 'total', type: 'FLOAT64', kind: 'number' },
    ]);
    expect(standin.bodies[0].configuration).toMatchObject({ dryRun: true });
    expect(queries(standin)).toHaveLength(0);
  });

  test('a page that never comes fails after timeout_seconds', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select sleep$/, answer: () => ({ kind: 'hang' }) });
    const { wh } = await setup({ engine }, { timeout_seconds: 0.5 });
    const started = Date.now();
    await expect(wh.query('select sleep')).rejects.toThrow(/BigQuery did not answer within 0.5 s while running a query/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('BIGQUERY_EMULATOR_HOST is refused: the client would send every query there', async () => {
    process.env.BIGQUERY_EMULATOR_HOST = 'http://127.0.0.1:9';
    try {
      await expect(openBigQuery({ type: 'bigquery', project: 'p', dataset: 'd', checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: 10, held_back_summary: false, ledger_retention_days: 90 }, '/tmp')).rejects.toThrow(ConfigError);
    } finally {
      delete process.env.BIGQUERY_EMULATOR_HOST;
    }
  });
});
