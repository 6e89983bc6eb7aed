import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, NOW, TARGETS, deploy, readViews, type Harness, type Held, type Sent } from './harness.ts';
import { hostileTypeDdl } from './hostile-values.ts';

// Values a column can hold that made a view raise (every read of the activation failed, naming no row).
// Each is now read: the row is sent, or held back with a reason, and the views read without error.

const COLUMNS = { txt: 'text', d: 'date', j: 'json', ja: 'json[]', dj: '@.dom_json', pr: '@.pair' } as const;

interface Poison {
  name: string;
  field: string;
  column: keyof typeof COLUMNS;
  /** SQL giving the value, cast to the column's type. */
  sql: string;
  /** The reason it is held back, or what the sent event carries. */
  expected: { reason: string; event_time?: null } | { custom: Record<string, unknown> };
}

const POISONS: Poison[] = [
  { name: 'a value of 200,000 digits', field: 'value', column: 'txt', sql: `repeat('9', 200000)`, expected: { reason: 'invalid_value' } },
  { name: 'a value with 20,000 decimals', field: 'value', column: 'txt', sql: `'1.' || repeat('0', 20000)`, expected: { reason: 'invalid_value' } },
  { name: 'an epoch event_time with 20,000 decimals', field: 'event_time', column: 'txt', sql: `'${NOW - HOUR}.' || repeat('0', 20000)`, expected: { reason: 'invalid_event_time', event_time: null } },
  { name: 'num_items 1 with 20,000 zeros after the point', field: 'num_items', column: 'txt', sql: `'1.' || repeat('0', 20000)`, expected: { custom: { value: 9.99, currency: 'EUR', num_items: 1 } } },
  { name: 'a date event_time past timestamp’s range (5874897-12-31)', field: 'event_time', column: 'd', sql: `'5874897-12-31'`, expected: { reason: 'invalid_event_time', event_time: null } },
  { name: 'a date event_time in year 294277', field: 'event_time', column: 'd', sql: `'294277-01-01'`, expected: { reason: 'invalid_event_time', event_time: null } },
  { name: 'a json email holding \\u0000', field: 'email', column: 'j', sql: `'"a\\u0000b@example.com"'`, expected: { reason: 'no_user_identifier' } },
  { name: 'a json email holding a lone surrogate \\ud800', field: 'email', column: 'j', sql: `'"\\ud800x@example.com"'`, expected: { reason: 'no_user_identifier' } },
  { name: 'a json event_time of 1e1000000', field: 'event_time', column: 'j', sql: `'1e1000000'`, expected: { reason: 'invalid_event_time', event_time: null } },
  { name: 'a json value of -1e-1000000', field: 'value', column: 'j', sql: `'-1e-1000000'`, expected: { reason: 'invalid_value' } },
  { name: 'json content_ids holding \\u0000 are left out', field: 'content_ids', column: 'j', sql: `'["a\\u0000", "b"]'`, expected: { custom: { value: 9.99, currency: 'EUR' } } },
  { name: 'a json[] order_id holding \\u0000 is left out', field: 'order_id', column: 'ja', sql: `array['"\\u0000"']::json[]`, expected: { custom: { value: 9.99, currency: 'EUR' } } },
  { name: 'a value of a domain over json, 1e1000000', field: 'value', column: 'dj', sql: `'1e1000000'`, expected: { reason: 'invalid_value' } },
  { name: 'an email of a row type holding json with \\udc00', field: 'email', column: 'pr', sql: `row('a@b.co', '"\\udc00"')`, expected: { reason: 'no_user_identifier' } },
];

const activation = (i: number) => `poison_${i}`;

for (const target of TARGETS) describe.skipIf(target.skip)(`values that made a view raise, on ${target.name}`, () => {
  let h: Harness;
  const results = new Map<number, { sent: Sent[]; held: Held[] } | Error>();
  beforeAll(async () => {
    h = await target.open();
    const s = h.sourceSchema;
    for (const ddl of hostileTypeDdl(s)) await h.warehouse.exec(ddl);
    const typed = Object.entries(COLUMNS).map(([name, type]) => `${name} ${type.replace('@', s)}`);
    await h.warehouse.exec(`create table ${s}.poison (id text, c timestamptz, t timestamptz, e text, val text, cur text, ${typed.join(', ')})`);
    for (const [i, p] of POISONS.entries()) {
      await h.warehouse.exec(`insert into ${s}.poison (id, c, t, e, val, cur, ${p.column})
        values ('p${i}', now(), now() - interval '1 hour', 'a@b.co', '9.99', 'EUR', cast(${p.sql} as ${COLUMNS[p.column].replace('@', s)}))`);
    }
    await deploy(h.warehouse, POISONS.map((p, i) => {
      const mapping: Record<string, string> = { event_time: 't', event_id: 'id', email: 'e', value: 'val', currency: 'cur', [p.field]: p.column };
      return `
  ${activation(i)}:
    pixel_id: p
    event_name: PURCHASE
    source: ${s}.poison
    cursor: c
    mapping: { ${Object.entries(mapping).map(([k, v]) => `${k}: ${v}`).join(', ')} }
`;
    }).join(''));
    for (const i of POISONS.keys()) results.set(i, await readViews(h.warehouse, activation(i)).catch((e: Error) => e));
  }, 120_000);
  afterAll(async () => h?.close());

  it.each(POISONS.map((p, i) => [`${p.name} (${p.field} from ${COLUMNS[p.column]})`, p, i] as const))('%s', (_, p, i) => {
    const views = results.get(i)!;
    if (views instanceof Error) throw views;
    const own = <T extends { event_id: string }>(rows: T[]) => rows.filter((r) => r.event_id === `p${i}`);
    if ('reason' in p.expected) {
      expect(own(views.sent)).toEqual([]);
      // The rejected view shows no time when the event_time is the value that cannot be read.
      const time = p.expected.event_time === null ? null : expect.any(Number);
      expect(own(views.held)).toEqual([{ event_id: `p${i}`, reason: p.expected.reason, event_time: time }]);
    } else {
      const [sent] = own(views.sent);
      expect(sent, 'sent').toBeDefined();
      expect(sent.payload.custom_data).toStrictEqual(p.expected.custom);
    }
  });
});
