import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { POSTGRES_URL, dropSchemas, pgQuery, postgresReachable, uniqueName } from '../support/postgres.ts';

const TOKEN = 'e2e-token';
const source = uniqueName('e2e_shop');
const schema = uniqueName('e2e_capi');

function config(endpoint: string, extra = ''): string {
  return `
warehouse:
  type: postgres
  url: \${TEST_DATABASE_URL}
  schema: ${schema}
snapchat:
  access_token: \${TEST_SNAP_TOKEN}
  endpoint: ${endpoint}
  batch_size: 25
  max_in_flight: 2
  retry: { max_retries: 1, min_timeout: 10, max_timeout: 20 }
${extra}
activations:
  orders:
    pixel_id: pixel-42
    event_name: purchase
    source: ${source}.orders
    cursor: loaded_at
    phone_country_code: "44"
    mapping:
      event_time: paid_at
      order_id: ref
      email: mail
      phone: tel
      value: total
      currency: cur
`;
}

async function insertOrders(from: number, count: number): Promise<void> {
  await pgQuery(
    `insert into ${source}.orders
     select 'ord-' || g, now() - interval '1 hour' - g * interval '1 second', clock_timestamp() + g * interval '1 microsecond',
            ' Buyer' || g || '@Example.COM ', '07700 900' || lpad(g::text, 3, '0'), 10 + g, 'gbp'
     from generate_series($1::int, $2::int) g`,
    [from, from + count - 1],
  );
}

const env = { TEST_DATABASE_URL: POSTGRES_URL, TEST_SNAP_TOKEN: TOKEN };

describe.skipIf(!postgresReachable)('sync from Postgres with source + mapping', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    await pgQuery(`create schema ${source}`);
    await pgQuery(`create table ${source}.orders (ref text, paid_at timestamptz, loaded_at timestamptz, mail text, tel text, total numeric, cur text)`);
    await insertOrders(1, 120);
    // Held back: too old, and no usable identifier.
    await pgQuery(`insert into ${source}.orders values ('old-1', now() - interval '30 days', now(), 'a@b.co', null, 5, 'GBP'), ('anon-1', now() - interval '1 hour', now(), 'not an email', '12', 5, 'GBP')`);
    sandbox = await startSandbox({ token: TOKEN });
  });
  afterAll(async () => {
    await sandbox?.close();
    await dropSchemas(source, schema);
  });

  it('sends every eligible event once, hashed, and later only the new rows', async () => {
    const dir = await tempProject({ 'activations.yml': config(sandbox.url) });
    const first = await runCli(['run'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(sandbox.stats().accepted).toBe(120);
    expect(first.stdout).toContain('held back by the view: 1 event_too_old, 1 no_user_identifier');

    const bodies = JSON.stringify(sandbox.events());
    expect(bodies).not.toMatch(/example\.com/i);
    expect(bodies).not.toContain('07700');
    const ids = sandbox.events().map((e) => (e as { event_id: string }).event_id);
    expect(new Set(ids).size).toBe(120);
    const outbound = await pgQuery(`select * from ${schema}.orders_outbound`);
    expect(outbound).toHaveLength(120);
    expect(Object.keys(outbound[0]).sort()).toEqual(['cursor', 'event_id', 'payload']);

    await insertOrders(121, 30);
    const preview = await runCli(['sync', '--dry-run'], { cwd: dir, env });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/orders: dry run — 30 event\(s\) past the watermark .* would be sent in 2 request\(s\); nothing was sent/);
    expect(JSON.parse(/first event: (.*)$/m.exec(preview.stdout)![1])).toMatchObject({ event_name: 'PURCHASE', event_id: 'ord-121' });
    const checked = await runCli(['check', '--validate'], { cwd: dir, env });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('orders: Snap validated 30 pending event(s): VALID (nothing recorded)');
    expect(sandbox.stats().accepted).toBe(120);

    const second = await runCli(['sync'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('sent 30 event(s)');
    const all = sandbox.events().map((e) => (e as { event_id: string }).event_id);
    expect(all).toHaveLength(150);
    expect(new Set(all).size).toBe(150);

    const third = await runCli(['sync'], { cwd: dir, env });
    expect(third.stdout).toContain('sent 0 event(s)');
    expect(sandbox.stats().accepted).toBe(150);
  });

  it('keeps what Snap accepted in the ledger when Snap fails mid-run; the next run sends only the rest', async () => {
    await pgQuery(`truncate ${source}.orders`);
    await insertOrders(1000, 100);
    // A Snap that accepts three requests, then fails every request after.
    let answered = 0;
    const received: string[] = [];
    const flaky = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (++answered <= 3) {
          received.push(...JSON.parse(body).data.map((e: { event_id: string }) => e.event_id));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"VALID","reason":"ok"}');
        } else {
          res.writeHead(500).end('{"status":"INTERNAL_ERROR"}');
        }
      });
    });
    await new Promise<void>((done) => flaky.listen(0, '127.0.0.1', done));
    const dir = await tempProject({ 'activations.yml': config(`http://127.0.0.1:${(flaky.address() as AddressInfo).port}`).replace('max_in_flight: 2', 'max_in_flight: 1') });
    await pgQuery(`delete from ${schema}.capi_sync_state`);

    const failed = await runCli(['run'], { cwd: dir, env });
    flaky.close();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('gave up after');
    expect(received).toHaveLength(75);
    const sent = (await pgQuery<{ event_id: string }>(`select event_id from ${schema}.orders_sent where event_id = any($1)`, [received])).map((r) => r.event_id);
    expect(sent.sort()).toEqual([...received].sort());
    const [run] = await pgQuery<{ status: string; error: string }>(`select status, error from ${schema}.capi_sync_runs order by started_at desc limit 1`);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('500');

    sandbox.reset();
    const dir2 = await tempProject({ 'activations.yml': config(sandbox.url) });
    const ok = await runCli(['sync'], { cwd: dir2, env });
    expect(ok.code).toBe(0);
    const rest = sandbox.events().map((e) => (e as { event_id: string }).event_id);
    expect(rest).toHaveLength(25);
    expect(new Set([...received, ...rest]).size).toBe(100);
    expect(rest.filter((id) => received.includes(id))).toEqual([]);
  });

  it('stops at once when Snap refuses the token, naming the pixel, with the watermark unchanged', async () => {
    const dir = await tempProject({ 'activations.yml': config(sandbox.url) });
    const [before] = await pgQuery(`select cursor, event_id from ${schema}.capi_sync_state where activation = 'orders'`);
    await insertOrders(5000, 10);
    const refused = await runCli(['sync'], { cwd: dir, env: { ...env, TEST_SNAP_TOKEN: 'wrong-token' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Snap refused the access token for pixel pixel-42');
    expect(refused.stderr + refused.stdout).not.toContain('wrong-token');
    const [after] = await pgQuery(`select cursor, event_id from ${schema}.capi_sync_state where activation = 'orders'`);
    expect(after).toEqual(before);
  });

  it('demo sends to the built-in sandbox whatever the endpoint, and shows one event as received', async () => {
    const dir = await tempProject({ 'activations.yml': config(sandbox.url) });
    expect((await runCli(['reset', 'orders', '--from-start'], { cwd: dir, env })).code).toBe(0);
    const before = sandbox.stats().accepted;
    const shown = await runCli(['demo'], { cwd: dir, env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('endpoint: the built-in Snap sandbox');
    const event = JSON.parse(/one event as the sandbox received it:\n(\{[\s\S]*?\n\})/.exec(shown.stdout)![1]);
    expect(event).toMatchObject({ event_name: 'PURCHASE', action_source: 'OFFLINE' });
    expect(event.user_data.em[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(sandbox.stats().accepted).toBe(before);
  });
});
