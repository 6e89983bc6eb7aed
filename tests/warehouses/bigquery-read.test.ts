import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer, type Statement } from '../../runner/render/render.ts';
import { scanStart } from '../../runner/state/lookback.ts';
import { StateStore, type Watermark } from '../../runner/state/state.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import type { Column, Warehouse } from '../../runner/warehouse/types.ts';
import { startZetaSql, type ZetaSql } from './zetasql.ts';

/**
 * The runner's read on BigQuery (macros/read_outbound, after_watermark, cursor_param), run on ZetaSQL's
 * reference evaluator over fixture rows of the prepared view and the ledger: which events a run reads past
 * a watermark, within the look-back, and which the ledger leaves out, for each type a cursor column has.
 * The cursor is compared in its own type, as the read's `order by` sorts it.
 */
const SCHEMA = 'my-project.capi_sync';
const state = new StateStore({ schema: SCHEMA, dialect: bigqueryDialect } as Warehouse, createRenderer(bigqueryDialect));
let z: ZetaSql;

beforeAll(async () => {
  z = await startZetaSql();
});
afterAll(() => z?.close());

/** A row of the prepared view: its cursor as a SQL literal of the cursor's type. */
interface Prepared {
  id: string;
  cursor: string;
  reason?: string;
}
/** A ledger row: the event and how many days ago it was sent. */
interface Sent {
  id: string;
  daysAgo: number;
}

const text = (s: string) => `'${s.replaceAll("'", "\\'")}'`;

/**
 * The statement with its tables replaced by these rows, its `?` by named STRING parameters: the runner
 * sends its values as STRING parameters, which BigQuery does not coerce to another type (a literal
 * would be).
 */
function inline(s: Statement, view: string, rows: Prepared[], ledger: Sent[]): [string, Record<string, string | null>] {
  const prepared = rows.map((r) => `struct(${text(r.id)} as event_id, ${r.cursor} as cursor, '{"e":1}' as payload, ${r.reason ? text(r.reason) : 'cast(null as string)'} as reason, 1 as event_time, 'em' as match_keys)`);
  const sent = ledger.map((l) => `struct('a' as activation, ${text(l.id)} as event_id, 'accepted' as status, timestamp_sub(current_timestamp(), interval ${l.daysAgo} day) as sent_at)`);
  const ledgerRows = sent.length > 0 ? `[${sent.join(', ')}]` : 'array<struct<activation string, event_id string, status string, sent_at timestamp>>[]';
  let sql = s.sql
    .replaceAll(`\`${SCHEMA}\`.\`${view}\``, `(select * from unnest([${prepared.join(', ')}]))`)
    .replaceAll(`\`${SCHEMA}\`.\`capi_sync_ledger\``, `(select * from unnest(${ledgerRows}))`);
  const params: Record<string, string | null> = {};
  let n = 0;
  sql = sql.replace(/\?/g, () => {
    const value = s.params[n];
    params[`p${n}`] = value === null || value === undefined ? null : String(value);
    return `@p${n++}`;
  });
  expect(n).toBe(s.params.length);
  return [sql, params];
}

/** The rows a run reads: event_id, and whether past the watermark (1) or read again in the look-back (0). */
async function read(cursor: Column, rows: Prepared[], o: { watermark: Watermark; lookback?: number; ledger?: Sent[]; reasons?: boolean }): Promise<string[]> {
  const start = o.lookback ? scanStart(o.watermark.cursor, cursor.kind, o.lookback) : undefined;
  if (o.lookback) expect(start).toBeDefined();
  const s = state.readStatement({ activation: 'a', view: 'a_prepared', watermark: o.watermark, scanStart: start, cursor, reasons: o.reasons, ledgerDays: 8 });
  const [sql, params] = inline(s, 'a_prepared', rows, o.ledger ?? []);
  const result = await z.evaluate(sql, {}, params);
  // The read comes in no order: compared as sets.
  return result.map(([id, , payload, reason, , , past]) => `${id}${past === '1' ? '' : ' (again)'}${reason ? ` ${reason}${payload === null ? '' : ' WITH PAYLOAD'}` : ''}`).sort();
}

const STRING: Column = { name: 'cursor', type: 'STRING', kind: 'text' };
const INT64: Column = { name: 'cursor', type: 'INT64', kind: 'number' };
const TIMESTAMP: Column = { name: 'cursor', type: 'TIMESTAMP', kind: 'timestamp' };

describe('the BigQuery read on the reference evaluator', () => {
  test('a STRING cursor is compared as a string, as the runner orders places', async () => {
    // As text '1' < '10' < '2' < '9'; the old filter compared these as numbers, so after a watermark at
    // '10' it skipped '2' and '9' for good.
    const rows = ['1', '10', '2', '9'].map((c) => ({ id: `e${c}`, cursor: text(c) })).concat({ id: 'e10b', cursor: "'10'" });
    expect(await read(STRING, rows, { watermark: { cursor: '10', event_id: 'e10' } })).toEqual(['e10b', 'e2', 'e9']);
    // Text that reads as a timestamp is still text.
    const times = ['2026-05-01 10:00:00', '2026-05-01T09:00:00Z', '2026-05-01 11:00:00'].map((c, i) => ({ id: `t${i}`, cursor: text(c) }));
    expect(await read(STRING, times, { watermark: { cursor: '2026-05-01 10:00:00', event_id: 't0' } })).toEqual(['t1', 't2']);
  });

  test('an INT64 cursor: past the watermark, the look-back read again, events the recent ledger holds left out', async () => {
    const rows = [1100, 1200, 1250, 1299, 1300, 1301, 1302].map((c) => ({ id: `e${c}`, cursor: String(c) }));
    const ledger = [{ id: 'e1250', daysAgo: 0 }, { id: 'e1299', daysAgo: 1 }, { id: 'e1301', daysAgo: 30 }, { id: 'e1302', daysAgo: 7 }];
    const watermark = { cursor: '1299', event_id: 'e1299' };
    // Lookback 100 s: from 1199. e1250 and e1299 were sent; e1302 was sent 7 days ago, inside the
    // 8-day window; e1301's ledger row is 30 days old, past the window the anti-join reads.
    expect(await read(INT64, rows, { watermark, lookback: 100, ledger })).toEqual(['e1200 (again)', 'e1300', 'e1301']);
    // Without the look-back: strictly past (1299, e1299).
    expect(await read(INT64, rows, { watermark, ledger: [] })).toEqual(['e1300', 'e1301', 'e1302']);
    // Numbers, not text: 1300 > 999.
    expect(await read(INT64, [{ id: 'big', cursor: '1300' }], { watermark: { cursor: '999', event_id: 'z' } })).toEqual(['big']);
  });

  test('a TIMESTAMP cursor, to the microsecond, with the look-back and the held-back rows', async () => {
    const at = (s: string) => `timestamp '${s}'`;
    const rows = [
      { id: 'old', cursor: at('2026-05-01 10:59:00+00') },
      { id: 'late', cursor: at('2026-05-01 11:30:00+00') },
      { id: 'held', cursor: at('2026-05-01 11:40:00+00'), reason: 'event_in_future' },
      { id: 'a', cursor: at('2026-05-01 12:00:00.123456+00') },
      { id: 'b', cursor: at('2026-05-01 12:00:00.123456+00') },
      { id: 'c', cursor: at('2026-05-01 12:00:00.123457+00') },
      { id: 'd', cursor: at('2026-05-01 14:00:01+02') },
    ];
    const watermark = { cursor: '2026-05-01T12:00:00.123456Z', event_id: 'a' };
    expect(await read(TIMESTAMP, rows, { watermark, lookback: 3600, ledger: [{ id: 'a', daysAgo: 0 }], reasons: true })).toEqual([
      'b', 'c', 'd', 'held (again) event_in_future', 'late (again)',
    ]);
    expect(await read(TIMESTAMP, rows, { watermark })).toEqual(['b', 'c', 'd']);
  });

  test.each([
    [{ name: 'cursor', type: 'DATETIME', kind: 'timestamp' }, "datetime '2026-05-01 12:00:00.000001'", '2026-05-01T12:00:00.000001', "datetime '2026-05-01 12:00:00.000002'"],
    [{ name: 'cursor', type: 'DATE', kind: 'date' }, "date '2026-05-01'", '2026-05-01', "date '2026-05-02'"],
    [{ name: 'cursor', type: 'NUMERIC', kind: 'number' }, "numeric '12345678901234567890.000000001'", '12345678901234567890.000000001', "numeric '12345678901234567890.000000002'"],
    [{ name: 'cursor', type: 'FLOAT64', kind: 'number' }, '1.5', '1.5', '2.25'],
  ] as [Column, string, string, string][])('a %o cursor is compared in its own type', async (cursor, at, mark, later) => {
    const rows = [{ id: 'x', cursor: at }, { id: 'y', cursor: at }, { id: 'z', cursor: later }];
    expect(await read(cursor, rows, { watermark: { cursor: mark, event_id: 'x' } })).toEqual(['y', 'z']);
  });
});

describe('reset on the reference evaluator', () => {
  /** A warehouse whose queries run on the evaluator over these rows; its writes are not run. */
  const evaluating = (rows: Prepared[], ledger: Sent[]): Warehouse => ({
    schema: SCHEMA, dialect: bigqueryDialect,
    query: async (sql, params = []) => {
      const [select, values] = inline({ sql, params }, 'a_prepared', rows, ledger);
      const rowsOut = await z.evaluate(`select to_json_string(t) from (${select}) as t`, {}, values);
      return rowsOut.map(([json]) => JSON.parse(String(json)));
    },
    exec: async () => 0,
    execScript: async () => {},
  }) as Partial<Warehouse> as Warehouse;

  test("--to is read as the cursor column's type and written back as the watermark keeps it; a value the type cannot hold fails", async () => {
    const onTimestamps = new StateStore(evaluating([{ id: 'x', cursor: "timestamp '2026-01-01 00:00:00+00'" }], []), createRenderer(bigqueryDialect));
    expect(await onTimestamps.cursorValue('a_prepared', '2026-05-01 12:00:00.5+02', TIMESTAMP)).toBe('2026-05-01T10:00:00.500Z');
    await expect(onTimestamps.cursorValue('a_prepared', 'not-a-time', TIMESTAMP)).rejects.toThrow(/timestamp/i);
    // BigQuery coerces a STRING parameter to a TIMESTAMP, never to a number.
    const onNumbers = new StateStore(evaluating([{ id: 'x', cursor: '1' }], []), createRenderer(bigqueryDialect));
    expect(await onNumbers.cursorValue('a_prepared', '1299', INT64)).toBe('1299');
    await expect(onNumbers.cursorValue('a_prepared', '12.5', INT64)).rejects.toThrow(/int64/i);
  });

  test("the ledger rows reset removes are those of events past the new watermark, compared in the cursor's type", async () => {
    const rows = ['1', '10', '2', '9'].map((c) => ({ id: `e${c}`, cursor: text(c) }));
    const reset = new StateStore(evaluating(rows, rows.map((r) => ({ id: r.id, daysAgo: 1 }))), createRenderer(bigqueryDialect));
    // Past ('10', ''): e10 itself (every event at that cursor is sent again), e2 and e9.
    expect(await reset.reset('a', 'a_prepared', { cursor: '10', event_id: '' }, STRING)).toBe(3);
  });
});
