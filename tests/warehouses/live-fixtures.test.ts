import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { fixtureRows, pgliteReference } from './live-fixtures.ts';

/** The live tests compare Snowflake and BigQuery with this PGlite run; here it is checked to hold together. */
test('the live fixture runs on PGlite: every row is sent or held back once, for the documented reason', async () => {
  const { payloads, reasons } = await pgliteReference();
  const ids = fixtureRows().map((row) => row[0]);
  expect([...Object.keys(payloads), ...Object.keys(reasons)].sort()).toEqual(ids.sort());
  expect(reasons).toMatchObject({ f08: 'missing_event_time', f09: 'event_in_future', f10: 'event_too_old', f11: 'missing_value', f12: 'missing_currency', f13: 'invalid_currency', f14: 'no_user_identifier', f15: 'invalid_event_name', f17: 'invalid_event_time', f18: 'invalid_value', f21: 'invalid_value', f22: 'invalid_event_time' });
  expect(payloads.f23).toMatchObject({ custom_data: { num_items: 1 } });
  // The extension after # is cut off (Snowflake and BigQuery must agree, row by row, in the live tests).
  expect(payloads.f24).toMatchObject({ user_data: { ph: [createHash('sha256').update('447700900123').digest('hex')] } });
  expect(payloads.f01).toMatchObject({ event_id: 'f01', action_source: 'OFFLINE', user_data: { em: ['cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9'], ph: ['dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383'], ct: ['350c754ba4d38897693aa077ef43072a859d23f613443133fecbbd90a3512ca5'] } });
}, 60_000);
