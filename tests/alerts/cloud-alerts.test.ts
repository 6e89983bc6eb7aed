import { afterEach, describe, expect, test } from 'vitest';
import type { Project } from '../../runner/commands/project.ts';
import { syncActivation } from '../../runner/commands/sync.ts';
import { loadConfig } from '../../runner/config/load.ts';
import { createLogger } from '../../runner/log.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { startSandbox } from '../../runner/sandbox/server.ts';
import { StateStore } from '../../runner/state/state.ts';
import { dialectOf, openWarehouse } from '../../runner/warehouse/index.ts';
import { startBigQueryStandin } from '../standins/bigquery-standin.ts';
import { FakeWarehouse } from '../standins/fake-warehouse.ts';
import { startSnowflakeStandin } from '../standins/snowflake-standin.ts';
import { tempProject } from '../support/cli.ts';
import { startListener } from './listener.ts';

/** The warning facts and the alert status on each cloud warehouse's real driver, against its stand-in. */
const WAREHOUSES = [
  {
    name: 'bigquery',
    start: (engine: FakeWarehouse) => startBigQueryStandin({ engine, project: 'acme-analytics' }),
    yaml: (url: string) => `{ type: bigquery, project: acme-analytics, dataset: capi_sync, api_endpoint: "${url}" }`,
    seconds: /unix_seconds\(started_at\)/,
  },
  {
    name: 'snowflake',
    start: (engine: FakeWarehouse) => startSnowflakeStandin({ engine, account: 'acme', user: 'CAPI', password: 'secret', chunkRows: 20 }),
    yaml: (url: string) => `{ type: snowflake, account: acme, user: CAPI, database: SALES, password: "\${SNOWFLAKE_PASSWORD}", access_url: "${url}" }`,
    seconds: /date_part\(epoch_second, started_at\)/,
  },
] as const;

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe.each(WAREHOUSES)('alerts on $name', (w) => {
  test('a run over rejected_rate_above reads the runs in its dialect, posts the warning, then the recovery after a clean run, keeping the status with a MERGE', async () => {
    const engine = new FakeWarehouse();
    const now = Math.floor(Date.now() / 1000);
    engine.outbound = Array.from({ length: 4 }, (_, i) => ({ event_id: `e${i}`, cursor: String(100 + i), payload: JSON.stringify({ event_name: 'PURCHASE', event_time: now - 60, event_id: `e${i}`, action_source: 'OFFLINE', user_data: { em: ['a'.repeat(64)] }, custom_data: { value: 1, currency: 'USD' } }) }));
    engine.rejected = [{ reason: 'no_user_identifier', n: 6 }];
    const standin = await w.start(engine);
    closers.push(() => standin.close());
    const sandbox = await startSandbox();
    closers.push(() => sandbox.close());
    const hook = await startListener();
    closers.push(() => hook.close());
    const dir = await tempProject({
      'activations.yml': `warehouse: ${w.yaml(standin.url)}
snapchat: { endpoint: sandbox }
defaults: { warnings: { webhook: "${hook.url}/hook" } }
activations:
  store_purchases: { pixel_id: px, event_name: PURCHASE, source: shop.orders, mapping: { event_time: paid_at, email: mail } }
`,
    });
    const config = await loadConfig(`${dir}/activations.yml`, { SNOWFLAKE_PASSWORD: 'secret' });
    const warehouse = await openWarehouse(config);
    closers.push(() => warehouse.close());
    const renderer = createRenderer(dialectOf(config));
    const lines: string[] = [];
    const sink = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const p: Project = { config, activations: ['store_purchases'], warehouse, renderer, state: new StateStore(warehouse, renderer), log: createLogger('text', sink, sink) };
    const signals = { stop: new AbortController().signal, abort: new AbortController().signal };

    const result = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    expect(result.warnings).toEqual([expect.stringContaining('60.0% of events were held back or refused (above rejected_rate_above 0.5)')]);
    // One read of the runs for the warning facts, in the dialect's own time functions.
    const history = engine.log.filter((s) => /as now_seconds, min\(.*\) as first_run_at/.test(s.sql));
    expect(history).toHaveLength(1);
    expect(history[0]!.sql).toMatch(w.seconds);
    expect(engine.state.get('store_purchases')?.alert_status).toBe('warning');
    expect(hook.received.map((r) => r.body.status)).toEqual(['warning']);
    expect(lines.join('')).not.toMatch(/could not/);

    // A clean run: the status read back is `warning`, so the change to ok is told, once.
    engine.outbound.push({ ...engine.outbound[0]!, event_id: 'e9', cursor: '109' });
    const clean = await syncActivation(p, 'store_purchases', { endpoint: sandbox.url, token: 't' }, signals);
    expect(clean).toMatchObject({ status: 'ok', warnings: [], counts: { sent: 1, rejected_by_view: 0 } });
    expect(hook.received.map((r) => r.body.status)).toEqual(['warning', 'recovered']);
    expect(engine.state.get('store_purchases')?.alert_status).toBe('ok');
  });
});
