import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIELDS, FIELD_NAMES, canonicalField, type FieldName } from '../../runner/render/fields.ts';
import { ROOT } from '../support/cli.ts';
import { ACTION_SOURCE_MAPPING, ACTION_SOURCE_ROWS } from './action-source-cases.ts';
import { CASES, ORDERS_ACTIVATION } from './cases.ts';
import { NORMALISATION_CASES, VALUE_CASES } from './normalisation-cases.ts';

// The field table (runner/render/fields.ts, which docs/fields.md lists) against the cases the suite
// executes on PGlite and Postgres: a field added without a case fails here. The reasons are held to the
// same by reason-order.test.ts (each reason alone and before every other it can meet).

/** Fields given a value by an executed case, from the case sets that map them. */
function executedFields(): Set<FieldName> {
  const given = new Set<FieldName>();
  const add = (field: string) => given.add(canonicalField(field)!);
  for (const c of [...NORMALISATION_CASES, ...VALUE_CASES]) add(c.field); // normalisation.test.ts
  const orders = parse(`a:${ORDERS_ACTIVATION('s.t')}`).a.orders.mapping as Record<string, string>; // fields.test.ts
  for (const [field, column] of Object.entries(orders)) {
    if (CASES.some((c) => (c.row as Record<string, string | undefined>)[column]?.trim())) add(field);
  }
  for (const [field, column] of Object.entries(ACTION_SOURCE_MAPPING)) { // action-sources.test.ts
    if (ACTION_SOURCE_ROWS.some(([, row]) => row[column]?.trim())) add(field);
  }
  return given;
}

describe('the field table', () => {
  it('docs/fields.md lists every field a mapping may name, and no other', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'fields.md'), 'utf8');
    const tables = docs.split(/^\| mapping name \|.*\n\| --- .*\n/m).slice(1).map((rest) => rest.split(/\n(?!\|)/)[0]);
    const names = tables.flatMap((rows) => rows.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z_0-9]+)`/g)].map((m) => m[1])));
    expect([...new Set(names)].sort()).toEqual([...FIELD_NAMES].sort());
  });

  it('every field has an executed case that gives it a value', () => {
    const given = executedFields();
    expect(Object.keys(FIELDS).filter((field) => !given.has(field as FieldName))).toEqual([]);
  });

  it('every field capi-sync rewrites (a normalise macro) has a case sent and a case left out in the normalisation table', () => {
    const rewritten = Object.entries(FIELDS).filter(([, spec]) => 'normalise' in spec).map(([field]) => field);
    const sent = new Set(NORMALISATION_CASES.filter((c) => c.expected !== null).map((c) => c.field as string));
    const leftOut = new Set(NORMALISATION_CASES.filter((c) => c.expected === null).map((c) => c.field as string));
    expect(rewritten.filter((field) => !sent.has(field))).toEqual([]);
    expect(rewritten.filter((field) => !leftOut.has(field))).toEqual([]);
  });
});
