import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../runner/sandbox/server.ts';
import { ACTIVATION, pgProject, type PgProject } from '../delivery/pg-project.ts';
import { dropSchemas, pgQuery, postgresReachable } from '../support/postgres.ts';
import { startListener, type Listener } from './listener.ts';

/** The part of a Slack webhook URL that is its secret. */
const SECRET_PATH = '/services/T0CAPI/B0SYNC/hook-secret-d41d8cd98f';
const SNAP_TOKEN = 'snap-token-right-5b2e';
const WRONG_TOKEN = 'snap-token-wrong-8c1a';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp(activation: string, options: { sandbox?: Parameters<typeof startSandbox>[0] } = {}): Promise<{ project: PgProject; sandbox: Sandbox; hook: Listener; env: NodeJS.ProcessEnv }> {
  const project = await pgProject({ events: 10, prefix: 'capi_alert', activation });
  cleanup.push(() => project.drop());
  const sandbox = await startSandbox({ token: SNAP_TOKEN, ...options.sandbox });
  cleanup.push(() => sandbox.close());
  const hook = await startListener();
  cleanup.push(() => hook.close());
  return { project, sandbox, hook, env: { ALERT_WEBHOOK_URL: `${hook.url}${SECRET_PATH}` } };
}

/**
 * Rows arriving now: `good` with an email, `bad` without one (held back as no_user_identifier). The bad
 * ones are loaded a moment before the good ones, so no held-back row lies past the last one sent.
 */
async function arrive(project: PgProject, good: number, bad: number, tag: string): Promise<void> {
  await pgQuery(`insert into "${project.source}".orders
    select '${tag}-' || g, now() - interval '1 hour', now() - case when g > ${good} then interval '1 ms' else interval '0' end,
      case when g <= ${good} then 'late' || g || '@example.com' end, 20, 'EUR'
    from generate_series(1, ${good + bad}) as g`);
}

/** Everything a run leaves where people or tools can read it: its output and capi-sync's tables. */
async function traces(project: PgProject, output: string): Promise<string> {
  const tables = await Promise.all(['capi_sync_runs', 'capi_sync_state', 'capi_sync_delivery_errors'].map((t) => pgQuery(`select * from "${project.schema}".${t}`)));
  return `${output}\n${JSON.stringify(tables)}`;
}

describe.skipIf(!postgresReachable)('alerts to a webhook, against a local listener (Postgres)', () => {
  it('posts once per change of status: warning, nothing while it stays, recovered, failed; never the token or the URL', async () => {
    const { project, sandbox, hook, env } = await setUp('warnings: { rejected_rate_above: 0.2, webhook: "${ALERT_WEBHOOK_URL}" }');
    await arrive(project, 0, 10, 'bad1'); // 10 good rows from the project, 10 held back: 50%

    const first = await project.cli(['run', '--log-format', 'json'], sandbox.url, SNAP_TOKEN, env);
    expect(first.code, first.stderr).toBe(0);
    expect(hook.received).toHaveLength(1);
    const warning = hook.received[0]!;
    expect(warning).toMatchObject({ method: 'POST', path: SECRET_PATH, contentType: 'application/json' });
    expect(warning.body).toMatchObject({ activation: ACTIVATION, status: 'warning', warnings: [expect.stringContaining('50.0% of events were held back or refused (above rejected_rate_above 0.2)')], error: null });
    expect(warning.body.text).toMatch(new RegExp(`^capi-sync: activation ${ACTIVATION} needs a look\\. 50\\.0% of events were held back`));
    const runs = await project.runs();
    expect(warning.body.run_id).toBe(runs[0]!.run_id);
    expect(runs[0]!.warnings).toContain('rejected_rate_above 0.2');
    const summary = first.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((line) => line.status === 'ok');
    expect(summary.warnings).toEqual(warning.body.warnings);

    await arrive(project, 5, 5, 'bad2');
    const still = await project.cli(['sync', '--fail-on-warning'], sandbox.url, SNAP_TOKEN, env);
    expect(still.code).toBe(3);
    expect(still.stderr).toMatch(/^warn: orders: \d+\.\d% of events were held back or refused \(above rejected_rate_above 0\.2\)/m);
    expect(hook.received).toHaveLength(1);

    const empty = await project.cli(['sync'], sandbox.url, SNAP_TOKEN, env);
    expect(empty.code).toBe(0);
    expect(hook.received).toHaveLength(1); // a run with nothing to read judges nothing

    await arrive(project, 5, 0, 'good3');
    const clean = await project.cli(['sync'], sandbox.url, SNAP_TOKEN, env);
    expect(clean.code).toBe(0);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body).toMatchObject({ activation: ACTIVATION, status: 'recovered', warnings: [], error: null });
    expect(hook.received[1]!.body.text).toContain(`activation ${ACTIVATION} recovered`);

    await arrive(project, 1, 0, 'good4');
    const refused = await project.cli(['sync'], sandbox.url, WRONG_TOKEN, env);
    expect(refused.code).toBe(1);
    expect(hook.received).toHaveLength(3);
    const failed = hook.received[2]!;
    expect(failed.body).toMatchObject({ activation: ACTIVATION, status: 'failed' });
    expect(failed.body.text).toMatch(/the run of activation orders failed: Snap refused the access token for pixel px-delivery-test/);
    expect(failed.raw).not.toContain(WRONG_TOKEN);
    expect(failed.raw).not.toContain(SNAP_TOKEN);
    const again = await project.cli(['sync'], sandbox.url, WRONG_TOKEN, env);
    expect(again.code).toBe(1);
    expect(hook.received).toHaveLength(3);
    const state = await pgQuery(`select alert_status from "${project.schema}".capi_sync_state`);
    expect(state).toEqual([{ alert_status: 'failed' }]);

    for (const run of [first, still, empty, clean, refused, again]) {
      const seen = await traces(project, run.stdout + run.stderr);
      expect(seen).not.toContain('hook-secret');
      expect(seen).not.toContain(WRONG_TOKEN);
    }
  });

  it('retries a webhook that fails, never fails the run, and tells a change it could not deliver after the next run', async () => {
    const { project, sandbox, hook, env } = await setUp('warnings: { rejected_rate_above: 0.2, webhook: "${ALERT_WEBHOOK_URL}" }');
    await arrive(project, 0, 10, 'bad1');
    hook.answer(503, 500, 404);
    const first = await project.cli(['run'], sandbox.url, SNAP_TOKEN, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('orders: ok — sent 10 event(s)');
    expect(hook.received.map((r) => r.body.status)).toEqual(['warning', 'warning', 'warning']);
    expect(first.stderr).toMatch(/the alert webhook http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 503; retry 1 of 2/);
    expect(first.stderr).toMatch(/answered HTTP 404; the warning alert was not delivered and is tried again after the next run \(the run itself is not affected\)/);
    expect(await pgQuery(`select alert_status from "${project.schema}".capi_sync_state`)).toEqual([{ alert_status: null }]);

    await arrive(project, 1, 1, 'bad2');
    const second = await project.cli(['sync'], sandbox.url, SNAP_TOKEN, env);
    expect(second.code).toBe(0);
    expect(hook.received).toHaveLength(4);
    expect(hook.received[3]!.body.status).toBe('warning');
    expect(await pgQuery(`select alert_status from "${project.schema}".capi_sync_state`)).toEqual([{ alert_status: 'warning' }]);

    await hook.close();
    await arrive(project, 3, 0, 'good3');
    const unreachable = await project.cli(['sync'], sandbox.url, SNAP_TOKEN, env);
    expect(unreachable.code).toBe(0);
    expect(unreachable.stderr).toMatch(/the alert webhook http:\/\/127\.0\.0\.1:\d+\/… could not be reached \(ECONNREFUSED\); the recovered alert was not delivered/);
    for (const run of [first, second, unreachable]) expect(await traces(project, run.stdout + run.stderr)).not.toContain('hook-secret');
  });

  it('capi-sync demo alerts nobody, whatever its scratch runs fire', async () => {
    const { project, hook, env } = await setUp('warnings: { rejected_rate_above: 0.2, webhook: "${ALERT_WEBHOOK_URL}" }');
    cleanup.push(() => dropSchemas(`${project.schema}_demo`));
    await arrive(project, 0, 10, 'bad1');
    const demo = await project.cli(['demo'], 'http://127.0.0.1:9', SNAP_TOKEN, env);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toContain('warn: orders: 50.0% of events were held back or refused');
    expect(hook.received).toEqual([]);
  });

  it('warns by default when Snap refuses an event or a run lasts longer than run_longer_than; --fail-on-warning exits 3', async () => {
    const { project, sandbox } = await setUp('warnings: { run_longer_than: 1s }', { sandbox: { refuseEventIds: new Set(['o0000003']), latencyMs: 1200 } });
    const result = await project.cli(['run', '--fail-on-warning'], sandbox.url, SNAP_TOKEN);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain("warn: orders: Snap refused 1 event(s) (above refused_above 0); Snap's message for each is in");
    expect(result.stderr).toMatch(/^warn: orders: the run took \d+ s \(above run_longer_than 1 s\)/m);
    expect(result.stderr).not.toContain('rejected_rate_above');
    expect(result.stdout).toContain('orders: status ok → warning (no warnings.webhook set, so no alert was sent)');
  });
});
