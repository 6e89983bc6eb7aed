import { describe, expect, it } from 'vitest';
import { posixToJs, snowflakeExpression } from './snowflake-eval.ts';

// The reading of Snowflake's functions that runs the Snowflake rendering of the macros here, checked
// against examples of Snowflake's own function reference (docs.snowflake.com/en/sql-reference/functions).

const run = (sql: string, v: string | null = null) => snowflakeExpression(sql)({ v });

describe('Snowflake functions as documented', () => {
  it.each([
    ["translate('peach', 'eac', 'EA')", 'pEAh'],
    ["ltrim('#000000123', '0#')", '123'],
    ["trim('❄-❄ABC-❄-', '❄-')", 'ABC'],
    ["regexp_replace('It was the best of times, it was the worst of times', '( ){1,}', '')", 'Itwasthebestoftimes,itwastheworstoftimes'],
    ["regexp_replace('firstname middlename lastname', '(.*) (.*) (.*)', '\\\\3, \\\\1 \\\\2')", 'lastname, firstname middlename'],
    ["regexp_substr('It was the best of times, it was the worst of times', 'the\\\\W+\\\\w+')", 'the best'],
    ["regexp_substr('It was the best of times, it was the worst of times', 'the\\\\W+\\\\w+', 1, 2)", 'the worst'],
    ["regexp_like('San Francisco', 'san.*', 'i')", true],
    ["regexp_like('San Francisco', 'San')", false],
    ["substr('testing 1 2 3', 9, 3)", '1 2'],
    ["nullif('a', 'a')", null],
    ["iff(1 = 1, 'yes', 'no')", 'yes'],
    ["array_size(split('127.0.0.1', '.'))", 4],
    ["get(split('a,b', ','), 1)::varchar", 'b'],
    ["to_json(array_remove(split('a,,b', ','), ''::variant))", '["a","b"]'],
    ["'a' || null", null],
    ["length('Zoë ❤')", 5],
    ["case 'b' when 'a' then 1 when 'b' then 2 end", 2],
    ["case when null then 1 else 3 end", 3],
    ["'x' in ('a', null)", null],
    ["cast('7' as integer) + 1", 8],
    ["'\\u00e9\\t'", 'é\t'],
  ])('%s → %j', (sql, expected) => {
    expect(run(sql)).toEqual(expected);
  });

  it('reads a column, and passes null through the functions that do not take it', () => {
    expect(run('lower(v)', 'ABC')).toBe('abc');
    expect(run('lower(v)')).toBeNull();
    expect(run('v is null')).toBe(true);
  });

  it('translates POSIX bracket expressions: classes, a leading ], escapes', () => {
    expect(posixToJs('[[:space:]]*,[[:space:]]*')).toBe('[ \\t\\n\\v\\f\\r]*,[ \\t\\n\\v\\f\\r]*');
    expect(posixToJs('^[[{]|[]}]$')).toBe('^[\\[{]|[\\]}]$');
    expect(posixToJs('[^0-9+]')).toBe('[^0-9+]');
  });

  it('refuses what it does not read, rather than guess', () => {
    expect(() => run('sha2(v, 256)', 'x')).toThrow('the Snowflake function sha2 is not read here');
    expect(() => run("regexp_like(v, '[[:punct:]]')", 'x')).toThrow('unknown class [:punct:]');
    expect(() => snowflakeExpression("lower('a'")).toThrow();
  });
});
