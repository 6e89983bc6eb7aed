import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, NOW, TARGETS, createTable, deploy, isoZ, readViews, sha256, userData, type Harness } from './harness.ts';

// A mapping model as users write them: strings cast to numbers, numbers cast to strings, columns the
// views do not need; no event_id and no order_id, so each event gets a deterministic id. And an
// activation that maps two fields of a wide table: nothing else may be sent.

const PAID = NOW - 2 * HOUR;
const MODEL = (schema: string) => `-- Till exports: amounts arrive as text, quantities and phones as numbers.
select
  cast(extract(epoch from paid_at) as text) as event_time,
  cast(amount_text as numeric)              as value,
  upper(cur)                                as currency,
  mail                                      as email,
  cast(phone_digits as text)                as phone,
  cast(qty as text)                         as num_items,
  cashier_name,                             -- not a field: ignored
  loaded_at
from ${schema}.till
`;
const ACTIVATIONS = (schema: string) => `
  till:
    pixel_id: p
    event_name: PURCHASE
    model: till.sql
    cursor: loaded_at
    phone_country_code: "44"
  wide:
    pixel_id: p
    event_name: Sign_Up
    action_source: OFFLINE
    source: ${schema}.till
    mapping: { event_time: paid_at, email: mail }
`;
const TILL = [
  { mail: 'one@example.com', amount_text: '12.50', qty: 1, phone_digits: 7700900011 },
  { mail: 'two@example.com', amount_text: ' 7 ', qty: 2, phone_digits: 7700900012 },
  { mail: 'three@example.com', amount_text: '1e3', qty: 3, phone_digits: null },
  { mail: 'four@example.com', amount_text: '0.99', qty: 40, phone_digits: 7700900014 },
];

for (const target of TARGETS) describe.skipIf(target.skip)(`a mapping model on ${target.name}`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await target.open();
    await createTable(h.warehouse, `${h.sourceSchema}.till`,
      { paid_at: 'timestamptz', amount_text: 'text', cur: 'text', mail: 'text', phone_digits: 'bigint', qty: 'integer', cashier_name: 'text', loaded_at: 'timestamptz' },
      TILL.map((t, i) => ({ ...t, paid_at: isoZ(PAID + i), cur: 'gbp', cashier_name: 'Cashier Secretname', loaded_at: isoZ(NOW - 60 + i) })));
    await deploy(h.warehouse, ACTIVATIONS(h.sourceSchema), { 'till.sql': MODEL(h.sourceSchema) });
  });
  afterAll(async () => h?.close());

  it('reads strings cast to numbers and numbers cast to strings, and ignores the extra column', async () => {
    const { sent, held } = await readViews(h.warehouse, 'till');
    expect(held).toEqual([]);
    const byEmail = new Map(sent.map((s) => [s.payload.user_data.em[0], s.payload]));
    TILL.forEach((t, i) => {
      const payload = byEmail.get(sha256(t.mail));
      expect(payload, t.mail).toBeDefined();
      expect(payload).toStrictEqual({
        event_name: 'PURCHASE',
        event_time: PAID + i,
        event_id: expect.stringMatching(/^cs-[0-9a-f]{32}$/),
        action_source: 'OFFLINE',
        user_data: userData(t.phone_digits ? { em: t.mail, ph: `44${t.phone_digits}` } : { em: t.mail }),
        custom_data: { value: Number(t.amount_text), currency: 'GBP', num_items: t.qty },
      });
    });
    expect(sent.map((s) => s.text).join()).not.toMatch(/cashier|secretname/i);
  });

  it.each(['till', 'wide'])('%s: each event without event_id or order_id gets its own id, the same on every read and every deploy', async (activation) => {
    const ids = async (query?: Parameters<typeof readViews>[2]) =>
      Object.fromEntries((await readViews(h.warehouse, activation, query)).sent.map((s) => [s.payload.user_data.em[0], s.event_id]));
    const first = await ids();
    expect(Object.values(first)).toHaveLength(TILL.length);
    expect(new Set(Object.values(first)).size).toBe(TILL.length);
    for (const id of Object.values(first)) expect(id).toMatch(/^cs-[0-9a-f]{32}$/);
    expect(await ids()).toStrictEqual(first);
    // Another session's TimeZone and DateStyle change how a timestamptz reads as text, not the ids.
    expect(await ids((sql) => h.withSession(["timezone = 'America/Los_Angeles'", "datestyle = 'German'"], sql))).toStrictEqual(first);
    await deploy(h.warehouse, ACTIVATIONS(h.sourceSchema), { 'till.sql': MODEL(h.sourceSchema) });
    expect(await ids()).toStrictEqual(first);
  });

  it('sends only the mapped fields of a wide table', async () => {
    const { sent } = await readViews(h.warehouse, 'wide');
    expect(sent).toHaveLength(TILL.length);
    for (const s of sent) {
      expect(Object.keys(s.payload).sort()).toEqual(['action_source', 'event_id', 'event_name', 'event_time', 'user_data']);
      expect(Object.keys(s.payload.user_data)).toEqual(['em']);
      expect(s.payload).toMatchObject({ event_name: 'SIGN_UP', action_source: 'OFFLINE' });
      expect(s.text).not.toMatch(/cashier|secretname|gbp|7700900/i);
    }
  });
});
