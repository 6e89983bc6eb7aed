import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRAY_KEYS, HOUR, NOW, TARGETS, createTable, deploy, isoZ, readViews, type Harness } from './harness.ts';

// For random people written as exports write them, no outbound payload carries their email, phone or
// name in clear text, and every hashed key is 64 lower-case hex.

const ROWS_PER_RUN = 200;

// Names always hold one letter outside ASCII, or are common ASCII names, so that finding one in a
// payload is a leak and never a chance match with a JSON key or a hash.
const letters = [...'abcdefghijklmnopqrstuvwxyzéèüößñçøåæłżжлдяσλω王李明'];
const unicodeName = fc
  .tuple(fc.constantFrom(...'éüößñøæłжяλω王'), fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 9 }), fc.boolean())
  .map(([first, rest, capital]) => {
    const name = [first, ...rest].join('');
    return capital ? name[0].toUpperCase() + name.slice(1) : name;
  });
const asciiName = fc.constantFrom('Smith', 'Johnson', 'Williams', 'Garcia', 'Miller', 'Wilson', 'Olivia', 'Liam', 'Noah', 'Quinn', "O'Neil", 'Mary-Jane');
const name = fc.tuple(fc.oneof(unicodeName, asciiName), fc.constantFrom('', ' ', '\u00a0', '  ')).map(([n, pad]) => `${pad}${n}${pad}`);

const email = fc.tuple(fc.emailAddress(), fc.boolean(), fc.constantFrom('', ' ', '\t'))
  .map(([address, upper, pad]) => `${pad}${upper ? address.toUpperCase() : address}${pad}`);

/** A phone number: country code, national digits, and one of the ways people write it. */
const phone = fc
  .tuple(fc.constantFrom('1', '44', '33', '49', '81'), fc.stringMatching(/^[2-9][0-9]{8,9}$/), fc.integer({ min: 0, max: 5 }))
  .map(([cc, n, style]) => {
    const spaced = `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
    const written = [`+${cc} ${spaced}`, `00${cc}-${n}`, `0${spaced}`, `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, `+${cc} (0)${n}`, `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)} ext. 9`][style];
    return { written, national: n, international: `${cc}${n}` };
  });

const person = fc.record({ email: fc.option(email), phone: fc.option(phone), first_name: fc.option(name), last_name: fc.option(name), city: fc.option(name) });
type Person = typeof person extends fc.Arbitrary<infer T> ? T : never;

/** Every spelling of a person's PII that must not appear in a payload. */
function clearTexts(p: Person): string[] {
  const out: string[] = [];
  if (p.email) out.push(p.email.trim(), p.email.trim().toLowerCase());
  if (p.phone) out.push(p.phone.written, p.phone.written.replace(/\D/g, ''), p.phone.national, p.phone.international, `44${p.phone.national}`);
  for (const n of [p.first_name, p.last_name, p.city]) {
    if (n) out.push(n.trim(), n.trim().toLowerCase(), n.toLowerCase().replace(/[^\p{L}]/gu, ''));
  }
  return out.filter((t) => t.length >= 3);
}

const HASHED_KEYS = ['em', 'ph', 'fn', 'ln', 'ct'];

for (const target of TARGETS) describe.skipIf(target.skip)(`PII on ${target.name}`, () => {
  let h: Harness;
  let table: string;
  beforeAll(async () => {
    h = await target.open();
    table = `${h.sourceSchema}.people`;
    await createTable(h.warehouse, table, { id: 'text', t: 'timestamptz', email: 'text', phone: 'text', first_name: 'text', last_name: 'text', city: 'text' }, []);
    await deploy(h.warehouse, `
  people:
    pixel_id: p
    event_name: SIGN_UP
    source: ${table}
    phone_country_code: "44"
    mapping: { event_time: t, event_id: id, email: email, phone: phone, first_name: first_name, last_name: last_name, city: city }
`);
  });
  afterAll(async () => h?.close());

  it(`no payload carries clear-text PII and every hashed key is 64 lower-case hex (${ROWS_PER_RUN} rows a run)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, { minLength: ROWS_PER_RUN, maxLength: ROWS_PER_RUN }), async (people) => {
        await h.warehouse.exec(`delete from ${table}`);
        for (let i = 0; i < people.length; i += 100) {
          const chunk = people.slice(i, i + 100);
          await h.warehouse.exec(
            `insert into ${table} values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            chunk.flatMap((p, j) => [`p-${i + j}`, isoZ(NOW - HOUR), p.email, p.phone?.written ?? null, p.first_name, p.last_name, p.city]),
          );
        }
        const { sent, held } = await readViews(h.warehouse, 'people');
        expect(sent.length + held.length).toBe(people.length);
        for (const s of sent) {
          const p = people[Number(s.event_id.slice(2))];
          // event_time is the one number in the payload; a phone's digits could only match it by chance.
          const text = s.text.replace(/"event_time":\s*\d+/, '');
          for (const clear of clearTexts(p)) expect(text, `${s.event_id}: ${clear}`).not.toContain(clear);
          const user = s.payload.user_data as Record<string, unknown>;
          expect(Object.keys(user).every((k) => HASHED_KEYS.includes(k))).toBe(true);
          for (const key of HASHED_KEYS) {
            if (!(key in user)) continue;
            const array = ARRAY_KEYS.includes(key);
            const value = array ? (user[key] as unknown[])[0] : user[key];
            if (array) expect(user[key]).toHaveLength(1);
            expect(value, `${s.event_id}.${key}`).toMatch(/^[0-9a-f]{64}$/);
          }
        }
      }),
      { numRuns: 4 },
    );
  });
});
