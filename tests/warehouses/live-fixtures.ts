import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployProject } from '../../runner/commands/deploy.ts';
import type { Project } from '../../runner/commands/project.ts';
import { loadConfig } from '../../runner/config/load.ts';
import type { Logger } from '../../runner/log.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { StateStore } from '../../runner/state/state.ts';
import { dialectOf, openWarehouse, type Warehouse } from '../../runner/warehouse/index.ts';

/**
 * Messy rows, loaded as text into a table on PGlite and on a real cloud warehouse, mapped the same way:
 * the outbound payloads (parsed) and the rejection reasons must be equal, row by row. Run by the live
 * tests only (they need credentials); PGlite is the reference.
 */
const HOUR = 3600_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const sql = (ms: number) => iso(ms).replace('T', ' ').replace('Z', '+00');

/** id, event_time, event_name, value, currency, email, phone, first_name, last_name, city, state, zip, country, dob, content_ids, num_items, madid */
export const FIXTURE_COLUMNS = ['id', 'paid_at', 'kind', 'total', 'cur', 'mail', 'tel', 'fn', 'ln', 'town', 'region', 'zip', 'cc', 'born', 'items', 'n', 'ad_id'] as const;

const DEFAULTS = { kind: 'purchase', total: '54.90', cur: 'usd', mail: 'a@b.co' };
type Column = (typeof FIXTURE_COLUMNS)[number];

export function fixtureRows(): (string | null)[][] {
  const r = (id: string, when: string | null, more: Partial<Record<Column, string | null>> = {}) => {
    const row: Partial<Record<Column, string | null>> = { ...DEFAULTS, ...more, id, paid_at: when };
    return FIXTURE_COLUMNS.map((c) => row[c] ?? null);
  };
  return [
    r('f01', iso(-HOUR), { mail: '  Test123@GMAIL.com ', tel: '+44 844 412 4653', fn: 'José', ln: "O'Brien", town: 'New York', region: 'ca', zip: '10001-2345', cc: 'US' }),
    r('f02', sql(-2 * HOUR), { mail: 'CC779C04191C2E736D89E45C11339C8382832BCAF70383F7DF94E3D08BA7A6D9', tel: '06 12 34 56 78', fn: 'Zoë', ln: 'Müller-Lüdenscheidt', town: 'Montréal', zip: 'SW1A 1AA', cc: 'uk' }),
    r('f03', String(Math.floor((Date.now() - 3 * HOUR) / 1000)), { tel: '(415) 555-0132 x12', born: '1990-05-17', items: '["sku-1", "sku-2"]', n: '3' }),
    r('f04', String(Date.now() - 4 * HOUR), { tel: '0044 20 7946 0958', born: '1990/02/30', items: 'a, b ,, c', n: '2.000' }),
    r('f05', sql(-5 * HOUR).slice(0, 19), { tel: '4.4E+11', fn: '  ', ln: '', ad_id: '00000000-0000-0000-0000-000000000000' }),
    r('f06', iso(-6 * HOUR).replace('Z', '+05:30'), { mail: 'not-an-email', tel: '12', ad_id: 'AB12-CD34' }),
    r('f07', iso(-7 * HOUR).slice(0, 10), { total: '+5', cur: ' EUR ' }),
    r('f08', null),
    r('f09', iso(2 * 24 * HOUR)),
    r('f10', iso(-40 * 24 * HOUR)),
    r('f11', iso(-HOUR), { total: null }),
    r('f12', iso(-HOUR), { cur: null }),
    r('f13', iso(-HOUR), { cur: 'dollars' }),
    r('f14', iso(-HOUR), { mail: null }),
    r('f15', iso(-HOUR), { kind: 'not an event' }),
    r('f16', iso(-HOUR), { kind: 'add-cart', total: 'abc' }),
    r('f17', '2026-02-30 10:00:00'),
    r('f18', iso(-HOUR), { total: '1e20' }),
    r('f19', 'yesterday'),
    r('f20', '0001-01-01'),
    // More digits than Postgres's numeric holds once made its view raise; every warehouse reads them alike.
    r('f21', iso(-HOUR), { total: `1.${'0'.repeat(20_000)}` }),
    r('f22', `${Math.floor((Date.now() - HOUR) / 1000)}.${'0'.repeat(20_000)}`),
    r('f23', iso(-HOUR), { n: `1.${'0'.repeat(20_000)}` }),
    r('f24', iso(-HOUR), { tel: '+44 7700 900123 #45' }),
  ];
}

export const FIXTURE_MAPPING = '{ event_id: id, event_time: paid_at, event_name: kind, value: total, currency: cur, email: mail, phone: tel, first_name: fn, last_name: ln, city: town, state: region, zip: zip, country: cc, content_ids: items, num_items: n, madid: ad_id }';
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export interface FixtureResult {
  payloads: Record<string, unknown>;
  reasons: Record<string, string>;
}

/**
 * Loads the fixture into `<table schema>.capi_sync_fixture` (created by `createTable`), deploys the
 * views for it and reads them back.
 */
export async function runFixture(warehouseYaml: string, env: NodeJS.ProcessEnv, source: string, createTable: (wh: Warehouse, table: string, columns: readonly string[]) => Promise<void>, rows = fixtureRows()): Promise<FixtureResult & { warehouse: Warehouse; project: Project }> {
  const dir = await mkdtemp(join(tmpdir(), 'capi-sync-live-'));
  await writeFile(join(dir, 'activations.yml'), `warehouse: ${warehouseYaml}
snapchat: { endpoint: sandbox }
activations:
  fixture: { pixel_id: px, source: ${source}, mapping: ${FIXTURE_MAPPING}, phone_country_code: "33", max_event_age_days: 30 }
`);
  const config = await loadConfig(join(dir, 'activations.yml'), env);
  const warehouse = await openWarehouse(config);
  const renderer = createRenderer(dialectOf(config));
  const project: Project = { config, activations: ['fixture'], warehouse, renderer, state: new StateStore(warehouse, renderer), log: quiet };
  const [schema, table] = source.split('.');
  await warehouse.execScript([renderer.macro('create_schema', { schema: warehouse.schema })]);
  await createTable(warehouse, renderer.quote(schema, table), FIXTURE_COLUMNS);
  const values = rows.map((row) => `(${row.map(() => '?').join(', ')})`).join(', ');
  await warehouse.exec(`insert into ${renderer.quote(schema, table)} values ${values}`, rows.flat());
  await deployProject(project);
  const q = (name: string) => renderer.quote(name);
  const out = await warehouse.query(`select ${q('event_id')} as event_id, ${q('payload')} as payload from ${renderer.quote(warehouse.schema, 'fixture_outbound')}`);
  const rejected = await warehouse.query(`select ${q('event_id')} as event_id, ${q('reason')} as reason from ${renderer.quote(warehouse.schema, 'fixture_rejected')}`);
  return {
    warehouse,
    project,
    payloads: Object.fromEntries(out.map((r) => [String(r.event_id), JSON.parse(String(r.payload))])),
    reasons: Object.fromEntries(rejected.map((r) => [String(r.event_id), String(r.reason)])),
  };
}

/** The same fixture on an embedded PGlite: the reference (`rows`: the same rows another warehouse was given). */
export async function pgliteReference(rows = fixtureRows()): Promise<FixtureResult> {
  const path = await mkdtemp(join(tmpdir(), 'capi-sync-live-pglite-'));
  const result = await runFixture(`{ type: pglite, path: "${path}" }`, {}, 'shop.capi_sync_fixture', async (wh, table, columns) => {
    await wh.execScript(['create schema if not exists shop', `create table ${table} (${columns.map((c) => `${c} text`).join(', ')})`]);
  }, rows);
  await result.warehouse.close();
  return { payloads: result.payloads, reasons: result.reasons };
}
