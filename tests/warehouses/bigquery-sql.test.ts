import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer } from '../../runner/render/render.ts';
import { bigqueryDialect } from '../../runner/warehouse/bigquery.ts';
import { startZetaSql, type ZetaSql } from './zetasql.ts';

/**
 * BigQuery macros evaluated on ZetaSQL's reference evaluator (GoogleSQL's semantics, as BigQuery
 * implements them): the fragments that were wrong on BigQuery, pinned by what they compute.
 */
const r = createRenderer(bigqueryDialect);
let z: ZetaSql;

beforeAll(async () => {
  z = await startZetaSql();
});
afterAll(() => z?.close());

/** Each value of `values` (SQL literals of one type) through `macro`, in order. */
async function each(macro: string, values: string[], hash: Record<string, unknown> = {}): Promise<unknown[]> {
  const rows = await z.evaluate(`select ${r.macro(macro, { ...hash, value: 'x' })} from unnest([${values.join(', ')}]) as x with offset as i order by i`);
  return rows.map((row) => row[0]);
}

/** One value (any SQL literal, arrays included: an array of arrays cannot be built) through `macro`. */
async function one(macro: string, literal: string, hash: Record<string, unknown> = {}): Promise<unknown> {
  return (await z.evaluate(`select ${r.macro(macro, { ...hash, value: 'x' })} from (select ${literal} as x)`))[0][0];
}

describe('to_text and as_text', () => {
  test('a JSON null is no value (SQL NULL), not the text "null"', async () => {
    // A JSON column holding null is not SQL NULL: names were hashed as "null" and every such row got
    // the event_id "null", which Snap then deduplicated into one event.
    const json = ["json 'null'", `json '"Ann"'`, "json '12.5'", `json '{"a": null}'`, "json '[1, null]'", 'null'];
    expect(await each('to_text', json)).toEqual([null, 'Ann', '12.5', '{"a":null}', '[1,null]', null]);
    expect(await each('as_text', json)).toEqual([null, 'Ann', '12.5', '{"a":null}', '[1,null]', null]);
  });

  test('the string "null" stays a string, and other types keep their JSON value', async () => {
    expect(await each('as_text', ["'null'", "' Ann\\u00a0'", "''"])).toEqual(['null', 'Ann', null]);
    expect(await one('as_text', "timestamp '2024-05-01 12:00:00.123456+00'")).toBe('2024-05-01T12:00:00.123456Z');
    expect(await one('as_text', "date '2024-05-01'")).toBe('2024-05-01');
    expect(await one('as_text', "['a', 'b']")).toBe('["a","b"]');
  });
});

describe('cursor_text', () => {
  // The runner saves this text as the watermark and sends it back as a parameter: it must name the
  // same value, to the last digit, or rows are skipped or sent again.
  test.each([
    ["timestamp '2024-05-01 12:00:00.123456+00'", '2024-05-01T12:00:00.123456Z', 'timestamp'],
    ["datetime '2024-05-01 12:00:00.000001'", '2024-05-01T12:00:00.000001', 'datetime'],
    ["date '2024-05-01'", '2024-05-01', 'date'],
    ['9007199254740993', '9007199254740993', 'int64'],
    ["numeric '12345678901234567890123456789.123456789'", '12345678901234567890123456789.123456789', 'numeric'],
    ["bignumeric '1234567890123456789012345678901234567.8'", '1234567890123456789012345678901234567.8', 'bignumeric'],
    ["'10'", '10', 'string'],
  ])('%s is read back as %s, which casts back to the same value', async (literal, text, type) => {
    expect(await one('cursor_text', literal)).toBe(text);
    expect(await z.evaluate(`select cast('${text}' as ${type}) = ${literal}`)).toEqual([[true]]);
  });
});
