import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { eventSchemaProblems, schemaProblems } from '../../runner/sandbox/validate-schema.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { POSTGRES_URL, dropSchemas, pgQuery, postgresReachable, uniqueName } from '../support/postgres.ts';
import { HOUR, NOW, isoZ, sha256 } from './harness.ts';

// An activation mapping every field capi-sync offers, with rows of all three action sources, synced by
// the real CLI on PGlite and on Postgres to the sandbox through a recording proxy: every outbound
// payload and every request body as posted must be valid under Snap's own v3 schema
// (runner/sandbox/snap-v3.schema.json, from Snap's business-sdk-v3-java).

const MADID = 'AEBE52E7-03EE-455A-B3C4-E57283966239';
const EXTINFO = 'a2, com.example.app, 771, Version 7.7.1, 14, Pixel 8, en_US, GMT+1, Carrier, 1080, 2400, 2.75, 8, 128, 64, Europe/London';
const COLUMNS = ['id', 'paid_at', 'kind', 'source', 'url', 'ref', 'total', 'cur', 'items', 'n', 'mail', 'tel', 'fname', 'lname', 'sex', 'town', 'region', 'postcode', 'cc', 'uid', 'ip', 'ua', 'click', 'cookie', 'ad_id', 'app', 'ext', 'ate', 'campaign', 'referrer', 'installer', 'schemes', 'win_id', 'loaded_at'];
const row = (i: number, source: string): (string | null)[] => [
  `e-${i}`, isoZ(NOW - HOUR - i), i % 2 ? 'PURCHASE' : 'add cart', source, 'https://shop.example.com/p/1?x=1', `ORD-${i}`, '12.50', 'eur', 'sku-1, sku-2', '2',
  `Person${i}@Example.com`, '+44 020 7946 0000', 'Raphaël', "O'Brien", 'female', 'New York', 'California', '10001-2345', 'United States', ` CUST-${i} `,
  '203.0.113.7', 'Mozilla/5.0', 'ScCid-1', 'cookie-1', MADID, '1234567890', EXTINFO, 'true', 'c-1', 'utm_source=snap', 'com.android.vending', 'myapp, myapp2', 'win-1',
  isoZ(NOW - 60 + i),
];
const ROWS = [row(1, 'OFFLINE'), row(2, 'web'), row(3, 'MOBILE_APP'), row(4, 'Offline'), row(5, 'WEB'), row(6, 'mobile app')];
const MAPPING = `{ event_time: paid_at, event_name: kind, event_id: id, action_source: source, event_source_url: url, order_id: ref,
        value: total, currency: cur, content_ids: items, num_items: n, email: mail, phone: tel, first_name: fname, last_name: lname,
        gender: sex, city: town, state: region, zip: postcode, country: cc, external_id: uid, client_ip_address: ip,
        client_user_agent: ua, sc_click_id: click, sc_cookie1: cookie, madid: ad_id, app_id: app, extinfo: ext,
        advertiser_tracking_enabled: ate, campaign_ids: campaign, install_referrer: referrer, installer_package: installer,
        url_schemes: schemes, windows_attribution_id: win_id }`;
const literal = (v: string | null) => (v === null ? 'null' : `'${v.replaceAll("'", "''")}'`);
const createSql = (table: string) =>
  `create table ${table} (${COLUMNS.map((c) => `${c} ${c === 'paid_at' || c === 'loaded_at' ? 'timestamptz' : 'text'}`).join(', ')});\n` +
  `insert into ${table} values ${ROWS.map((r) => `(${r.map(literal).join(', ')})`).join(', ')};\n`;

/** A proxy in front of the sandbox that keeps every request body as posted. */
async function recordingProxy(target: Sandbox): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    bodies.push(body.toString('utf8'));
    const answer = await fetch(`${target.url}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, close: () => new Promise((done) => server.close(() => done())) };
}

const WAREHOUSES = [
  { name: 'pglite', skip: false },
  { name: 'postgres', skip: !postgresReachable },
];

for (const wh of WAREHOUSES) describe.skipIf(wh.skip)(`every field, three action sources, on ${wh.name}, against Snap's v3 schema`, () => {
  let sandbox: Sandbox;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let dir: string;
  let schema: string;
  let output: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await recordingProxy(sandbox);
    schema = uniqueName('schema_capi');
    const source = uniqueName('schema_shop');
    const warehouse = wh.name === 'pglite'
      ? 'warehouse: { type: pglite, path: .capi-sync/warehouse, seeds: seeds }'
      : `warehouse: { type: postgres, url: ${POSTGRES_URL}, schema: ${schema} }`;
    dir = await tempProject({
      'activations.yml': `${warehouse}\nsnapchat: { access_token: t, endpoint: ${proxy.url}, batch_size: 2 }\nactivations:\n  every_field:\n    pixel_id: px\n    source: ${source}.orders\n    cursor: loaded_at\n    mapping: ${MAPPING}\n`,
    });
    if (wh.name === 'pglite') {
      await import('node:fs/promises').then(async (fs) => {
        await fs.mkdir(`${dir}/seeds`);
        await fs.writeFile(`${dir}/seeds/orders.sql`, `create schema ${source};\n${createSql(`${source}.orders`)}`);
      });
    } else {
      await pgQuery(`create schema ${source}`);
      await pgQuery(createSql(`${source}.orders`));
    }
    const result = await runCli(['run'], { cwd: dir });
    output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    if (wh.name === 'postgres') await dropSchemas(schema, source);
  });
  afterAll(async () => {
    await proxy?.close();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends all six rows, in requests whose every body is valid under the schema', () => {
    expect(sandbox.events()).toHaveLength(ROWS.length);
    expect(proxy.bodies.length).toBeGreaterThanOrEqual(3);
    for (const body of proxy.bodies) expect(schemaProblems(JSON.parse(body))).toEqual([]);
  });

  it('every payload is valid under the schema and carries the fields of its action source', () => {
    const events = sandbox.events() as Record<string, any>[];
    for (const event of events) {
      expect(eventSchemaProblems(event), JSON.stringify(event)).toEqual([]);
      expect(event.user_data).toMatchObject({ fn: [sha256('raphaël')], ct: [sha256('newyork')], st: [sha256('ca')], country: [sha256('us')], zp: [sha256('10001')], ph: [sha256('442079460000')], mobile_ad_id: MADID.toLowerCase() });
      expect(event.user_data).not.toHaveProperty('db');
      expect(event.user_data).not.toHaveProperty('madid');
      expect(event.event_source_url).toBe('https://shop.example.com/p/1?x=1');
      expect(event.app_data).toEqual({
        app_id: '1234567890', extinfo: EXTINFO.split(', '), advertiser_tracking_enabled: true, campaign_ids: 'c-1',
        install_referrer: 'utm_source=snap', installer_package: 'com.android.vending', url_schemes: ['myapp', 'myapp2'], windows_attribution_id: 'win-1',
      });
    }
    expect(events.map((e) => e.action_source).sort()).toEqual(['MOBILE_APP', 'MOBILE_APP', 'OFFLINE', 'OFFLINE', 'WEB', 'WEB']);
  });
});

describe("the sandbox answers what Snap's v3 schema refuses, naming the path", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => sandbox?.close());

  const event = (user: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    event_name: 'SIGN_UP', event_time: NOW - HOUR, action_source: 'OFFLINE', event_id: 'x', user_data: { em: [sha256('a@b.co')], ...user }, ...extra,
  });
  const post = async (body: unknown) => {
    const res = await fetch(`${sandbox.url}/v3/px/events?access_token=t`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { reason: string } };
  };

  it.each([
    ['fn as a string', event({ fn: sha256('ann') }), 'user_data.fn: must be array'],
    ['madid (the schema says mobile_ad_id)', event({ madid: 'x' }), 'user_data: must NOT have additional properties "madid"'],
    ['db (not in the schema)', event({ db: sha256('19900517') }), 'user_data: must NOT have additional properties "db"'],
    ['advertiser_tracking_enabled as 1', event({}, { app_data: { advertiser_tracking_enabled: 1 } }), 'app_data.advertiser_tracking_enabled: must be boolean'],
    ['a WEB event without event_source_url', event({}, { action_source: 'WEB' }), 'WEB events need event_source_url'],
    ['a MOBILE_APP event without extinfo', event({}, { action_source: 'MOBILE_APP', app_data: { advertiser_tracking_enabled: true } }), 'MOBILE_APP events need app_data.extinfo'],
  ])('%s → 400', async (_, bad, message) => {
    const answer = await post({ data: [bad] });
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toContain(message);
  });

  it('an unknown key at the root → 400; a valid body → 200', async () => {
    expect((await post({ data: [event({})], pixel: 'x' })).body.reason).toContain('must NOT have additional properties "pixel"');
    expect((await post({ data: [event({})], test_event_code: 'T' })).status).toBe(200);
  });
});
