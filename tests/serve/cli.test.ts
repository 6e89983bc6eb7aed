import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../runner/sandbox/server.ts';
import { pgProject, type PgProject } from '../delivery/pg-project.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { pgQuery, postgresReachable } from '../support/postgres.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const config = (activation: string, top = '') => `warehouse: { type: pglite }
snapchat: { endpoint: sandbox }
${top}
activations:
  orders:
    pixel_id: px
    event_name: PURCHASE
    source: shop.orders
    cursor: loaded_at
    mapping: { event_time: paid_at, email: mail }
${activation}
`;

async function project(text: string): Promise<string> {
  const dir = await tempProject({ 'activations.yml': text });
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('schedule: as the CLI reads it', () => {
  it('schedule: banana exits 2 naming the key, whatever the command', async () => {
    const dir = await project(config('    schedule: banana'));
    for (const command of ['serve', 'sync', 'status']) {
      const result = await runCli([command], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: the config is not valid:\n {2}activations\.orders\.schedule: "banana" is not a schedule; write an interval \(30s, 15m, 4h, 1d\) or a 5-field cron expression read in UTC/);
    }
  });

  it('serve with nothing scheduled exits 2 and says what to add', async () => {
    const result = await runCli(['serve'], { cwd: await project(config('')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('schedule: no activation has one, so serve has nothing to run; add schedule: 15m to an activation, or defaults: {schedule: 15m} for all');
  });

  it('a webhook URL written in the file is refused without being printed when it is not https', async () => {
    const result = await runCli(['status'], { cwd: await project(config('', 'defaults: { warnings: { webhook: "http://hooks.example.com/services/T1/B1/zz-secret" } }')) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('defaults.warnings.webhook: use an https:// URL (plain http:// only for 127.0.0.1 or localhost)');
    expect(result.stderr).not.toContain('zz-secret');
  });
});

describe.skipIf(!postgresReachable)('status: schedule, next due time, overdue, alert status (Postgres)', () => {
  let p: PgProject;
  it('shows them per activation, as text and as one JSON object', async () => {
    p = await pgProject({ events: 4, prefix: 'capi_status', activation: 'schedule: 15m\nwarnings: { rejected_rate_above: 0.1 }' });
    cleanup.push(() => p.drop());
    const sandbox = await startSandbox();
    cleanup.push(() => sandbox.close());
    await pgQuery(`insert into "${p.source}".orders values ('nomail', now() - interval '1 hour', now(), null, 5, 'EUR')`);
    const ran = await p.cli(['run'], sandbox.url);
    expect(ran.code, ran.stderr).toBe(0);

    const text = await p.cli(['status'], sandbox.url);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/ {2}schedule: every 15m; last run \S+Z \(ok\); next due \S+Z \(in 1[45]m( \d+s)?\)/);
    expect(text.stdout).toMatch(/ {2}alert status: warning since \S+Z/);

    const json = await p.cli(['status', '--log-format', 'json'], sandbox.url);
    const lines = json.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    const started = Date.parse(lines[0].last_run.started_at);
    expect(lines[0]).toMatchObject({ activation: 'orders', schedule: '15m', last_run: { status: 'ok' }, overdue: false, alert_status: 'warning' });
    expect(Date.parse(lines[0].next_due) - started).toBe(15 * 60_000);

    // The last run an hour ago, and no serve since: overdue.
    await pgQuery(`update "${p.schema}".capi_sync_runs set started_at = started_at - interval '1 hour', finished_at = finished_at - interval '1 hour'`);
    const late = await p.cli(['status', '--log-format', 'json'], sandbox.url);
    expect(JSON.parse(late.stdout.trim())).toMatchObject({ overdue: true });
    const lateText = await p.cli(['status'], sandbox.url);
    expect(lateText.stdout).toMatch(/next due \S+Z: overdue by 4[45]m( \d+s)? \(is capi-sync serve running\?\)/);
  });
});
