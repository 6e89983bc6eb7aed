import { afterEach, describe, expect, it } from 'vitest';
import { WarehouseError } from '../../runner/errors.ts';
import { openBigQuery, type BigQueryConfig } from '../../runner/warehouse/bigquery.ts';
import { openSnowflake, type SnowflakeConfig } from '../../runner/warehouse/snowflake.ts';
import type { Row, Warehouse } from '../../runner/warehouse/types.ts';
import { startBigQueryStandin } from '../standins/bigquery-standin.ts';
import { FakeWarehouse, rows } from '../standins/fake-warehouse.ts';
import { startSnowflakeStandin } from '../standins/snowflake-standin.ts';
import { until } from '../delivery/pg-project.ts';
import { startHttpProxy, type HttpProxyOptions } from './http-proxy.ts';
import { startProxy } from './tcp-proxy.ts';

/** snowflake-sdk and @google-cloud/bigquery, unchanged, against the stand-ins, with the network between them broken on purpose. */
const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});
function later<T extends { close(): Promise<unknown> }>(thing: T): T {
  open.push(thing);
  return thing;
}

async function drain(stream: AsyncIterable<Row[]>): Promise<Row[]> {
  const all: Row[] = [];
  for await (const batch of stream) all.push(...batch);
  return all;
}

const snowflakeConfig = (url: string, timeout: number): SnowflakeConfig => ({
  type: 'snowflake', account: 'acme-test', user: 'CAPI', database: 'SALES', schema: 'capi_sync', password: 'secret', access_url: url,
  checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: timeout, held_back_summary: false, ledger_retention_days: 90,
});
const bigqueryConfig = (url: string, timeout: number): BigQueryConfig => ({
  type: 'bigquery', project: 'acme-analytics', dataset: 'capi_sync', location: 'EU', api_endpoint: url,
  checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: timeout, held_back_summary: false, ledger_retention_days: 90,
});

async function snowflake(engine: FakeWarehouse, faults: Omit<HttpProxyOptions, 'target'> = {}, timeout = 10) {
  const standin = later(await startSnowflakeStandin({ engine, account: 'acme-test', user: 'CAPI', password: 'secret' }));
  const proxy = later(await startHttpProxy({ target: standin.url, ...faults }));
  const wh = later(await openSnowflake(snowflakeConfig(proxy.url, timeout), '/tmp'));
  return { standin, proxy, wh };
}

async function bigquery(engine: FakeWarehouse, faults: Omit<HttpProxyOptions, 'target'> = {}, timeout = 10, slowJobs = false) {
  const standin = later(await startBigQueryStandin({ engine, project: 'acme-analytics', slowJobs }));
  const proxy = later(await startHttpProxy({ target: standin.url, ...faults }));
  const wh = later(await openBigQuery(bigqueryConfig(proxy.url, timeout), '/tmp'));
  return { standin, proxy, wh };
}

const slowRead = (engine: FakeWarehouse) => engine.rules.push({ match: /^select slow$/, answer: () => ({ kind: 'hang' }) });

describe('Snowflake: timeouts, stops and lost connections', () => {
  it('the first stop signal during a slow first read cancels the statement (abort-request) and ends the stream at once, without an error', async () => {
    const engine = new FakeWarehouse();
    slowRead(engine);
    const { standin, wh } = await snowflake(engine);
    const stop = new AbortController();
    const reading = drain(wh.stream('select slow', [], { fetchSize: 100, signal: stop.signal }));
    await until(() => engine.count(/^select slow$/) === 1, 10_000, 'the query to be sent');
    stop.abort('SIGTERM');
    expect(await reading).toEqual([]);
    await until(() => standin.requests.includes('POST /queries/v1/abort-request'), 5000, 'the cancel to reach Snowflake');
  });

  it('connecting through a network that does not answer fails after timeout_seconds, naming the account', async () => {
    const standin = later(await startSnowflakeStandin({ engine: new FakeWarehouse(), account: 'acme-test', user: 'CAPI', password: 'secret' }));
    const hole = later(await startProxy(Number(new URL(standin.url).port)));
    hole.blackhole();
    const error = await openSnowflake(snowflakeConfig(`http://127.0.0.1:${hole.port}`, 0.5), '/tmp').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^cannot connect to Snowflake account acme-test as CAPI \(password auth\): Snowflake did not answer within 0.5 s while connecting/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('connections reset by the network mid-query: the call fails after timeout_seconds, not after the driver\'s 1,000 retries', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select 1$/, answer: () => rows([['ONE', 'integer']], [[1]]) });
    const { wh } = await snowflake(engine, { reset: (method, path) => path === '/queries/v1/query-request' }, 1);
    const error = await wh.query('select 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/Snowflake did not answer within 1 s while running select 1/);
    expect((error as WarehouseError).unreachable).toBe(true);
  });
});

describe('BigQuery: timeouts, stops and lost connections', () => {
  it('the first stop signal while a result page is awaited cancels the job (jobs.cancel) and ends the stream at once, without an error', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select slow$/, answer: () => rows([['N', 'integer']], Array.from({ length: 300 }, (_, i) => [i])) });
    // The first page comes with jobs.query; the second never comes.
    const { proxy, wh } = await bigquery(engine, { hold: (method, path) => method === 'GET' && /\/queries\/[^/]+$/.test(path) });
    const stop = new AbortController();
    const seen: Row[] = [];
    const reading = (async () => {
      for await (const batch of wh.stream('select slow', [], { fetchSize: 100, signal: stop.signal })) seen.push(...batch);
    })();
    await until(() => proxy.held() === 1, 10_000, 'the second page to be asked for');
    stop.abort('SIGTERM');
    await reading;
    expect(seen).toHaveLength(100);
    await until(() => proxy.requests.some((r) => /^POST \/bigquery\/v2\/projects\/acme-analytics\/jobs\/[^/]+\/cancel$/.test(r)), 5000, 'jobs.cancel');
  });

  it('a stop before jobs.query answers ends the stream at once; the job is cancelled as soon as the answer names it', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select slow$/, answer: () => rows([['N', 'integer']], Array.from({ length: 300 }, (_, n) => [n])) });
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const standin = later(await startBigQueryStandin({ engine, project: 'acme-analytics', slowJobs: true }));
    // A proxy that holds jobs.query until the test lets it through.
    const { createServer, request } = await import('node:http');
    const slow = createServer((req, res) => {
      const forward = () => req.pipe(request(`${standin.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }));
      if (req.method === 'POST' && new URL(req.url ?? '/', 'http://x').pathname.endsWith('/queries')) void gate.then(forward);
      else forward();
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    later({ close: () => new Promise((resolve) => { slow.closeAllConnections(); slow.close(resolve); }) });
    const wh = later(await openBigQuery(bigqueryConfig(`http://127.0.0.1:${(slow.address() as { port: number }).port}`, 10), '/tmp'));
    const stop = new AbortController();
    const reading = drain(wh.stream('select slow', [], { fetchSize: 100, signal: stop.signal }));
    await until(() => standin.requests.length === 0, 1000, 'nothing to reach the stand-in yet');
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort('SIGTERM');
    expect(await reading).toEqual([]);
    release();
    await until(() => standin.requests.some((r) => /\/jobs\/[^/]+\/cancel/.test(r)), 5000, 'jobs.cancel once the job is known');
  });

  it('a connection reset by the network is a WarehouseError naming BigQuery, not a crash', async () => {
    const engine = new FakeWarehouse();
    const { wh } = await bigquery(engine, { reset: () => true });
    const error = await wh.query('select 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^BigQuery: .*\n {2}in: select 1$/);
  });
});
