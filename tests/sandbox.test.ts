import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../runner/sandbox/server.ts';
import { batch, getJson, nowSeconds, purchase, send, sha256 } from './sandbox-helpers.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('POST /v3/{pixel_id}/events', () => {
  it('accepts a valid batch and shows it, per pixel and in order, at /_sandbox/events', async () => {
    const sent = batch(3);
    const reply = await send(sandbox.url, { data: sent });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'VALID', reason: 'Events have been processed successfully.' });
    await send(sandbox.url, { data: [purchase('other')] }, { pixel: 'pixel-2' });
    expect(await getJson(sandbox.url, '/_sandbox/events?pixel_id=pixel-1')).toEqual(sent);
    expect((await getJson(sandbox.url, '/_sandbox/events')).map((e: { event_id: string }) => e.event_id)).toEqual(['e0', 'e1', 'e2', 'other']);
  });

  it('answers 401 without a token and never echoes a wrong one', async () => {
    const missing = await send(sandbox.url, { data: batch(1) }, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.json.status).toBe('UNAUTHORIZED');
    const guarded = await startSandbox({ token: 'the-right-token' });
    try {
      const wrong = await send(guarded.url, { data: batch(1) }, { token: 'wrong-token-value' });
      expect(wrong.status).toBe(401);
      expect(JSON.stringify(wrong.json)).not.toContain('token-value');
      expect((await send(guarded.url, { data: batch(1) }, { token: 'the-right-token' })).status).toBe(200);
      expect(guarded.events()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });

  it('takes 2,000 events in one request and refuses 2,001', async () => {
    expect((await send(sandbox.url, { data: batch(2000) })).status).toBe(200);
    const over = await send(sandbox.url, { data: batch(2001, 'x') });
    expect(over.status).toBe(400);
    expect(over.json.reason).toContain('2001');
    expect(sandbox.stats()).toMatchObject({ accepted: 2000, max_events_per_request: 2001 });
  });

  it.each([
    ['a body that is not JSON', '{"data": ['],
    ['a body without a data array', { events: [] }],
  ])('answers 400 for %s', async (_, body) => {
    const reply = await send(sandbox.url, body);
    expect(reply.status).toBe(400);
    expect(reply.json.status).toBe('INVALID');
  });

  const day = 86_400;
  it.each([
    ['event_time in milliseconds', { event_time: Date.now() }, 'milliseconds'],
    ['a clear-text email', { user_data: { em: ['test123@gmail.com'] } }, 'user_data.em[0] must be a SHA-256 hash (64 lower-case hex)'],
    ['an upper-case hash', { user_data: { em: [sha256('a@b.co').toUpperCase()] } }, 'user_data.em[0] must be a SHA-256 hash'],
    ['no identifier', { user_data: { fn: sha256('jose'), client_ip_address: '203.0.113.9' } }, 'at least one identifier'],
    ['a PURCHASE without currency', { custom_data: { value: 10 } }, 'custom_data.currency'],
    ['an event older than 37 days', { event_time: nowSeconds() - 38 * day }, 'days old'],
    ['an event in the future', { event_time: nowSeconds() + 600 }, 'in the future'],
    ['an unknown top-level field', { pixel_id: 'p' }, 'must NOT have additional properties "pixel_id" (not in Snap\'s v3 schema)'],
  ])('rejects the whole batch for %s, pointing at its index', async (_, override, message) => {
    const reply = await send(sandbox.url, { data: [...batch(2), purchase('bad', override)] });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ status: 'INVALID', event: 2 });
    expect(reply.json.errors.error_msgs.join('\n')).toContain(message);
    expect(reply.json.errors.codes).toHaveLength(reply.json.errors.error_msgs.length);
    expect(sandbox.events()).toEqual([]);
  });

  it('never repeats clear-text PII in its error messages', async () => {
    const reply = await send(sandbox.url, { data: [purchase('pii', { user_data: { em: ['jane.doe@example.com'] } })] });
    expect(JSON.stringify(reply.json)).not.toContain('jane.doe');
  });

  it('accepts the check vectors of snap-capi-v3.md as hashes, and IP plus user agent as identifiers', async () => {
    const vectors = {
      em: ['cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9'],
      ph: ['dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383'],
      ct: ['350c754ba4d38897693aa077ef43072a859d23f613443133fecbbd90a3512ca5'],
    };
    const ipOnly = { client_ip_address: '203.0.113.9', client_user_agent: 'Mozilla/5.0' };
    const data = [purchase('v', { user_data: vectors }), purchase('ip', { user_data: ipOnly, event_time: nowSeconds() + 30 })];
    expect((await send(sandbox.url, { data })).status).toBe(200);
    expect(sandbox.events()).toEqual(data);
  });

  it('counts duplicate event_ids across requests in /_sandbox/stats, and reset clears them', async () => {
    const before = Date.now();
    const first = JSON.stringify({ data: [purchase('a'), purchase('b')] });
    await send(sandbox.url, first);
    await send(sandbox.url, { data: [purchase('a')] });
    const stats = await getJson(sandbox.url, '/_sandbox/stats');
    expect(stats).toEqual({
      requests: 2,
      accepted: 3,
      unique_event_ids: 2,
      duplicates: 1,
      by_status: { '200': 2 },
      max_events_per_request: 2,
      max_request_bytes: Buffer.byteLength(first),
      first_request_at: expect.any(Number),
      last_request_at: expect.any(Number),
    });
    expect(stats.first_request_at).toBeGreaterThanOrEqual(before);
    expect(stats.last_request_at).toBeGreaterThanOrEqual(stats.first_request_at);
    expect(stats.last_request_at).toBeLessThanOrEqual(Date.now());
    await request(`${sandbox.url}/_sandbox/reset`, { method: 'POST' }).then((r) => r.body.dump());
    expect(await getJson(sandbox.url, '/_sandbox/stats')).toMatchObject({ requests: 0, accepted: 0, duplicates: 0, first_request_at: null, last_request_at: null });
    expect(await getJson(sandbox.url, '/_sandbox/events')).toEqual([]);
  });

  it('answers 413 to a body over 8 MB', async () => {
    const reply = await send(sandbox.url, `{"data":["${'x'.repeat(8 * 1024 * 1024)}"]}`);
    expect(reply.status).toBe(413);
    expect(sandbox.stats().accepted).toBe(0);
  });
});

describe('POST /v3/{pixel_id}/events/validate', () => {
  it('reports each event and keeps nothing', async () => {
    const data = [purchase('ok'), purchase('bad', { custom_data: { value: 3 } })];
    const reply = await send(sandbox.url, { data }, { suffix: '/validate' });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ status: 'INVALID', test_event: true });
    expect(reply.json.event_logs[0]).toEqual({ event: 0, status: 'VALID', errors: [], warnings: [] });
    expect(reply.json.event_logs[1].status).toBe('INVALID');
    expect(reply.json.event_logs[1].errors.join()).toContain('custom_data.currency');
    expect((await send(sandbox.url, { data: [data[0]] }, { suffix: '/validate' })).json.status).toBe('VALID');
    expect(await getJson(sandbox.url, '/_sandbox/events')).toEqual([]);
    expect(sandbox.stats().accepted).toBe(0);
  });
});
