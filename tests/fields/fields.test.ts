import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, NOTE, ORDERS_ACTIVATION, ORDERS_COLUMNS, RECENT, type FieldCase } from './cases.ts';
import { NOW, TARGETS, createTable, deploy, isoZ, readViews, sha256, userData, type Harness, type Held, type Sent } from './harness.ts';

// Every field of the mapping, normalised and hashed in the warehouse: messy rows in, the exact events
// Snap receives (or the reason they are held back) out, on PGlite and on Postgres.

const caseId = (i: number) => `case-${String(i).padStart(3, '0')}`;
const eventIdOf = (c: FieldCase, i: number) => c.eventId ?? caseId(i);

function expectedPayload(c: FieldCase, i: number): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    event_name: c.eventName ?? 'SIGN_UP',
    event_time: c.eventTime ?? RECENT,
    event_id: eventIdOf(c, i),
    action_source: 'OFFLINE',
    user_data: userData(c.user ?? {}),
  };
  if (c.custom) payload.custom_data = c.custom;
  return payload;
}

const indexed = CASES.map((c, i) => ({ ...c, i, label: `${caseId(i)} ${c.name}` }));
const toSend = indexed.filter((c) => !c.reason);
const toHold = indexed.filter((c) => c.reason);

it('has at least 60 messy rows, each with a distinct event id', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
  expect(new Set(CASES.map(eventIdOf)).size).toBe(CASES.length);
});

for (const target of TARGETS) describe.skipIf(target.skip)(`fields on ${target.name}`, () => {
  let h: Harness;
  const sent = new Map<string, Sent>();
  const held = new Map<string, Held>();

  beforeAll(async () => {
    h = await target.open();
    const rows = CASES.map((c, i) => ({ event_id: caseId(i), event_time: isoZ(RECENT), event_name: 'SIGN_UP', note: NOTE, loaded_at: isoZ(NOW - i), ...c.row }));
    await createTable(h.warehouse, `${h.sourceSchema}.orders`, ORDERS_COLUMNS, rows);
    await deploy(h.warehouse, ORDERS_ACTIVATION(`${h.sourceSchema}.orders`));
    const views = await readViews(h.warehouse, 'orders');
    for (const s of views.sent) sent.set(s.event_id, s);
    for (const r of views.held) held.set(r.event_id, r);
  });
  afterAll(async () => h?.close());

  it('sends exactly the rows that should be sent and holds back the others, each once', () => {
    expect([...sent.keys()].sort()).toEqual(toSend.map((c) => eventIdOf(c, c.i)).sort());
    expect([...held.keys()].sort()).toEqual(toHold.map((c) => eventIdOf(c, c.i)).sort());
  });

  it.each(toSend.map((c) => [c.label, c] as const))('%s', (_, c) => {
    const row = sent.get(eventIdOf(c, c.i));
    expect(row, 'not in the outbound view').toBeDefined();
    expect(row!.payload).toStrictEqual(expectedPayload(c, c.i));
  });

  it.each(toHold.map((c) => [`${c.label} → ${c.reason}`, c] as const))('%s', (_, c) => {
    const row = held.get(eventIdOf(c, c.i));
    expect(row, 'not in the rejected view').toBeDefined();
    expect(row).toStrictEqual({ event_id: eventIdOf(c, c.i), reason: c.reason, event_time: c.eventTime === undefined ? RECENT : c.eventTime });
  });

  it('hashes the check vectors of snap-capi-v3.md to the hashes written there', () => {
    const userDataOf = (name: string) => sent.get(caseId(CASES.findIndex((c) => c.name.startsWith(name))))!.payload.user_data;
    expect(userDataOf('check vector: email').em).toEqual(['cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9']);
    expect(userDataOf('check vector: phone').ph).toEqual(['dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383']);
    expect(userDataOf('check vector: city').ct).toEqual(['350c754ba4d38897693aa077ef43072a859d23f613443133fecbbd90a3512ca5']);
  });

  it('never sends the column nobody mapped, nor clear text of what it hashes', () => {
    const all = [...sent.values()].map((s) => s.text).join('\n');
    expect(all).not.toContain('unmapped.secret');
    expect(all).not.toContain(sha256(NOTE));
    for (const clear of ['test123@gmail.com', 'Test123', '448444124653', 'josé', 'obrien', 'newyork', 'sw1a1']) {
      expect(all, clear).not.toContain(clear);
    }
  });

  it('uses the cursor column as the cursor', () => {
    const first = sent.get(caseId(0))!;
    expect(new Date(first.cursor as string).getTime() / 1000).toBe(NOW);
  });
});
