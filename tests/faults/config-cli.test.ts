import { afterEach, describe, expect, it } from 'vitest';
import { pgProject, type PgProject } from '../delivery/pg-project.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { postgresReachable } from '../support/postgres.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function project(options: Parameters<typeof pgProject>[0]): Promise<PgProject> {
  const created = await pgProject(options);
  cleanup.push(() => created.drop());
  return created;
}

const config = (url: string) => `warehouse:
  type: postgres
  url: ${url}
snapchat:
  endpoint: sandbox
activations:
  orders:
    pixel_id: px-1
    event_name: PURCHASE
    source: shop.orders
    mapping: { event_time: paid_at }
    cursor: loaded_at
`;

describe('config mistakes are config errors (exit 2), as the CLI (issue 11 item 8)', () => {
  it.each([
    ['url: notaurl', 'notaurl', 'warehouse.url: not a Postgres URL'],
    ['an unclosed ${VAR', '${DATABASE_URL', 'warehouse.url: a ${ that is not closed'],
  ])('%s: exit 2 naming the key, not getaddrinfo ENOTFOUND', async (_, url, problem) => {
    const dir = await tempProject({ 'activations.yml': config(url) });
    const result = await runCli(['check'], { cwd: dir, env: { DATABASE_URL: 'postgres://127.0.0.1:9/x' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(problem);
    expect(result.stderr).not.toContain('ENOTFOUND');
  });

  it.skipIf(!postgresReachable)('a model ending with ";", or one the warehouse cannot run, names the activation and the file: exit 2', async () => {
    const p = await project({ events: 5, model: 'select id as order_id, paid_at as event_time, email, loaded_at from {{source}};\n' });
    const trailing = await p.cli(['deploy'], 'http://127.0.0.1:9');
    expect(trailing.code).toBe(2);
    expect(trailing.stderr).toContain('activations.orders.model: orders.sql ends with ";"; a model is one select statement: remove the semicolon');

    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${p.dir}/orders.sql`, 'select id as order_id, paid_at as event_time,, email from nowhere');
    const broken = await p.cli(['run'], 'http://127.0.0.1:9');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('activations.orders.model: orders.sql does not run as a select: syntax error at or near ","');
  });
});
