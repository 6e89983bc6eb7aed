import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer } from '../../runner/render/render.ts';
import { History } from '../../runner/state/history.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import type { Row, Warehouse } from '../../runner/warehouse/types.ts';
import { startZetaSql, type ZetaSql } from './zetasql.ts';

/**
 * What `report` and `status` count on BigQuery (macros/report_*), run on ZetaSQL's reference evaluator
 * over fixture rows of capi-sync's tables: the History class reads them through a warehouse whose query
 * puts the rows in place of the tables and binds the activation as a STRING parameter, as BigQuery is
 * sent it.
 */
const SCHEMA = 'my-project.capi_sync';
let z: ZetaSql;
let tables: Record<string, string> = {};

beforeAll(async () => {
  z = await startZetaSql();
});
afterAll(() => z?.close());

/** The warehouse History talks to: each table replaced by `tables[name]`, its rows as the evaluator answers them. */
const evaluator = {
  schema: SCHEMA,
  dialect: bigqueryDialect,
  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    let text = sql;
    for (const [name, rows] of Object.entries(tables)) text = text.replaceAll(`\`${SCHEMA}\`.\`${name}\``, `(select * from unnest(${rows}))`);
    let n = 0;
    const named: Record<string, string> = {};
    text = text.replace(/\?/g, () => {
      named[`p${n}`] = String(params[n]);
      return `@p${n++}`;
    });
    // Each row as JSON, so that its cells come with their names as the driver gives them.
    const rows = await z.evaluate(`select to_json_string(t) from (${text}) as t`, {}, named);
    return rows.map(([json]) => JSON.parse(String(json)) as Row);
  },
} as unknown as Warehouse;
const history = new History(evaluator, createRenderer(bigqueryDialect));

const ledger = (activation: string, id: string, keys: string | null, status: string, eventAgo: number, sentDaysAgo: number) =>
  `struct('${activation}' as activation, '${id}' as event_id, unix_seconds(current_timestamp()) - ${eventAgo} as event_time, ${keys === null ? 'cast(null as string)' : `'${keys}'`} as match_keys, '${status}' as status, timestamp_sub(current_timestamp(), interval ${sentDaysAgo} day) as sent_at)`;

describe('the report\'s figures on the BigQuery reference evaluator', () => {
  test('match-key coverage of the accepted events sent in the period, and the lag', async () => {
    tables = {
      capi_sync_ledger: `[${[
        ledger('a', 'e1', 'em,ph,fn', 'accepted', 7200, 0),
        ledger('a', 'e2', 'em', 'accepted', 3600, 1),
        ledger('a', 'e3', null, 'accepted', 9000, 2), // no match_keys recorded: carries none
        ledger('a', 'e4', 'em,ph', 'refused', 60, 0),
        ledger('a', 'e5', 'em,ph', 'accepted', 60, 40), // before the period
        ledger('b', 'e6', 'ph', 'accepted', 60, 0),
      ].join(', ')}]`,
    };
    const c = await history.coverage('a', 30);
    expect(c.sent).toBe(3);
    expect(c.keys).toMatchObject({ em: 2, ph: 1, fn: 1, ln: 0, country: 0, external_id: 0 });
    expect(c.now - c.newest_event_time!).toBe(3600);
  });

  test('runs summed and in buckets; the refusals by answer with the count of all', async () => {
    const run = (hoursAgo: number, status: string, sent: number, seconds: number) =>
      `struct('a' as activation, timestamp_sub(current_timestamp(), interval ${hoursAgo * 60} minute) as started_at, timestamp_add(timestamp_sub(current_timestamp(), interval ${hoursAgo * 60} minute), interval ${seconds * 1000} millisecond) as finished_at, '${status}' as status, ${sent} as sent, 1 as rejected_by_view, 0 as rejected_by_snap, 0 as retries)`;
    tables = { capi_sync_runs: `[${[run(3, 'ok', 10, 1.5), run(2, 'failed', 0, 0.5), run(1, 'skipped', 0, 0), run(24 * 40, 'ok', 99, 1)].join(', ')}]` };
    expect(await history.runTotals('a', 30)).toMatchObject({ runs: 2, failed: 1, sent: 10, held_back: 2, mean_seconds: 1, max_seconds: 1.5 });
    const series = await history.runSeries('a', 30, 1);
    expect(series.map((b) => [b.sent, b.mean_seconds])).toEqual([[10, 1.5], [0, 0.5]]);

    const error = (id: string, message: string, daysAgo = 0) => `struct('a' as activation, '${id}' as event_id, 400 as http_status, '${message}' as message, timestamp_sub(current_timestamp(), interval ${daysAgo} day) as recorded_at)`;
    tables = { capi_sync_delivery_errors: `[${[error('x2', 'bad em'), error('x1', 'bad em'), error('y', 'bad ph'), error('old', 'bad em', 40)].join(', ')}]` };
    const refused = await history.refusals('a', 30, 1);
    expect(refused).toMatchObject({ events: 3, answers: 2, top: [{ http_status: 400, message: 'bad em', events: 2, example_event_id: 'x1' }] });
  });
});
