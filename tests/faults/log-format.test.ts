import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { pgProject, until, type PgProject } from '../delivery/pg-project.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { postgresReachable } from '../support/postgres.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  cleanup.push(() => started.close());
  return started;
}
async function project(options: Parameters<typeof pgProject>[0]): Promise<PgProject> {
  const created = await pgProject(options);
  cleanup.push(() => created.drop());
  return created;
}

/** Every line of an output stream as a JSON object; fails the test on a line that is not one. */
function jsonLines(text: string): Record<string, any>[] {
  return text.split('\n').filter((line) => line !== '').map((line) => {
    let value: unknown;
    expect(() => (value = JSON.parse(line)), `not a JSON line: ${line}`).not.toThrow();
    expect(value, line).toBeTypeOf('object');
    return value as Record<string, any>;
  });
}

const config = (url: string) => `warehouse:
  type: postgres
  url: ${url}
  timeout_seconds: 5
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

describe('--log-format json: every line on stdout and stderr is one JSON object (issue 11 item 6)', () => {
  it('a config error: exit 2, the problems as a list', async () => {
    const dir = await tempProject({ 'activations.yml': config('notaurl').replace('pixel_id: px-1', 'pixel_id: px 1') });
    const result = await runCli(['sync', '--log-format', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(jsonLines(result.stdout)).toEqual([]);
    const [line, ...rest] = jsonLines(result.stderr);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 'error', kind: 'config', exit_code: 2 });
    expect(line!.problems).toEqual([
      'warehouse.url: not a Postgres URL such as postgres://host:5432/database (user:password@ before the host), usually given as ${DATABASE_URL}',
      'activations.orders.pixel_id: letters, digits, - and _ only, as Events Manager shows the Pixel ID (check for spaces or quotes)',
    ]);
  });

  it('a usage error, with --log-format=json written in one word', async () => {
    const dir = await tempProject({ 'activations.yml': config('postgres://127.0.0.1:9/x') });
    const result = await runCli(['sync', '--log-format=json', '--no-such-option'], { cwd: dir });
    expect(result.code).toBe(2);
    const lines = [...jsonLines(result.stdout), ...jsonLines(result.stderr)];
    expect(lines[0]).toMatchObject({ level: 'error', message: "error: unknown option '--no-such-option'" });
  });

  it('an unreachable warehouse: exit 1, one error line naming it, the password redacted', async () => {
    const dir = await tempProject({ 'activations.yml': config('postgres://capi:Hunter22pw@127.0.0.1:9/x') });
    const result = await runCli(['sync', '--log-format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)).toEqual([]);
    const lines = jsonLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', kind: 'warehouse', exit_code: 1 });
    expect(lines[0]!.message).toMatch(/^warehouse: cannot connect to Postgres \(postgres:\/\/capi:\*\*\*@127\.0\.0\.1:9\/x\) within 5 s: .*ECONNREFUSED/);
    expect(result.stderr).not.toContain('Hunter22pw');
  });

  it.skipIf(!postgresReachable)('signals, fired warnings and the summary: warnings as an array, each also a warn line', async () => {
    const p = await project({ events: 3000, snapchat: 'batch_size: 10\nmax_in_flight: 2', activation: 'warnings: { rejected_rate_above: 0.0001 }' });
    const snap = await sandbox({ latencyMs: 30, refuseEventIds: new Set(['o0000003']) });
    const run = p.start(['run', '--log-format', 'json', '--progress', '0'], snap.url);
    // The read is unordered: wait for the refusal itself (found by halving its batch), then for the sending to go on past it.
    await until(() => run.output().stderr.includes('Snap refused event o0000003'), 30_000, 'the refused event to be found');
    const afterRefusal = snap.stats().accepted;
    await until(() => snap.stats().accepted > afterRefusal, 30_000, 'events to arrive after the refusal');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(130);
    const out = jsonLines(run.output().stdout);
    const err = jsonLines(run.output().stderr);
    expect(err).toContainEqual(expect.objectContaining({ level: 'warn', signal: 'SIGTERM', message: expect.stringMatching(/^SIGTERM: stopping/) }));
    const summary = [...out, ...err].find((l) => l.status === 'interrupted');
    // The refused event also fires refused_above, on by default (0).
    expect(summary).toMatchObject({ activation: 'orders', rejected_by_snap: 1, warnings: [expect.stringMatching(/^orders: .* held back or refused \(above rejected_rate_above 0.0001\)/), expect.stringMatching(/^orders: Snap refused 1 event\(s\) \(above refused_above 0\)/)] });
    expect(err).toContainEqual(expect.objectContaining({ level: 'warn', warning: true, activation: 'orders', message: summary!.warnings[0] }));
  });
});
