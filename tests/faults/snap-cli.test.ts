import { afterEach, describe, expect, it } from 'vitest';
import { answering } from '../delivery/deliver-support.ts';
import { PIXEL, pgProject, type PgProject } from '../delivery/pg-project.ts';
import { runCli } from '../support/cli.ts';
import { POSTGRES_URL, postgresReachable } from '../support/postgres.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function project(options: Parameters<typeof pgProject>[0]): Promise<PgProject> {
  const created = await pgProject(options);
  cleanup.push(() => created.drop());
  return created;
}
async function snapAnswering(status: number, body: unknown) {
  const server = await answering(status, body);
  cleanup.push(() => server.close());
  return server;
}

describe.skipIf(!postgresReachable)('Snap refusals and secrets, as the CLI', () => {
  it('a Snap answering every request 400 "The pixel id is not valid": exit 1 after a handful of requests, watermark unchanged, Snap\'s words in capi_sync_runs.error', async () => {
    const p = await project({ events: 5000, snapchat: 'batch_size: 500' });
    const snap = await snapAnswering(400, { status: 'INVALID', reason: 'The pixel id is not valid' });
    const result = await p.cli(['run'], snap.url);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('Snap refused the whole request (400: INVALID; The pixel id is not valid)');
    expect(snap.requests()).toBeLessThanOrEqual(4);
    expect(await p.watermark()).toBeNull();
    expect(await p.deliveryErrors()).toEqual([]);
    const [run] = await p.runs();
    expect(run).toMatchObject({ status: 'failed', sent: '0', rejected_by_snap: '0' });
    expect(run.error).toContain('The pixel id is not valid');
  });

  it('a 403 is a refused token: the run stops naming the pixel and the fix', async () => {
    const p = await project({ events: 50 });
    const snap = await snapAnswering(403, { status: 'FORBIDDEN', reason: 'Forbidden' });
    const result = await p.cli(['run'], snap.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Snap refused the access token for pixel ${PIXEL} (403: FORBIDDEN; Forbidden)`);
    expect(snap.requests()).toBe(1);
    expect((await p.runs())[0]!.error).toContain('SNAP_CAPI_TOKEN');
  });

  it('passwords in the endpoint and the database URL are never printed or stored', async () => {
    const p = await project({ events: 20, retry: '{ max_retries: 1, min_timeout: 1, max_timeout: 5 }' });
    const secrets = ['Endpo1nt-Pw', 'Db-Pa55word', 'Db@Pa55'];
    const withPassword = (password: string) => {
      const url = new URL(POSTGRES_URL);
      url.password = password; // trust authentication here: any password connects
      return url.toString();
    };
    const env = (databaseUrl: string, endpoint: string) => ({ DATABASE_URL: databaseUrl, SNAP_ENDPOINT: endpoint, SNAP_CAPI_TOKEN: 'test-token' });
    const endpoint = 'http://user:Endpo1nt-Pw@127.0.0.1:9';
    const outputs: string[] = [];
    const check = await runCli(['check'], { cwd: p.dir, env: env(withPassword('Db-Pa55word'), endpoint) });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('snapchat endpoint: http://user:***@127.0.0.1:9');
    const run = await runCli(['run'], { cwd: p.dir, env: env(withPassword('Db-Pa55word'), endpoint) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('http://user:***@127.0.0.1:9');
    outputs.push(check.stdout, check.stderr, run.stdout, run.stderr);
    // Unreachable databases, their URLs in the error: the password as user:password@, with a raw @, and as ?password=.
    for (const url of [`postgres://postgres:Db-Pa55word@127.0.0.1:9/test`, `postgres://postgres:Db@Pa55@127.0.0.1:9/test`, `postgres://postgres@127.0.0.1:9/test?password=Db-Pa55word`]) {
      const failed = await runCli(['run'], { cwd: p.dir, env: env(url, endpoint) });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/cannot connect to Postgres \(postgres:\/\/postgres(:\*\*\*)?@127\.0\.0\.1:9\/test(\?password=\*\*\*)?\)/);
      outputs.push(failed.stdout, failed.stderr);
    }
    const stored = JSON.stringify([await p.runs(), await p.deliveryErrors()]);
    for (const secret of secrets) {
      for (const text of [...outputs, stored]) expect(text).not.toContain(secret);
    }
    expect(stored).toContain('http://user:***@127.0.0.1:9');
  });
});
