import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../runner/config/load.ts';
import { REJECTION_REASONS } from '../../runner/render/fields.ts';
import { ROOT } from '../support/cli.ts';
import { DAY, HOUR, NOW, TARGETS, createTable, deploy, isoZ, readViews, type Harness } from './harness.ts';

// Each reason of the rejected view, executed: a row failing it alone is held back with it, and a row
// failing two neighbours in the order is held back with the first, so swapping two reasons in
// runner/render/views.ts fails here (not only in a golden file).

/** The documented order (the first failing reason is shown). */
const ORDER = [
  'missing_event_time', 'invalid_event_time', 'invalid_event_name', 'invalid_action_source', 'event_in_future', 'event_too_old',
  'missing_value', 'invalid_value', 'missing_currency', 'invalid_currency', 'missing_event_source_url', 'missing_app_data',
  'no_user_identifier', 'missing_cursor',
];

type Row = Partial<Record<'event_time' | 'event_name' | 'action_source' | 'value' | 'currency' | 'email' | 'c', string | null>>;
const GOOD: Row = { event_time: isoZ(NOW - HOUR), event_name: 'PURCHASE', action_source: 'OFFLINE', value: '10', currency: 'EUR', email: 'a@b.co', c: isoZ(NOW) };

/** What makes a row fail each reason alone. */
const FAILS: Record<string, Row> = {
  missing_event_time: { event_time: ' ' },
  invalid_event_time: { event_time: 'yesterday' },
  invalid_event_name: { event_name: 'BUY' },
  invalid_action_source: { action_source: 'TV' },
  event_in_future: { event_time: isoZ(NOW + DAY) },
  event_too_old: { event_time: isoZ(NOW - 30 * DAY) },
  missing_value: { value: '' },
  invalid_value: { value: 'abc' },
  missing_currency: { currency: null },
  invalid_currency: { currency: 'dollars' },
  // A web event without its page's URL (none is mapped), an app event without extinfo and tracking flag.
  missing_event_source_url: { action_source: 'WEB' },
  missing_app_data: { action_source: 'MOBILE_APP' },
  no_user_identifier: { email: 'not-an-email' },
  missing_cursor: { c: null },
};

/** The column each reason's failing row sets. */
const COLUMN = (reason: string) => Object.keys(FAILS[reason])[0];
/** Checked only for a PURCHASE: a row whose event name is not Snap's is no PURCHASE, so it cannot fail these. */
const PURCHASE_ONLY = ['missing_value', 'invalid_value', 'missing_currency', 'invalid_currency'];

/**
 * A row failing both reasons of every pair that one row can fail, held back with the first: so each
 * reason's place in the order is pinned against every other, not only its neighbours (with neighbours
 * alone, a reason moved across a pair that excludes each other, such as event_in_future and
 * event_too_old, would go unseen). Two reasons of one column exclude each other (a time cannot be both
 * in the future and too old; one event is not both WEB and MOBILE_APP), but for a missing_* value and
 * its invalid_*: an empty column fails both. max_event_age_days is at least 1 (checked below), so no
 * row is in the future and too old.
 */
const PAIRS: [string, string, Row][] = ORDER.flatMap((first, i) => ORDER.slice(i + 1).flatMap((second): [string, string, Row][] => {
  if (COLUMN(first) === COLUMN(second)) return first.startsWith('missing_') && second === first.replace('missing_', 'invalid_') ? [[first, second, FAILS[first]]] : [];
  if (first === 'invalid_event_name' && PURCHASE_ONLY.includes(second)) return [];
  return [[first, second, { ...FAILS[first], ...FAILS[second] }]];
}));

it('pins every pair of reasons one row can fail, each missing_* before its invalid_* included', () => {
  expect(PAIRS.length).toBeGreaterThan(70);
  expect(PAIRS.map(([a, b]) => `${a}+${b}`)).toEqual(expect.arrayContaining([
    'missing_value+invalid_value', 'missing_value+missing_currency', 'invalid_action_source+event_too_old', 'event_in_future+missing_cursor',
  ]));
});

it('REJECTION_REASONS, which orders the run summary, is the documented order', () => {
  expect(REJECTION_REASONS).toEqual(ORDER);
});

it('the reason table of the docs lists every reason, in the order they are tested', () => {
  const docs = existsSync(join(ROOT, 'docs')) ? readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f)) : [];
  const pages = ['README.md', ...docs];
  const tables = pages.map((page) => [...readFileSync(join(ROOT, page), 'utf8').matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]).filter((code) => ORDER.includes(code)));
  expect(tables.find((codes) => codes.length > 0)).toEqual(ORDER);
});

it('max_event_age_days is at least 1, so no row is both in the future and too old', () => {
  const config = (days: number) => `warehouse: { type: pglite }\nsnapchat: { endpoint: sandbox }\nactivations:\n  a: { pixel_id: p, event_name: PURCHASE, source: s.t, max_event_age_days: ${days}, mapping: { event_time: t, email: e } }\n`;
  expect(() => parseConfig(config(0), {})).toThrow(/max_event_age_days/);
  expect(() => parseConfig(config(1), {})).not.toThrow();
});

for (const target of TARGETS) describe.skipIf(target.skip)(`the reasons and their order on ${target.name}`, () => {
  let h: Harness;
  const reasons = new Map<string, string>();
  beforeAll(async () => {
    h = await target.open();
    const rows = [
      { id: 'good', ...GOOD },
      ...ORDER.map((reason) => ({ id: `only:${reason}`, ...GOOD, ...FAILS[reason] })),
      ...PAIRS.map(([first, second, both]) => ({ id: `pair:${first}+${second}`, ...GOOD, ...both })),
    ];
    const columns = { id: 'text', event_time: 'text', event_name: 'text', action_source: 'text', value: 'text', currency: 'text', email: 'text', c: 'timestamptz' };
    await createTable(h.warehouse, `${h.sourceSchema}.orders`, columns, rows);
    await deploy(h.warehouse, `
  orders:
    pixel_id: p
    source: ${h.sourceSchema}.orders
    cursor: c
    max_event_age_days: 7
    mapping: { event_id: id, event_time: event_time, event_name: event_name, action_source: action_source, value: value, currency: currency, email: email }
`);
    const { sent, held } = await readViews(h.warehouse, 'orders');
    for (const s of sent) reasons.set(s.event_id, 'sent');
    for (const r of held) reasons.set(r.event_id, r.reason);
  });
  afterAll(async () => h?.close());

  it('sends the good row', () => {
    expect(reasons.get('good')).toBe('sent');
  });

  it.each(ORDER)('%s: a row failing it alone is held back with it', (reason) => {
    expect(reasons.get(`only:${reason}`)).toBe(reason);
  });

  it.each(PAIRS)('%s comes before %s', (first, second) => {
    expect(reasons.get(`pair:${first}+${second}`)).toBe(first);
  });
});
