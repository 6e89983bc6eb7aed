import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unicodeChars } from '../../runner/render/letters.ts';
import { SNAP_EVENT_NAMES } from '../../runner/render/fields.ts';
import { createRenderer, type Renderer } from '../../runner/render/render.ts';
import { normaliseField } from '../../runner/render/views.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import { postgresDialect } from '../../runner/warehouse/postgres.ts';
import { snowflakeDialect } from '../../runner/warehouse/snowflake.ts';
import { snowflakeExpression } from '../warehouses/snowflake-eval.ts';
import { startZetaSql, type ZetaSql } from '../warehouses/zetasql.ts';
import { TARGETS, type Harness } from './harness.ts';
import { NORMALISATION_CASES, VALUE_CASES, VALUE_MACROS, type NormalisationCase, type ValueCase } from './normalisation-cases.ts';

// Every row of the normalisation table (and of the value table: value, currency, num_items, content_ids,
// event_name) through the real macros: executed on PGlite and Postgres (as the views do it: as_text,
// then the field's macro), the BigQuery rendering on ZetaSQL's reference evaluator (GoogleSQL, RE2, ICU),
// and the Snowflake rendering, which cannot run here, read by tests/warehouses/snowflake-eval.ts as
// Snowflake's docs define its functions (the live test runs the real engine, with credentials). Where the
// rule is data (letters, place names) the Snowflake rendering is also checked against it directly.

const label = (c: NormalisationCase) => `${c.field} ${JSON.stringify(c.input)}${c.country_code ? ` (country code ${c.country_code})` : ''} → ${c.expected ?? 'left out'} [${c.source}]`;

const valueLabel = (c: ValueCase) => `${c.field} ${JSON.stringify(c.input.length > 40 ? `${c.input.slice(0, 12)}…(${c.input.length})` : c.input)} → ${c.expected ?? 'left out'}`;
/** The SQL of a value case: as_text, then its field's macro, as the views read it. */
const valueSql = (r: Renderer, c: ValueCase, value: string) => r.macro(VALUE_MACROS[c.field], { value: r.macro('as_text', { value }), names: SNAP_EVENT_NAMES });
/** What a warehouse answered, in the case's terms: numbers as numbers, JSON arrays without spaces. */
const asExpected = (out: unknown, c: ValueCase) => (out === null ? null : typeof c.expected === 'number' ? Number(out) : String(out).replace(/", "/g, '","'));

function groups(): Map<string, NormalisationCase[]> {
  const out = new Map<string, NormalisationCase[]>();
  for (const c of NORMALISATION_CASES) {
    const key = `${c.field}|${c.country_code ?? ''}`;
    out.set(key, [...(out.get(key) ?? []), c]);
  }
  return out;
}

for (const target of TARGETS) describe.skipIf(target.skip)(`normalisation table on ${target.name}`, () => {
  let h: Harness;
  const answers = new Map<NormalisationCase, string | null>();
  beforeAll(async () => {
    h = await target.open();
    const r = createRenderer(h.warehouse.dialect);
    for (const cases of groups().values()) {
      const { field, country_code } = cases[0];
      const sql = normaliseField(r, field, r.macro('as_text', { value: 't.v' }), country_code);
      const rows = await h.warehouse.query(`select t.i, cast(${sql} as text) as out from unnest(cast(? as text[])) with ordinality as t(v, i) order by t.i`, [cases.map((c) => c.input)]);
      rows.forEach((row, i) => answers.set(cases[i], row.out === null ? null : String(row.out).replace(/", "/g, '","')));
    }
    for (const c of VALUE_CASES) {
      const [row] = await h.warehouse.query(`select cast(${valueSql(r, c, 't.v')} as text) as out from (select cast(? as text) as v) as t`, [c.input]);
      values.set(c, asExpected(row!.out, c));
    }
  });
  afterAll(async () => h?.close());
  const values = new Map<ValueCase, unknown>();

  it.each(VALUE_CASES.map((c) => [valueLabel(c), c] as const))('%s', (_, c) => {
    expect(values.get(c)).toBe(c.expected);
  });

  it('covers every field with a rule, from Snap, its SDKs and peers', () => {
    const fields = new Set(NORMALISATION_CASES.map((c) => c.field));
    for (const f of ['email', 'phone', 'first_name', 'city', 'state', 'postal_code', 'country', 'gender', 'external_id', 'madid', 'event_source_url', 'action_source', 'extinfo', 'advertiser_tracking_enabled']) expect(fields).toContain(f);
    const sources = new Set(NORMALISATION_CASES.map((c) => c.source));
    for (const s of ['snap-docs', 'snap-sdk', 'segment', 'meta', 'issue']) expect(sources).toContain(s);
  });

  it.each(NORMALISATION_CASES.map((c) => [label(c), c] as const))('%s', (_, c) => {
    expect(answers.get(c)).toBe(c.expected);
  });
});

describe('normalisation table on BigQuery (ZetaSQL reference evaluator)', () => {
  let z: ZetaSql;
  const answers = new Map<NormalisationCase, string | null>();
  beforeAll(async () => {
    z = await startZetaSql();
    z.addTable(['cases'], [{ name: 'i', type: { typeKind: 'TYPE_STRING' } }, { name: 'v', type: { typeKind: 'TYPE_STRING' } }]);
    const r = createRenderer(bigqueryDialect);
    for (const cases of groups().values()) {
      const { field, country_code } = cases[0];
      const sql = normaliseField(r, field, r.macro('as_text', { value: 'v' }), country_code);
      // extinfo and url_schemes are JSON: their text as BigQuery writes it; every other answer is a STRING or a BOOL.
      const text = field === 'extinfo' || field === 'url_schemes' ? `case when ${sql} is not null then to_json_string(${sql}) end` : `cast(${sql} as string)`;
      const rows = await z.evaluate(`select i, ${text} from cases`, { cases: cases.map((c, i) => [String(i), c.input]) });
      for (const [i, out] of rows) answers.set(cases[Number(i)], out === null ? null : String(out));
    }
    for (const c of VALUE_CASES) {
      const sql = valueSql(r, c, 'v');
      const text = c.field === 'content_ids' ? `case when ${sql} is not null then to_json_string(${sql}) end` : `cast(${sql} as string)`;
      const [[out]] = await z.evaluate(`select ${text} from cases`, { cases: [['0', c.input]] });
      values.set(c, asExpected(out, c));
    }
  });
  const values = new Map<ValueCase, unknown>();

  it.each(VALUE_CASES.map((c) => [valueLabel(c), c] as const))('%s', (_, c) => {
    expect(values.get(c)).toBe(c.expected);
  });
  afterAll(() => z?.close());

  it.each(NORMALISATION_CASES.map((c) => [label(c), c] as const))('%s', (_, c) => {
    expect(answers.get(c)).toBe(c.expected);
  });
});

describe('normalisation table on Snowflake (its SQL read by tests/warehouses/snowflake-eval.ts)', () => {
  const r = createRenderer(snowflakeDialect);
  const answers = new Map<NormalisationCase, string | null>();
  for (const cases of groups().values()) {
    const { field, country_code } = cases[0]!;
    const expression = snowflakeExpression(normaliseField(r, field, r.macro('as_text', { value: 'v' }), country_code));
    for (const c of cases) {
      const out = expression({ v: c.input });
      answers.set(c, out === null ? null : typeof out === 'string' ? out : JSON.stringify(out));
    }
  }

  it.each(VALUE_CASES.map((c) => [valueLabel(c), c] as const))('%s', (_, c) => {
    const out = snowflakeExpression(valueSql(r, c, 'v'))({ v: c.input });
    expect(asExpected(out === null || typeof out !== 'object' ? out : JSON.stringify(out), c)).toBe(c.expected);
  });

  // Snowflake has no NFC: a decomposed accent stays decomposed there (docs/fields.md says so).
  it.each(NORMALISATION_CASES.map((c) => [label(c), c] as const))('%s', (_, c) => {
    expect(answers.get(c)).toBe(c.snowflakeNoNfc ? c.input.toLowerCase() : c.expected);
  });
});

/** The characters Snowflake's letters_only removes, read back from its rendering. */
function snowflakeRemoved(sql: string): Set<string> {
  const list = /translate\(v, '((?:[^']|'')*)', ''\)/su.exec(sql)![1];
  return new Set([...list.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/''/g, "'")]);
}

describe('the same table in the BigQuery and Snowflake renderings', () => {
  const bq = createRenderer(bigqueryDialect);
  const sf = createRenderer(snowflakeDialect);
  const names = NORMALISATION_CASES.filter((c) => c.field === 'first_name' || c.field === 'city');

  it("Snowflake's translate list removes exactly what is no letter: every name case comes out as on Postgres", () => {
    const removed = snowflakeRemoved(sf.macro('letters_only', { value: 'v' }));
    for (const ch of ['\u2009', '\u3000', '\u00a0', '\u200b', '\u0001', '\u007f', '©', '€', '❤', '\ufe0f', '٣', '😀', "'"]) expect(removed, JSON.stringify(ch)).toContain(ch);
    for (const ch of ['é', 'д', '小', '\u0301', 'ि', '्']) expect(removed, ch).not.toContain(ch);
    for (const c of names) {
      const out = [...c.input].filter((ch) => !removed.has(ch)).join('').toLowerCase() || null;
      // Snowflake has no NFC: a decomposed accent stays decomposed (documented in docs/fields.md).
      expect(out, label(c)).toBe(c.snowflakeNoNfc ? c.input.toLowerCase() : c.expected);
    }
  });

  it("BigQuery's pattern is Unicode's letters and marks, NFC first: every name case comes out as on Postgres", () => {
    const sql = bq.macro('normalise_name', { value: 'v' });
    expect(sql).toContain("normalize(v, NFC)");
    const pattern = /r'([^']+)'/.exec(sql)![1].replace(/\\x\{([0-9A-F]+)\}/g, '\\u{$1}');
    const re = new RegExp(pattern, 'gu');
    for (const c of names) expect(c.input.normalize('NFC').replace(re, '').toLowerCase() || null, label(c)).toBe(c.expected);
  });

  it.each([['country', bq], ['country', sf], ['state', bq], ['state', sf]] as const)('%s: the rendered name table answers every case', (field, r) => {
    const sql = normaliseField(r, field, 'v', undefined);
    const table = new Map([...sql.matchAll(/when '([^']+)' then '([a-z]{2})'/g)].map((m) => [m[1], m[2]]));
    expect(table.size).toBeGreaterThan(field === 'country' ? 900 : 100);
    for (const c of NORMALISATION_CASES.filter((x) => x.field === field)) {
      const key = c.input.normalize('NFC').replace(/[^\p{L}\p{M}]/gu, '').toLowerCase();
      const answer = table.get(key) ?? (field === 'state' && [...key].length === 2 ? key : null);
      expect(answer, label(c)).toBe(c.expected);
    }
  });

  it.each([['bigquery', bq], ['snowflake', sf]] as const)('%s: phones drop the zeros before the country code and a trunk 0 after it, except where it belongs', (_, r) => {
    const italy = normaliseField(r, 'phone', 'v', '39');
    const uk = normaliseField(r, 'phone', 'v', '44');
    expect(uk).toContain("ltrim(regexp_replace(replace(regexp_replace(v,");
    expect(uk).toMatch(/regexp_replace\(ltrim\(.*'0'\), r?'\^\(1\|7\|20\|27\|30\|31\|32\|33\|34\|36\|40/s);
    expect(uk).not.toMatch(/\|39\||22\[0-9\]|24\[0-9\]/);
    expect(uk).toContain("'44' || ltrim(");
    expect(italy).toContain("'39' || regexp_replace(");
    expect(italy).not.toContain("'39' || ltrim(");
  });

  it.each([['bigquery', bq], ['snowflake', sf]] as const)('%s: postal codes and emails count the same characters as spaces as Postgres', (_, r) => {
    for (const field of ['postal_code', 'email'] as const) {
      const sql = normaliseField(r, field, 'v', undefined);
      expect(sql, field).toContain('\\u2009\\u200a\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff');
      expect(sql, field).not.toMatch(/\\s|\[:space:\]/);
    }
  });

  it('the removed list has no letter in it and misses no symbol of the first planes', () => {
    const removed = unicodeChars('removed');
    expect(removed.filter((c) => /\p{L}/u.test(c.char))).toEqual([]);
    expect(removed.length).toBeGreaterThan(7000);
  });
});
