import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS, REJECTION_REASONS } from '../../runner/render/fields.ts';
import { validateEvent } from '../../runner/sandbox/validate.ts';
import { DAY, NOW, TARGETS, deploy, type Harness } from './harness.ts';
import { HOSTILE_TYPES, hostileTypeDdl } from './hostile-values.ts';

// Whatever a source column holds, of any Postgres type and mapped to any field, reading the views never
// fails and every row is either in <activation>_outbound, with an event Snap accepts, or in
// <activation>_rejected, with a documented reason. Each type's column feeds three activations:
//   all_<type>     every field (event_time, event_name, event_id, value, email, ...) from that column;
//   time_<type>    event_time from it, everything else good: the row is sent or held back for its time;
//   fields_<type>  every field but event_time, email and action_source from it, as an OFFLINE SIGN_UP:
//                  the row is always sent.

const TYPES = Object.keys(HOSTILE_TYPES);
const ROWS_PER_RUN = 8;
const RUNS = 4;
const column = (type: string) => `v_${type}`;
const TIME_REASONS = ['missing_event_time', 'invalid_event_time', 'event_in_future', 'event_too_old'];
const SLACK = 120;

function activations(source: string): string {
  const fields = Object.keys(FIELDS);
  const mapping = (entries: [string, string][]) => `{ ${entries.map(([f, c]) => `${f}: ${c}`).join(', ')} }`;
  return TYPES.map((type) => {
    const v = column(type);
    // action_source stays OFFLINE: a WEB or MOBILE_APP event rightly needs fields a bad value would leave out.
    const others = fields.filter((f) => !['event_time', 'email', 'event_name', 'action_source'].includes(f));
    return `
  all_${type}:
    pixel_id: p
    source: ${source}
    cursor: c
    mapping: ${mapping(fields.map((f) => [f, v]))}
  time_${type}:
    pixel_id: p
    event_name: PURCHASE
    source: ${source}
    cursor: c
    mapping: ${mapping([['event_time', v], ['event_id', 'id'], ['value', 'val'], ['currency', 'cur'], ['email', 'e']])}
  fields_${type}:
    pixel_id: p
    event_name: SIGN_UP
    source: ${source}
    cursor: c
    mapping: ${mapping([['event_time', 't'], ['email', 'e'], ...others.map((f): [string, string] => [f, v])])}
`;
  }).join('');
}

type Row = Record<string, string | null>;
/** A failing row is reported with its values cut short: one may be a megabyte. */
function printable(row: Row): Row {
  const short = (v: string | null) => (v !== null && v.length > 60 ? `${v.slice(0, 60)}… (${v.length} characters)` : v);
  const text = () => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, short(v)])));
  return Object.defineProperty(row, fc.toStringMethod, { value: text });
}
const rowArb = fc.record(Object.fromEntries(TYPES.map((type) => [type, fc.option(HOSTILE_TYPES[type].random, { freq: 6 })]))).map(printable);
/** The first run: every edge value of every type, row i holding edge i (cycling through shorter lists). */
const edgeRows: Row[] = Array.from({ length: Math.max(...TYPES.map((t) => HOSTILE_TYPES[t].edges.length)) + 1 }, (_, i) =>
  Object.fromEntries(TYPES.map((type) => {
    const edges = HOSTILE_TYPES[type].edges;
    return [type, i === edges.length ? null : edges[i % edges.length]];
  }))).map(printable);

for (const target of TARGETS) describe.skipIf(target.skip)(`hostile values on ${target.name}`, () => {
  let h: Harness;
  let table: string;
  beforeAll(async () => {
    h = await target.open();
    table = `${h.sourceSchema}.hostile`;
    for (const ddl of hostileTypeDdl(h.sourceSchema)) await h.warehouse.exec(ddl);
    const typed = TYPES.map((type) => `${column(type)} ${HOSTILE_TYPES[type].sql.replace('@', h.sourceSchema)}`);
    await h.warehouse.exec(`create table ${table} (id text, c timestamptz, t timestamptz, e text, val text, cur text, ${typed.join(', ')})`);
    await deploy(h.warehouse, activations(table));
  }, 300_000);
  afterAll(async () => h?.close());

  async function load(rows: Row[]): Promise<void> {
    // Each value goes in as text, read by the type's own input function (PGlite wants bytes for a bytea parameter).
    const casts = TYPES.map((type) => `cast(cast(? as text) as ${HOSTILE_TYPES[type].sql.replace('@', h.sourceSchema)})`);
    await h.warehouse.exec(`delete from ${table}`);
    for (const [i, row] of rows.entries()) {
      await h.warehouse.exec(
        `insert into ${table} values (?, cast(? as timestamptz), cast(? as timestamptz), 'a@b.co', '9.99', 'EUR', ${casts.join(', ')})`,
        [`r${i}`, new Date((NOW + i) * 1000).toISOString(), new Date((NOW - 3600) * 1000).toISOString(), ...TYPES.map((type) => row[type])],
      );
    }
  }

  /** Both views of an activation, keyed by row number (the cursor is NOW + row number). */
  async function read(activation: string) {
    const view = (kind: string) => `${h.warehouse.schema}.${activation}_${kind}`;
    const key = `cast(extract(epoch from "cursor") as bigint) - ${NOW}`;
    const sent = await h.warehouse.query(`select ${key} as k, payload from ${view('outbound')}`);
    const held = await h.warehouse.query(`select ${key} as k, reason, event_time from ${view('rejected')}`);
    return {
      sent: new Map(sent.map((r) => [Number(r.k), JSON.parse(String(r.payload)) as Record<string, any>])),
      held: new Map(held.map((r) => [Number(r.k), { reason: String(r.reason), event_time: r.event_time === null ? null : Number(r.event_time) }])),
    };
  }

  async function check(rows: Row[]): Promise<void> {
    await load(rows);
    const all = rows.map((_, i) => i);
    const shown = (type: string, k: number) => `${JSON.stringify(rows[k][type])?.slice(0, 80)}`;
    for (const type of TYPES) {
      const views: Record<string, Awaited<ReturnType<typeof read>>> = {};
      for (const family of ['all', 'time', 'fields']) {
        const label = `${family}_${type}`;
        const { sent, held } = (views[family] = await read(label));
        expect([...sent.keys(), ...held.keys()].sort((a, b) => a - b), `${label}: each row once`).toEqual(all);
        for (const [k, payload] of sent) {
          expect(validateEvent(payload, { maxAgeDays: 7, now: (NOW + SLACK) * 1000 }), `${label} row ${k}: ${shown(type, k)}`).toEqual([]);
        }
        for (const [k, { reason }] of held) expect(REJECTION_REASONS, `${label} row ${k}`).toContain(reason);
      }
      for (const [k, { reason, event_time }] of views.time.held) {
        expect(TIME_REASONS, `time_${type} row ${k}: ${shown(type, k)}`).toContain(reason);
        if (rows[k][type] === null) expect(reason, `time_${type} row ${k}`).toBe('missing_event_time');
        expect(event_time === null, `time_${type} row ${k}: ${reason}`).toBe(reason === 'missing_event_time' || reason === 'invalid_event_time');
      }
      for (const payload of views.time.sent.values()) expect(payload.event_time).toBeGreaterThanOrEqual(NOW - 7 * DAY - SLACK);
      expect([...views.fields.held.entries()], `fields_${type}: a bad optional field never holds a SIGN_UP back`).toEqual([]);
    }
  }

  it(`every row is sent or held back with a documented reason (${TYPES.length} column types: every edge value, then ${RUNS - 1} runs of ${ROWS_PER_RUN} random rows)`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(rowArb, { minLength: ROWS_PER_RUN, maxLength: ROWS_PER_RUN }), check), {
      numRuns: RUNS,
      examples: [[edgeRows]],
    });
  }, 600_000);
});
