import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compile } from '../../runner/commands/compile.ts';
import { deploy } from '../../runner/commands/deploy.ts';
import { loadConfig } from '../../runner/config/load.ts';
import { ConfigError } from '../../runner/errors.ts';
import { FIELD_NAMES } from '../../runner/render/fields.ts';
import { openPglite } from '../../runner/warehouse/pglite.ts';

// Mistakes in a mapping are config errors at compile and deploy time, before any view exists: the
// message names the key or column and lists the names that would work.

let dir: string;
const header = `warehouse: { type: pglite, path: wh, seeds: seeds, schema: capi_sync }
snapchat: { endpoint: sandbox }
activations:
  orders:
    pixel_id: p
    event_name: PURCHASE
    cursor: loaded_at
`;

async function project(name: string, activation: string, files: Record<string, string> = {}): Promise<string> {
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  const file = join(dir, `${name}.yml`);
  await writeFile(file, header + activation);
  return file;
}

async function configError(run: Promise<unknown>): Promise<string> {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

async function viewsInWarehouse(): Promise<string[]> {
  const w = await openPglite({ path: join(dir, 'wh'), schema: 'capi_sync' });
  try {
    return (await w.query(`select table_name from information_schema.views where table_schema = 'capi_sync' order by 1`)).map((r) => String(r.table_name));
  } finally {
    await w.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capi-sync-config-fields-'));
  await mkdir(join(dir, 'seeds'));
  await writeFile(join(dir, 'seeds', 'shop.sql'), `create schema shop;
create table shop.orders (ref text, paid_at timestamptz, loaded_at timestamptz, mail text, total numeric, cur text, till_no int);
insert into shop.orders values ('o-1', now() - interval '1 hour', now(), 'a@example.com', 5, 'EUR', 7);`);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('mapping mistakes', () => {
  it('compile: a mapping key that is not a field names the key and every known field', async () => {
    const file = await project('unknown-key', `    source: shop.orders
    mapping: { event_time: paid_at, emial: mail, value: total, currency: cur }
`);
    const message = await configError(compile({ config: file, out: join(dir, 'target') }));
    expect(message).toContain('activations.orders.mapping.emial: not a known field; known fields: ');
    for (const known of FIELD_NAMES) expect(message).toContain(known);
    expect(FIELD_NAMES).toEqual(expect.arrayContaining(['email', 'phone', 'postal_code', 'zip', 'madid', 'event_time']));
  });

  it('date_of_birth, which Snap\'s v3 schema has no field for, loads with a warning saying it is left out and to remove it; db is never sent', async () => {
    const file = await project('retired-key', `    source: shop.orders
    mapping: { event_time: paid_at, email: mail, value: total, currency: cur, date_of_birth: ref }
`);
    const config = await loadConfig(file);
    expect(config.warnings).toContainEqual(expect.stringContaining("activations.orders.mapping.date_of_birth: left out of every event: Snap's published v3 schema"));
    expect(config.warnings.join('\n')).toContain('remove it from the mapping');
    expect(FIELD_NAMES).not.toContain('date_of_birth');
    await compile({ config: file, out: join(dir, 'target-dob') });
    const prepared = await readFile(join(dir, 'target-dob', 'orders', 'prepared.sql'), 'utf8');
    expect(prepared).not.toMatch(/'db'|"db"/);
  });

  it('deploy: a mapping without event_time says it is required', async () => {
    const file = await project('no-time', `    source: shop.orders
    mapping: { email: mail, value: total, currency: cur }
`);
    expect(await configError(deploy({ config: file }))).toContain('activations.orders.mapping.event_time: required');
  });

  it('deploy: a mapped column the source lacks names the column and the columns there are', async () => {
    const file = await project('no-column', `    source: shop.orders
    mapping: { event_time: paid_at, email: customer_email, value: total, currency: cur }
`);
    const message = await configError(deploy({ config: file }));
    expect(message).toContain('activations.orders.mapping.email: column customer_email not found in shop.orders');
    expect(message).toContain('ref, paid_at, loaded_at, mail, total, cur, till_no');
  });

  it('deploy: a model without event_time names the model, what it selects and the field names', async () => {
    const file = await project('model-no-time', '    model: no_time.sql\n', {
      'no_time.sql': 'select ref as order_id, paid_at, mail as email, loaded_at from shop.orders',
    });
    const message = await configError(deploy({ config: file }));
    expect(message).toContain('activations.orders.model: the model selects no event_time column (it selects order_id, paid_at, email, loaded_at)');
    expect(message).toContain(FIELD_NAMES.join(', '));
    expect(await viewsInWarehouse()).toEqual([]);
  });

  it('deploy: a model with extra columns is fine; they are not sent', async () => {
    const file = await project('model-extra', '    model: extra.sql\n', {
      'extra.sql': 'select ref as order_id, paid_at as event_time, mail as email, total as value, cur as currency, till_no, loaded_at from shop.orders',
    });
    await deploy({ config: file });
    expect(await viewsInWarehouse()).toEqual(['orders_outbound', 'orders_prepared', 'orders_rejected', 'orders_sent']);
    const w = await openPglite({ path: join(dir, 'wh'), schema: 'capi_sync' });
    try {
      const [row] = await w.query('select payload from capi_sync.orders_outbound');
      expect(JSON.parse(String(row.payload)).custom_data).toStrictEqual({ value: 5, currency: 'EUR', order_id: 'o-1' });
      expect(String(row.payload)).not.toContain('till_no');
    } finally {
      await w.close();
    }
  });
});
