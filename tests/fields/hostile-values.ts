import fc from 'fast-check';
import { DAY, NOW, isoZ } from './harness.ts';

/**
 * Column types of Postgres and, for each, values no mapped column should hold: each value is the text
 * the type's input function reads (what `cast(? as <type>)` takes), or null. `edges` are the known
 * hazards, all fed on the first run; `random` mixes them with generated ones. Every value here is one
 * the column accepts: the views, not the insert, are under test.
 */
export interface HostileType {
  /** The column's type, as in `create table`; `@` stands for the source schema (enum, domain, row type). */
  sql: string;
  edges: string[];
  random: fc.Arbitrary<string>;
}

const recent = fc.integer({ min: NOW - 10 * DAY, max: NOW + DAY });
/** Text Postgres can hold: no NUL (lone surrogates reach it as U+FFFD). */
const anyText = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replaceAll('\u0000', ''));
const digits = (n: number, digit = '9') => digit.repeat(n);

/** Text that sits on the edge of a reading, or is no value at all. */
const ODD_TEXT = [
  '1e99999', 'NaN', 'Infinity', '-1', '1e15', '1e-99', '+', '.', 'e5', digits(101, '1'),
  '5874897-12-31', '294277-01-01', '99999-12-31T23:59:59.9999999Z', '100000-01-01', '0000-01-01', '2024-02-30', '2024-01-01T25:00',
  '2024-01-01 12:00:00+15:59:59', '2024-01-01 12:00:00+16:00', '2026-11-28-08:00', 'yesterday',
  '\u0001\u001f\u007f', '\u202eabc@example.com', '\u200fPURCHASE', '😀😀', '\uffff', '\u{10ffff}',
  '"\\u0000"', '\\ud800', '{a,b', '[', '{{a}}', '[[],[null]]', '\\N', '00000000-0000-0000-0000-000000000000', 'A'.repeat(64),
  ' ', '\u00a0\u200b', 'PURCHASE', 'eur', 'a@b.co', '+44 7700 900123', '1990-05-17', isoZ(NOW - 3600), String(NOW - 3600),
];
/** Text that once broke a view (more digits than numeric holds), and a huge value: on the first run only. */
export const HOSTILE_TEXT = [
  digits(200_000), `1.${digits(20_000, '0')}`, `0.${digits(20_000, '0')}1`, `-${digits(20_000)}`, `12.${digits(20_000, '0')}e1`,
  'x'.repeat(100_000), ...ODD_TEXT,
];

/** A date, timestamp or timestamptz literal for year `year` (≤ 0: BC; year 0 is 1 BC). */
function dateText(year: number, month: number, day: number, time = '', offset = ''): string {
  const y = String(year <= 0 ? 1 - year : year).padStart(4, '0');
  const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return `${date}${time ? ` ${time}` : ''}${offset}${year <= 0 ? ' BC' : ''}`;
}
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map((parts) => parts.map((p) => String(p).padStart(2, '0')).join(':'));
const calendar = (maxYear: number) => fc.tuple(fc.integer({ min: -4712, max: maxYear }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }));
const DATE_EDGES = ['infinity', '-infinity', '4713-01-01 BC', '0044-03-15 BC', '0001-01-01', '9999-12-31', '12345-06-07'];

/** Quotes one element of an array or row literal. */
const quote = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const arrayOf = (items: (string | null)[]) => `{${items.map((i) => (i === null ? 'NULL' : quote(i))).join(',')}}`;

const JSON_EDGES = [
  'null', '"\\u0000"', '"a\\u0000b@example.com"', '"\\ud800x"', '"\\udc00"', '{"a":"\\udc00"}', '["a\\u0000", "b"]', '1e1000000',
  '-1e-1000000', `[${digits(300)}]`, '"\\ud83d\\ude00"', '  "PURCHASE"  ', '[]', '[null]', '[[1,2],[3]]', '{}', '""', 'true', '123',
  `"${isoZ(NOW - 3600)}"`, `${'['.repeat(500)}${']'.repeat(500)}`, `"${'x'.repeat(100_000)}"`,
];
const anyJson = fc.json({ stringUnit: 'binary', maxDepth: 3 });

export const HOSTILE_TYPES: Record<string, HostileType> = {
  text: { sql: 'text', edges: HOSTILE_TEXT, random: fc.oneof(anyText, fc.constantFrom(...ODD_TEXT), recent.map(isoZ)) },
  varchar: { sql: 'varchar', edges: ODD_TEXT, random: anyText },
  bpchar: { sql: 'char(8)', edges: ['', ' ', 'PURCHASE', 'eur', '😀'], random: fc.string({ unit: 'binary-ascii', maxLength: 8 }).map((s) => s.replaceAll('\u0000', '')) },
  int2: { sql: 'smallint', edges: ['-32768', '32767', '0'], random: fc.integer({ min: -32768, max: 32767 }).map(String) },
  int4: { sql: 'integer', edges: ['-2147483648', '2147483647', '999999999', '1000000000'], random: fc.integer().map(String) },
  int8: { sql: 'bigint', edges: ['-9223372036854775808', '9223372036854775807', String(NOW - 3600), String((NOW - 3600) * 1000)], random: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), recent.map(String)) },
  numeric: {
    sql: 'numeric',
    edges: ['NaN', 'Infinity', '-Infinity', '1e1000', '-1e-1000', `${NOW - 3600}.${digits(1000, '0')}`, '19.99', '-0.0'],
    random: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.stringMatching(/^-?[0-9]{1,40}\.[0-9]{0,40}$/), recent.map(String)),
  },
  float4: { sql: 'real', edges: ['NaN', 'Infinity', '-Infinity', '3.4e38', '1e-45', '-0'], random: fc.float().map(String) },
  float8: { sql: 'double precision', edges: ['NaN', 'Infinity', '-Infinity', '1.7976931348623157e308', '5e-324', '-0', `${NOW - 3600}.5`], random: fc.oneof(fc.double().map(String), recent.map(String)) },
  bool: { sql: 'boolean', edges: ['true', 'false'], random: fc.boolean().map(String) },
  date: { sql: 'date', edges: [...DATE_EDGES, '5874897-12-31', '294277-01-01', '100000-01-01'], random: fc.oneof(calendar(5874896).map(([y, m, d]) => dateText(y, m, d)), recent.map((s) => isoZ(s).slice(0, 10))) },
  timestamp: { sql: 'timestamp', edges: [...DATE_EDGES, '294276-12-31 23:59:59.999999', '100000-01-01 00:00:00'], random: fc.oneof(fc.tuple(calendar(294275), time).map(([[y, m, d], t]) => dateText(y, m, d, t)), recent.map((s) => isoZ(s).slice(0, 19))) },
  timestamptz: { sql: 'timestamptz', edges: [...DATE_EDGES, '294276-12-31 23:59:59.999999+00', '1850-01-01 00:00:00+00'], random: fc.oneof(fc.tuple(calendar(294275), time).map(([[y, m, d], t]) => dateText(y, m, d, t, '+00')), recent.map(isoZ)) },
  time: { sql: 'time', edges: ['24:00:00', '00:00:00'], random: time },
  interval: { sql: 'interval', edges: ['178000000 years', '-178000000 years', '1 day'], random: fc.integer().map((n) => `${n} seconds`) },
  json: { sql: 'json', edges: JSON_EDGES, random: fc.oneof(anyJson, fc.constantFrom(...JSON_EDGES)) },
  jsonb: { sql: 'jsonb', edges: ['null', '"x"', '[null, "a"]', '1e1000', '""', '{"a":[1,{"b":null}]}'], random: fc.json({ stringUnit: 'grapheme', maxDepth: 3 }).filter((j) => !j.includes('\\u0000')) },
  text_array: { sql: 'text[]', edges: ['{}', '{NULL}', '{{a,b},{c,d}}', '{"a,b"}', '{""}', '[0:1]={a,b}'], random: fc.array(fc.option(anyText)).map(arrayOf) },
  int_array: { sql: 'integer[]', edges: ['{}', '{NULL,1}', '{{1,2},{3,4}}'], random: fc.array(fc.option(fc.integer().map(String))).map((a) => `{${a.map((i) => i ?? 'NULL').join(',')}}`) },
  json_array: { sql: 'json[]', edges: [arrayOf(['"\\u0000"']), arrayOf(['null', '1e1000000']), arrayOf(['"\\ud800"'])], random: fc.array(fc.option(anyJson), { maxLength: 4 }).map(arrayOf) },
  uuid: { sql: 'uuid', edges: ['00000000-0000-0000-0000-000000000000'], random: fc.uuid() },
  bytea: { sql: 'bytea', edges: ['\\x00ff', ''], random: fc.uint8Array({ maxLength: 20 }).map((b) => `\\x${Buffer.from(b).toString('hex')}`) },
  inet: { sql: 'inet', edges: ['::1', '10.0.0.0/8', '192.168.0.1'], random: fc.oneof(fc.ipV4(), fc.ipV6()) },
  money: { sql: 'money', edges: ['-92233720368547758.08', '92233720368547758.07', '19.99'], random: fc.integer({ min: -1e9, max: 1e9 }).map((c) => (c / 100).toFixed(2)) },
  enum: { sql: '@.mood', edges: ['happy', 'sad'], random: fc.constantFrom('happy', 'sad') },
  domain_text: { sql: '@.dom_text', edges: ['x', ' '], random: anyText.filter((s) => s !== '') },
  domain_json: { sql: '@.dom_json', edges: ['"\\u0000"', '1e1000000', 'null'], random: anyJson },
  row: { sql: '@.pair', edges: ['(a,"\\"\\\\u0000\\"")', '(,)', '("x",null)'], random: fc.tuple(anyText, anyJson).map(([a, b]) => `(${quote(a)},${quote(b)})`) },
};

/** The enum, domains and row type the table uses, in `schema`. */
export const hostileTypeDdl = (schema: string): string[] => [
  `create type ${schema}.mood as enum ('happy', 'sad')`,
  `create domain ${schema}.dom_text as text check (value <> '')`,
  `create domain ${schema}.dom_json as json`,
  `create type ${schema}.pair as (a text, b json)`,
];
