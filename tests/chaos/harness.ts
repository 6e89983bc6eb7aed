import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { startCli } from '../delivery/pg-project.ts';
import { runCli, tempProject } from '../support/cli.ts';
import { dropSchemas, pgQuery, POSTGRES_URL, uniqueName } from '../support/postgres.ts';

/**
 * A chaos run: `sync` against a Snap stand-in that fails part of the requests at random, killed hard
 * (SIGKILL) at random points, then re-run until it exits 0. At the end every eligible event must have
 * arrived; duplicates (the price of a crash, deduplicated by Snap on event_id) are counted.
 */
export interface ChaosOptions {
  warehouse: 'postgres' | 'pglite';
  events: number;
  /** Base URL of the stand-in; it must serve /_sandbox/stats and /_sandbox/events. */
  endpoint: string;
  /** Hard kills of `sync` at random points. */
  kills: number;
  /** Clean stops (SIGTERM) of `sync` at random points, before the kills. Default 0. */
  stops?: number;
  /** Lines under `snapchat:` in activations.yml (batch size, retry, timeouts). */
  snapchat: string;
  /** Bounds on the re-runs after the kills. */
  maxRuns: number;
  deadlineMs: number;
  random?: () => number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  expected: number;
  receivedUnique: number;
  missing: number;
  duplicates: number;
  /**
   * After each clean stop, events Snap had accepted that the ledger does not hold: what the next run
   * would send again. Must be 0.
   */
  unrecordedAfterStops: number;
  accepted: number;
  /** How each sync ended, in order: an exit code or KILLED. */
  runs: string[];
  requests: number;
  byStatus: Record<string, number>;
}

interface SandboxStats {
  requests: number;
  accepted: number;
  duplicates: number;
  unique_event_ids: number;
  by_status: Record<string, number>;
}

const ACTIVATION = 'orders';

export async function chaos(o: ChaosOptions): Promise<ChaosReport> {
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => {});
  const project = await chaosProject(o);
  const env = { DATABASE_URL: POSTGRES_URL, SNAP_ENDPOINT: o.endpoint, SNAP_CAPI_TOKEN: 'chaos-token' };
  const runs: string[] = [];
  const deadline = Date.now() + o.deadlineMs;
  try {
    const deployed = await runCli(['deploy'], { cwd: project.dir, env });
    if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
    const stops = o.stops ?? 0;
    let unrecordedAfterStops = 0;
    for (let n = 1; n <= stops + o.kills; n++) {
      const stop = n <= stops;
      const start = (await stats(o.endpoint)).accepted;
      // A random point of the run still to come, plus a random few ms: batches in flight, a
      // watermark being saved, a retry waiting.
      const target = start + 1 + Math.floor(random() * Math.max(1, (o.events - start) / (stops + o.kills - n + 2)));
      const sync = startCli(['sync'], project.dir, env);
      let exited: string | undefined;
      void sync.exited.then((e) => (exited ??= String(e.code ?? e.signal)));
      while (exited === undefined && (await stats(o.endpoint)).accepted < target && Date.now() < deadline) await pause(10);
      await pause(Math.floor(random() * 40));
      if (exited === undefined) {
        exited = stop ? 'STOPPED' : 'KILLED';
        sync.child.kill(stop ? 'SIGTERM' : 'SIGKILL');
      }
      const { code, signal } = await sync.exited;
      if (stop && exited === 'STOPPED') {
        exited = `STOPPED ${code ?? signal}`;
        const ledger = new Set(await project.ledgerIds());
        unrecordedAfterStops += (await acceptedIds(o.endpoint)).filter((id) => !ledger.has(id)).length;
      }
      runs.push(exited);
      log(`sync ${runs.length}: ${runs.at(-1)} at ${(await stats(o.endpoint)).accepted} accepted event(s)`);
    }
    while (runs.at(-1) !== '0') {
      if (runs.length >= o.kills + o.maxRuns || Date.now() > deadline) throw new Error(`sync did not exit 0 within the bounds; runs: ${runs.join(', ')}`);
      const result = await runCli(['sync'], { cwd: project.dir, env });
      runs.push(String(result.code));
      log(`sync ${runs.length}: exit ${result.code}${result.code === 0 ? '' : ` (${lastLine(result.stderr)})`}`);
    }
    const expected = await project.outboundIds();
    const received = new Set(await acceptedIds(o.endpoint));
    const final = await stats(o.endpoint);
    return {
      expected: expected.length,
      receivedUnique: received.size,
      missing: expected.filter((id) => !received.has(id)).length,
      duplicates: final.duplicates,
      unrecordedAfterStops,
      accepted: final.accepted,
      runs,
      requests: final.requests,
      byStatus: final.by_status,
    };
  } finally {
    await project.drop();
  }
}

interface ChaosProject {
  dir: string;
  outboundIds(): Promise<string[]>;
  /** event_ids in the ledger (accepted or refused). */
  ledgerIds(): Promise<string[]>;
  drop(): Promise<void>;
}

// The same source on both warehouses; loaded_at repeats ten times so the event_id breaks ties.
const sourceSelect = (events: number) => `
  select 'c' || lpad(g::text, 8, '0') as id, now() - interval '2 hours' + g * interval '1 ms' as paid_at,
         now() - interval '1 hour' + (g / 10) * interval '1 ms' as loaded_at, 'user' || g || '@example.com' as email,
         10 + g % 90 as total, 'EUR' as cur
  from generate_series(1, ${Number(events)}) as g`;

async function chaosProject(o: ChaosOptions): Promise<ChaosProject> {
  const schema = uniqueName('capi_chaos');
  const source = o.warehouse === 'postgres' ? `${schema}_src` : 'shop';
  const warehouse = o.warehouse === 'postgres'
    ? `type: postgres\n  url: \${DATABASE_URL}\n  schema: ${schema}`
    : 'type: pglite\n  path: .capi-sync/warehouse\n  seeds: seeds\n  schema: capi_sync';
  const dir = await tempProject({
    'activations.yml': `warehouse:
  ${warehouse}
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
  endpoint: \${SNAP_ENDPOINT}
${o.snapchat.trim().split('\n').map((line) => `  ${line.trim()}`).join('\n')}
activations:
  ${ACTIVATION}:
    pixel_id: px-chaos
    event_name: PURCHASE
    source: ${source}.orders
    mapping: { event_time: paid_at, email: email, value: total, currency: cur, order_id: id }
    cursor: loaded_at
`,
  });
  if (o.warehouse === 'postgres') {
    await pgQuery(`create schema "${source}"`);
    await pgQuery(`create table "${source}".orders as ${sourceSelect(o.events)}`);
  } else {
    await mkdir(join(dir, 'seeds'));
    await writeFile(join(dir, 'seeds', 'orders.sql'), `create schema shop;\ncreate table shop.orders as ${sourceSelect(o.events)};\n`);
  }
  const capi = o.warehouse === 'postgres' ? schema : 'capi_sync';
  const ids = async (sql: string): Promise<string[]> => {
    if (o.warehouse === 'postgres') return (await pgQuery(sql)).map((r) => String(r.event_id));
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(join(dir, '.capi-sync', 'warehouse'));
    try {
      return (await db.query<{ event_id: string }>(sql)).rows.map((r) => r.event_id);
    } finally {
      await db.close();
    }
  };
  return {
    dir,
    outboundIds: () => ids(`select event_id from "${capi}"."${ACTIVATION}_outbound"`),
    ledgerIds: () => ids(`select event_id from "${capi}".capi_sync_ledger`),
    drop: async () => {
      if (o.warehouse === 'postgres') await dropSchemas(schema, source);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stats(endpoint: string): Promise<SandboxStats> {
  const response = await request(`${endpoint}/_sandbox/stats`);
  return (await response.body.json()) as SandboxStats;
}

async function acceptedIds(endpoint: string): Promise<string[]> {
  const response = await request(`${endpoint}/_sandbox/events`);
  return ((await response.body.json()) as { event_id: string }[]).map((e) => e.event_id);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
