import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, NOW, TARGETS, createTable, deploy, isoZ, plain, readViews, userData, type Harness } from './harness.ts';

// Columns as warehouses type them (timestamptz, timestamp, date, epoch numbers, numeric, arrays), read
// under any session TimeZone and DateStyle; and phones in every common format under each
// phone_country_code setting.

const RECENT = NOW - HOUR;
const day = (seconds: number) => Math.floor(seconds / DAY) * DAY;
const date = (seconds: number) => isoZ(seconds).slice(0, 10);

/** One instant written into every time column, each in its own type and unit. */
const times = (s: number | null) => s === null ? {} : {
  t_tz: isoZ(s), t_ts: plain(s), t_date: date(s), t_epoch: s, t_ms: s * 1000 + 5, t_num: `${s}.5`, t_float: s * 1000 + 0.5,
};
const ROWS = { recent: RECENT, old: RECENT - 30 * DAY, future: RECENT + 3 * DAY, empty: null };
const TYPED_COLUMNS = {
  id: 'text', t_tz: 'timestamptz', t_ts: 'timestamp', t_date: 'date', t_epoch: 'bigint', t_ms: 'bigint', t_num: 'numeric',
  t_float: 'double precision', value_num: 'numeric(12,2)', value_float: 'double precision', cur: 'text', phone_num: 'bigint',
  zip_int: 'integer', ids: 'text[]', n: 'integer', dob: 'date', email: 'text',
};
/** Time column → how its instant reads (a date is midnight UTC), and the value column used with it. */
const TIME_COLUMNS = {
  t_tz: { at: (s: number) => s, value: 'value_num', expected: 19.9 },
  t_ts: { at: (s: number) => s, value: 'value_num', expected: 19.9 },
  t_date: { at: day, value: 'value_num', expected: 19.9 },
  t_epoch: { at: (s: number) => s, value: 'value_float', expected: 19.99 },
  t_ms: { at: (s: number) => s, value: 'value_float', expected: 19.99 },
  t_num: { at: (s: number) => s, value: 'value_num', expected: 19.9 },
  t_float: { at: (s: number) => s, value: 'value_float', expected: 19.99 },
} as const;
type TimeColumn = keyof typeof TIME_COLUMNS;

const typedActivation = (source: string, column: TimeColumn) => `
  typed_${column}:
    pixel_id: p
    event_name: purchase
    source: ${source}
    phone_country_code: 44
    mapping: { event_time: ${column}, event_id: id, value: ${TIME_COLUMNS[column].value}, currency: cur, email: email, phone: phone_num, zip: zip_int, content_ids: ids, num_items: n }
`;

/** Phone as written → normalised digits with no country code, with "44", with "1" (null: left out). */
const PHONES: [string, string | null, string | null, string | null][] = [
  ['(415) 555-0132', '4155550132', '444155550132', '14155550132'],
  ['1-415-555-0133', '14155550133', '4414155550133', '14155550133'],
  ['415.555.0134', '4155550134', '444155550134', '14155550134'],
  ['+1 415 555 0135', '14155550135', '14155550135', '14155550135'],
  ['+44 (0)20 7946 0136', '442079460136', '442079460136', '442079460136'],
  ['0044 20 7946 0137', '442079460137', '442079460137', '442079460137'],
  ['020 7946 0138', '2079460138', '442079460138', '12079460138'],
  ['06 12 34 56 78', '612345678', '44612345678', '1612345678'],
  ['555-0139', null, '445550139', '15550139'],
  ['+44 7700 900140 x 12', '447700900140', '447700900140', '447700900140'],
  ['(+33) 6 12 34 56 79', '33612345679', '33612345679', '33612345679'],
  ['+00 12', null, null, null],
  [' \u00a0 ', null, null, null],
];
/** Values a time column can hold that no event has: each is held back, as the text reading would. */
const EDGES = { inf: 'infinity', neg_inf: '-infinity', bc: '0044-03-15 BC', far: '12345-01-01' };
const EDGE_COLUMNS = ['t_tz', 't_ts', 't_date'] as const;

const PHONE_SETTINGS = [['phones_none', ''], ['phones_44', 'phone_country_code: "44"'], ['phones_1', 'phone_country_code: 1']] as const;

for (const target of TARGETS) describe.skipIf(target.skip)(`typed columns and phone formats on ${target.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await target.open();
    const source = `${h.sourceSchema}.typed`;
    const rows = Object.entries(ROWS).map(([id, s]) => ({
      id, ...times(s), value_num: '19.90', value_float: 19.99, cur: ' eur', phone_num: 7700900001, zip_int: 10001,
      ids: '{sku-1,"sku 2"}', n: 3, dob: '1990-05-17', email: 'Typed@Example.com ',
    }));
    await createTable(h.warehouse, source, TYPED_COLUMNS, rows);
    await createTable(h.warehouse, `${h.sourceSchema}.phones`, { id: 'text', phone: 'text', t: 'timestamptz' },
      PHONES.map(([phone], i) => ({ id: `phone-${i}`, phone, t: isoZ(RECENT) })));
    const phones = PHONE_SETTINGS.map(([name, option]) => `
  ${name}:
    pixel_id: p
    event_name: LOGIN
    source: ${h.sourceSchema}.phones
    ${option}
    mapping: { event_time: t, event_id: id, phone: phone }
`);
    await createTable(h.warehouse, `${h.sourceSchema}.edges`, { id: 'text', t_tz: 'timestamptz', t_ts: 'timestamp', t_date: 'date', email: 'text' },
      Object.entries(EDGES).map(([id, t]) => ({ id, t_tz: t, t_ts: t, t_date: t, email: 'a@b.co' })));
    const edges = EDGE_COLUMNS.map((column) => `
  edges_${column}:
    pixel_id: p
    event_name: SIGN_UP
    source: ${h.sourceSchema}.edges
    mapping: { event_time: ${column}, event_id: id, email: email }
`);
    await deploy(h.warehouse, [...Object.keys(TIME_COLUMNS).map((c) => typedActivation(source, c as TimeColumn)), ...phones, ...edges].join(''));
  });
  afterAll(async () => h?.close());

  it.each(Object.keys(TIME_COLUMNS) as TimeColumn[])('event_time from a %s column: Unix seconds, old and future held back', async (column) => {
    const spec = TIME_COLUMNS[column];
    const { sent, held } = await readViews(h.warehouse, `typed_${column}`);
    expect(sent.map((s) => s.payload)).toStrictEqual([{
      event_name: 'PURCHASE',
      event_time: spec.at(ROWS.recent),
      event_id: 'recent',
      action_source: 'OFFLINE',
      user_data: userData({ em: 'typed@example.com', ph: '447700900001', zp: '10001' }),
      custom_data: { value: spec.expected, currency: 'EUR', content_ids: ['sku-1', 'sku 2'], num_items: 3 },
    }]);
    expect(held).toStrictEqual([
      { event_id: 'empty', event_time: null, reason: 'missing_event_time' },
      { event_id: 'future', event_time: spec.at(ROWS.future), reason: 'event_in_future' },
      { event_id: 'old', event_time: spec.at(ROWS.old), reason: 'event_too_old' },
    ]);
  });

  it.each(['t_tz', 't_ts', 't_date'] as const)('reads a %s column the same under TimeZone Asia/Kolkata and DateStyle SQL, DMY', async (column) => {
    const expected = await readViews(h.warehouse, `typed_${column}`);
    const session = await readViews(h.warehouse, `typed_${column}`, (sql) => h.withSession(["timezone = 'Asia/Kolkata'", "datestyle = 'SQL, DMY'"], sql));
    expect(session.sent.map((s) => s.payload)).toStrictEqual(expected.sent.map((s) => s.payload));
    expect(session.held).toStrictEqual(expected.held);
  });

  it.each(EDGE_COLUMNS)('holds back infinities and BC dates in a %s column as missing, and year 12345 as in the future', async (column) => {
    const { sent, held } = await readViews(h.warehouse, `edges_${column}`);
    expect(sent).toEqual([]);
    expect(held).toStrictEqual([
      { event_id: 'bc', event_time: null, reason: 'missing_event_time' },
      { event_id: 'far', event_time: Date.UTC(12345, 0, 1) / 1000, reason: 'event_in_future' },
      { event_id: 'inf', event_time: null, reason: 'missing_event_time' },
      { event_id: 'neg_inf', event_time: null, reason: 'missing_event_time' },
    ]);
  });

  it.each(PHONE_SETTINGS.map(([name], i) => [name, i] as const))('phones under %s', async (name, setting) => {
    const { sent, held } = await readViews(h.warehouse, name);
    const actual = Object.fromEntries([
      ...sent.map((s) => [s.event_id, s.payload.user_data]),
      ...held.map((r) => [r.event_id, r.reason]),
    ]);
    const expected = Object.fromEntries(PHONES.map((p, i) => {
      const digits = p[setting + 1];
      return [`phone-${i}`, digits === null ? 'no_user_identifier' : userData({ ph: digits })];
    }));
    expect(actual).toStrictEqual(expected);
  });
});
