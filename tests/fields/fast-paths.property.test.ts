import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneMacroOptions } from '../../runner/render/phone-codes.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { postgresDialect } from '../../runner/warehouse/postgres.ts';
import { TARGETS, type Harness } from './harness.ts';

// The Postgres macros read the usual shapes of a phone, a name and a postal code with translate and
// plain character classes, and fall back on default.sql for anything else. For random values written
// with the characters those fields hold (and those that must leave the fast path), both give the same
// answer.

const r = createRenderer(postgresDialect);
const SAMPLES = 3000;

const text = (chars: string, maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(''));
/** Numbers as people write them: a prefix, groups of digits and separators, maybe an extension. */
const writtenPhone = fc
  .tuple(
    fc.constantFrom('', '+', '00', '(+', 'tel:+', ' +', '0', '(0)', '1-', '+00', '+0', '+39 0', '+44 0'),
    fc.array(fc.tuple(fc.stringMatching(/^[0-9]{1,4}$/), fc.constantFrom(' ', '-', '.', '/', '(0)', '', ')', '(', '+')), { minLength: 2, maxLength: 5 }),
    fc.constantFrom('', '', '', ' x12', ' ext. 9', '#4', 'E+11', '\u00a0'),
  )
  .map(([prefix, groups, suffix]) => prefix + groups.map(([d, sep]) => d + sep).join('') + suffix);
const FIELDS = {
  phone: fc.oneof(writtenPhone, text('0000123456789 ()-+./xX#eE\u00a0t', 22)),
  name: text("abcXYZ '-.éÉüß王\u0301 1\t", 14),
  postal_code: text('0123456789 -abcSWAE\u00a0é\t', 12),
};
const MACROS = {
  phone: ['normalise_phone', [phoneMacroOptions(undefined), phoneMacroOptions('44'), phoneMacroOptions('1'), phoneMacroOptions('39')]],
  name: ['normalise_name', [{}]],
  postal_code: ['normalise_postal_code', [{}]],
} as const;

for (const target of TARGETS) describe.skipIf(target.skip)(`fast paths on ${target.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await target.open();
  });
  afterAll(async () => h?.close());

  it.each(Object.keys(FIELDS) as (keyof typeof FIELDS)[])('%s: the fast path answers as default.sql for random values', async (field) => {
    const values = fc.sample(FIELDS[field], { numRuns: SAMPLES, seed: 42 }).map((v) => v.trim() || null);
    const [macro, settings] = MACROS[field];
    for (const options of settings) {
      const fast = r.macro(macro, { value: 'v', ...options });
      const general = r.macro(macro, { value: 'v', ...options, from: 'default' });
      expect(fast).not.toBe(general);
      const rows = await h.warehouse.query(`select v, ${fast} as fast, ${general} as general from unnest(cast(? as text[])) as t(v)`, [values]);
      const differ = rows.filter((row) => row.fast !== row.general);
      expect(differ, `${macro} ${JSON.stringify(options)}`).toEqual([]);
      expect(rows.filter((row) => row.fast !== null).length).toBeGreaterThan(SAMPLES / 20);
    }
  });
});
