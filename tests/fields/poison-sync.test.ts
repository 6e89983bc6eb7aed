import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { POSTGRES_URL, dropSchemas, pgQuery, postgresReachable, uniqueName } from '../support/postgres.ts';

// The poison rows beside a good one, through `capi-sync sync` as a user runs it: a value with
// more digits than numeric holds and a date event_time past timestamp's range used to make every read
// of the activation fail (exit 1, no row named). Now the good order is sent, the two are held back with
// their reasons, and the run exits 0.

const TOKEN = 'poison-token';
const orders = (schema: string) => `
create table ${schema}.orders (id text, paid_on date, loaded_at timestamptz, email text, total text, cur text);
insert into ${schema}.orders values
  ('good', current_date - 1, now() - interval '3 minutes', 'good@example.com', '19.99', 'EUR'),
  ('digits', current_date - 1, now() - interval '2 minutes', 'digits@example.com', repeat('9', 200000), 'EUR'),
  ('far', date '5874897-12-31', now() - interval '1 minute', 'far@example.com', '5', 'EUR');
`;

// Block style: \${...} cannot stand in a YAML flow mapping.
const SNAPCHAT = `snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
`;
const activations = (source: string) => `
activations:
  orders:
    pixel_id: px-poison
    event_name: PURCHASE
    source: ${source}.orders
    cursor: loaded_at
    mapping: { event_id: id, event_time: paid_on, email: email, value: total, currency: cur }
`;

const WAREHOUSES = [
  {
    name: 'PGlite',
    skip: false,
    async project(): Promise<{ dir: string; cleanup(): Promise<void> }> {
      const dir = await tempProject({ 'activations.yml': `warehouse: { type: pglite, path: .capi-sync/warehouse, seeds: seeds }
${SNAPCHAT}${activations('shop')}` });
      await mkdir(join(dir, 'seeds'));
      await writeFile(join(dir, 'seeds', 'orders.sql'), `create schema shop;\n${orders('shop')}`);
      return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'Postgres',
    skip: !postgresReachable,
    async project(): Promise<{ dir: string; cleanup(): Promise<void> }> {
      const source = uniqueName('poison_shop');
      const schema = uniqueName('poison_capi');
      await pgQuery(`create schema ${source}`);
      for (const statement of orders(source).split(';').filter((s) => s.trim())) await pgQuery(statement);
      const dir = await tempProject({ 'activations.yml': `warehouse:
  type: postgres
  url: \${TEST_DATABASE_URL}
  schema: ${schema}
${SNAPCHAT}${activations(source)}` });
      return { dir, cleanup: async () => { await dropSchemas(source, schema); await rm(dir, { recursive: true, force: true }); } };
    },
  },
];

for (const warehouse of WAREHOUSES) describe.skipIf(warehouse.skip)(`a poison row beside a good one, capi-sync run on ${warehouse.name}`, () => {
  let sandbox: Sandbox;
  let project: Awaited<ReturnType<typeof warehouse.project>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ token: TOKEN });
    project = await warehouse.project();
  });
  afterAll(async () => {
    await sandbox?.close();
    await project?.cleanup();
  });

  it('sends the good order, holds back the two poison rows with their reasons, and exits 0', async () => {
    const env = { SNAP_CAPI_TOKEN: TOKEN, SNAP_ENDPOINT: sandbox.url, TEST_DATABASE_URL: POSTGRES_URL };
    const run = await runCli(['run'], { cwd: project.dir, env });
    // Two rows of three held back fire the default rejected-rate warning; nothing else is on stderr.
    expect(run.stderr).toMatch(/^(warn: .*\n)*$/);
    expect(run.code, run.stdout).toBe(0);
    expect(sandbox.events().map((e) => (e as { event_id: string }).event_id)).toEqual(['good']);
    expect(run.stdout).toContain('held back by the view: 1 invalid_event_time, 1 invalid_value');
    // status reads the same views: it names the reasons too, instead of failing.
    const status = await runCli(['status'], { cwd: project.dir, env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/invalid_event_time/);
  }, 120_000);
});
