import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { WarehouseError } from '../../runner/errors.ts';
import { openSnowflake, quoteSnowflake, unfoldSnowflake, type SnowflakeConfig } from '../../runner/warehouse/snowflake.ts';
import type { Row, Warehouse } from '../../runner/warehouse/types.ts';
import { FakeWarehouse, rows } from '../standins/fake-warehouse.ts';
import { startSnowflakeStandin, type SnowflakeStandin, type SnowflakeStandinOptions } from '../standins/snowflake-standin.ts';
import { tempProject } from '../support/cli.ts';

/** snowflake-sdk, unchanged, against a local stand-in of Snowflake's REST protocol (tests/standins). */
const open: (Warehouse | SnowflakeStandin)[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function setup(options: Partial<SnowflakeStandinOptions> = {}, config: Partial<SnowflakeConfig> = {}) {
  const engine = options.engine ?? new FakeWarehouse();
  const standin = await startSnowflakeStandin({ account: 'acme-test', user: 'CAPI', password: 'secret', ...options, engine });
  open.push(standin);
  const connect = async (more: Partial<SnowflakeConfig> = {}) => {
    const wh = await openSnowflake(
      { type: 'snowflake', account: 'acme-test', user: 'CAPI', database: 'SALES', schema: 'capi_sync', password: 'secret', access_url: standin.url, checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: 10, held_back_summary: false, ledger_retention_days: 90, ...config, ...more },
      '/tmp',
    );
    open.push(wh);
    return wh;
  };
  return { engine, standin, wh: await connect(), connect };
}

async function collect(stream: AsyncIterable<Row[]>): Promise<Row[][]> {
  const batches: Row[][] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

describe('snowflake names', () => {
  test('lower-case names are quoted upper-case, so they are the unquoted names auditors write', () => {
    expect(quoteSnowflake('event_id')).toBe('"EVENT_ID"');
    expect(quoteSnowflake('capi_sync')).toBe('"CAPI_SYNC"');
    expect(quoteSnowflake('Email')).toBe('"Email"');
    expect(quoteSnowflake('my "odd" col')).toBe('"my ""odd"" col"');
    expect(unfoldSnowflake('EVENT_ID')).toBe('event_id');
    expect(unfoldSnowflake('Email')).toBe('Email');
  });
});

describe('snowflake adapter against the stand-in', () => {
  test('logs in with a password and reads rows with their types, names unfolded', async () => {
    const engine = new FakeWarehouse();
    const at = new Date('2026-05-01T12:00:00.123Z');
    engine.rules.push({
      match: /^select \* from types$/,
      answer: () => rows([['NAME', 'text'], ['N', 'integer'], ['RATE', 'float'], ['OK', 'boolean'], ['AT', 'timestamp'], ['DOC', 'json'], ['Mixed', 'text']], [['José', 42, 0.5, true, at, { a: [1] }, null]]),
    });
    const { wh, standin } = await setup({ engine });
    const [row] = await wh.query('select * from types');
    expect(row).toMatchObject({ name: 'José', n: 42, rate: 0.5, ok: true, doc: { a: [1] }, Mixed: null });
    expect(new Date(row.at as Date).getTime()).toBe(at.getTime());
    expect(standin.requests[0]).toBe('POST /session/v1/login-request');
  });

  test('a wrong password is a WarehouseError naming the account and user, at once', async () => {
    const { connect } = await setup();
    const started = Date.now();
    const error = await connect({ password: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/cannot connect to Snowflake account acme-test as CAPI \(password auth\): Incorrect username or password/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('key-pair auth: the driver signs a JWT the stand-in verifies; an encrypted key file with its passphrase', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dir = await tempProject({});
    const file = join(dir, 'rsa_key.p8');
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass phrase' }));
    const { wh: withFile, connect } = await setup({ publicKey, password: undefined }, { password: undefined, private_key_path: file, private_key_passphrase: 'pass phrase' });
    expect(await withFile.exec('create schema if not exists "CAPI_SYNC"')).toBe(0);
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(connect({ private_key_path: undefined, private_key_passphrase: undefined, private_key: pem })).resolves.toBeDefined();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(connect({ private_key_path: undefined, private_key_passphrase: undefined, private_key: other })).rejects.toThrow(/\(key pair auth\): Incorrect username or password/);
  });

  test('streams 100,000 rows from 20 chunks in order, in batches of at most fetchSize', async () => {
    const engine = new FakeWarehouse();
    engine.outbound = Array.from({ length: 100_000 }, (_, i) => ({ event_id: `e${String(i).padStart(6, '0')}`, cursor: String(i), payload: `{"n":${i}}` }));
    const { wh, standin } = await setup({ engine, chunkRows: 5000 });
    const batches = await collect(wh.stream('select event_id, cursor, payload from "CAPI_SYNC"."A_OUTBOUND"', [], { fetchSize: 2000 }));
    expect(batches).toHaveLength(50);
    expect(batches.every((b) => b.length === 2000)).toBe(true);
    const flat = batches.flat();
    expect(flat[0]).toEqual({ event_id: 'e000000', cursor: '0', payload: '{"n":0}' });
    expect(flat.every((r, i) => r.cursor === String(i))).toBe(true);
    expect(standin.requests.filter((r) => r.startsWith('GET /chunks/'))).toHaveLength(19);
    expect(standin.requests.filter((r) => r === 'POST /queries/v1/query-request')).toHaveLength(1);
  });

  test('a query still running (333333) is polled until its result is there', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select 2$/, answer: () => rows([['TWO', 'integer']], [[2]]) });
    const { wh, standin } = await setup({ engine, slowQueries: true });
    expect(await wh.query('select 2')).toEqual([{ two: 2 }]);
    expect(standin.requests.some((r) => /^GET \/queries\/[^/]+\/result$/.test(r))).toBe(true);
  });

  test('DML counts decide the lease: one holder, released, taken over after a crash', async () => {
    const { engine, wh, connect } = await setup();
    const other = await connect();
    const lock = await wh.tryLock('store_purchases');
    expect(lock).not.toBeNull();
    expect(await other.tryLock('store_purchases')).toBeNull();
    await lock!.release();
    const crashed = await other.tryLock('store_purchases');
    expect(crashed).not.toBeNull();
    expect(await wh.tryLock('store_purchases')).toBeNull();
    engine.clock = () => Date.now() + 601_000; // the holder died without releasing; its lease ran out
    expect(await wh.tryLock('store_purchases')).not.toBeNull();
    expect([...engine.state.keys()]).toEqual(['store_purchases']);
    expect(engine.count(/^update "CAPI_SYNC"."CAPI_SYNC_STATE" set lease_owner = \?/)).toBe(5);
  });

  test('exec answers the rows a MERGE inserted and updated', async () => {
    const { wh } = await setup();
    const upsert = 'merge into "CAPI_SYNC"."CAPI_SYNC_STATE" as s using (select ? as activation, ? as cursor, ? as event_id) as w on s.activation = w.activation';
    expect(await wh.exec(upsert, ['a', '2026-05-01', 'e1'])).toBe(1);
    expect(await wh.query('select cursor, event_id, views_fingerprint, ledger_pruned_at from "CAPI_SYNC"."CAPI_SYNC_STATE" where activation = ?', ['a'])).toEqual([{ cursor: '2026-05-01', event_id: 'e1', views_fingerprint: null, ledger_pruned_at: null }]);
  });

  test('a SQL error is a WarehouseError with Snowflake\'s code and the statement', async () => {
    const { wh } = await setup();
    const error = await wh.query('select * from nowhere\nwhere 1 = 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as Error).message).toMatch(/^Snowflake: SQL compilation error: .*\(code 002003, SQL state 42S02\)\n {2}in: select \* from nowhere$/);
  });

  test('a statement that gets no answer fails after timeout_seconds, not after the driver\'s retries', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /^select sleep$/, answer: () => ({ kind: 'hang' }) });
    const { wh } = await setup({ engine }, { timeout_seconds: 0.5 });
    const started = Date.now();
    await expect(wh.query('select sleep')).rejects.toThrow(/Snowflake did not answer within 0.5 s while running select sleep/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('columns() answers the names a select would return, unfolded', async () => {
    const engine = new FakeWarehouse();
    engine.rules.push({ match: /limit 0$/, answer: () => rows([['EVENT_TIME', 'timestamp'], ['EMAIL', 'text'], ['Mixed Case', 'text']], []) });
    const { wh } = await setup({ engine });
    expect((await wh.columns('select * from shop.orders')).map((c) => c.name)).toEqual(['event_time', 'email', 'Mixed Case']);
  });

  test('the driver writes no snowflake.log', () => {
    expect(existsSync(join(process.cwd(), 'snowflake.log'))).toBe(false);
  });
});
