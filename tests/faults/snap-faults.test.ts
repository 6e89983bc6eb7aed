import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapApiError } from '../../runner/errors.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { SnapClient } from '../../runner/snap/client.ts';
import { purchase, TOKEN } from '../sandbox-helpers.ts';
import { acceptedIds, answering, deliverTo, outboundRows } from '../delivery/deliver-support.ts';

const closing: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  closing.push(started);
  return started;
}
async function server(status: number, body: unknown) {
  const started = await answering(status, body);
  closing.push(started);
  return started;
}

/** A Snap that refuses, naming the first event whose id starts with "bad" in each request, always with the same words. */
async function refusingBadIds(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const snap = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      requests++;
      const events = (JSON.parse(text) as { data: { event_id: string }[] }).data;
      const bad = events.findIndex((e) => e.event_id.startsWith('bad'));
      const body = bad < 0 ? { status: 'VALID', reason: 'ok' } : { status: 'INVALID', reason: 'value is not a number', event: bad };
      res.writeHead(bad < 0 ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => snap.listen(0, '127.0.0.1', resolve));
  closing.push({ close: () => new Promise((resolve) => snap.close(resolve)) });
  return { url: `http://127.0.0.1:${(snap.address() as AddressInfo).port}`, requests: () => requests };
}

/** A Snap that accepts every request but the `nth`, answered 429 with the given Retry-After. */
async function tooManyOnce(nth: number, retryAfter: string): Promise<{ url: string }> {
  let requests = 0;
  const snap = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const refused = ++requests === nth;
      res.writeHead(refused ? 429 : 200, { 'content-type': 'application/json', ...(refused ? { 'retry-after': retryAfter } : {}) })
        .end(JSON.stringify(refused ? { status: 'RATE_LIMITED', reason: 'too many requests' } : { status: 'VALID', reason: 'ok' }));
    });
  });
  await new Promise<void>((resolve) => snap.listen(0, '127.0.0.1', resolve));
  closing.push({ close: () => new Promise((resolve) => snap.close(resolve)) });
  return { url: `http://127.0.0.1:${(snap.address() as AddressInfo).port}` };
}

describe('a request Snap refuses as a whole is not split (issue 11 item 4)', () => {
  it('a 400 naming no event ("The pixel id is not valid") stops the run after a handful of requests, with Snap\'s words, nothing marked refused', async () => {
    const snap = await server(400, { status: 'INVALID', reason: 'The pixel id is not valid' });
    const { result, refused, marks } = await deliverTo({ endpoint: snap.url, rows: outboundRows(20_000), batchSize: 2000, maxInFlight: 4 });
    expect(result.outcome).toBe('failed');
    expect(result.error).toBeInstanceOf(SnapApiError);
    expect(result.error!.message).toBe('Snap refused the whole request (400: INVALID; The pixel id is not valid), naming no event, so no event was marked refused and the run stopped; check pixel_id and the endpoint');
    expect(snap.requests()).toBeLessThanOrEqual(4);
    expect(refused).toEqual([]);
    expect(marks).toEqual([]);
    expect(result).toMatchObject({ sent: 0, refused: 0, retries: 0 });
  });

  it('the same answer for both halves of a split batch stops the run too (a refusal that names an event for every request)', async () => {
    const snap = await server(400, { status: 'INVALID', reason: 'The pixel id is not valid', event: 0 });
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows: outboundRows(2000), batchSize: 1000, maxInFlight: 1 });
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/^Snap refused the whole request \(400: INVALID; The pixel id is not valid\), the same answer for both halves of a batch, so no event was marked refused/);
    // The batch and its two halves.
    expect(snap.requests()).toBe(3);
    expect(refused).toEqual([]);
  });

  it('events refused alike in both halves, at different places, are still isolated one by one', async () => {
    const rows = outboundRows(10).map((row, i) => (i === 3 || i === 7 ? { ...row, event_id: `bad-${i}`, payload: JSON.stringify(purchase(`bad-${i}`)) } : row));
    const snap = await refusingBadIds();
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows, batchSize: 10, maxInFlight: 1 });
    expect(result).toMatchObject({ outcome: 'done', sent: 8, refused: 2 });
    expect(refused.map((r) => r.event.event_id)).toEqual(['bad-3', 'bad-7']);
  });
});

describe('delivery counts and limits (issue 11 item 9)', () => {
  it('counts only retries actually sent: a retry planned when the run stopped is not one', async () => {
    const snap = await sandbox({ failureRate: 1, faults: ['503'], retryAfter: 5 });
    const stop = new AbortController();
    const { result } = await deliverTo({
      endpoint: snap.url, rows: outboundRows(10), batchSize: 10, maxInFlight: 1, stop: stop.signal,
      retry: { maxRetries: 5, minTimeout: 1, maxTimeout: 60_000, timeoutFactor: 2 },
      onRetry: () => stop.abort('SIGTERM'),
    });
    expect(result.outcome).toBe('interrupted');
    expect(snap.stats().requests).toBe(1);
    expect(result).toMatchObject({ requests: 1, retries: 0 });
  });

  it('an event over the 4 MB a request may carry is refused without being posted; the rest is sent', async () => {
    const snap = await sandbox({ maxBodyBytes: 16 * 1024 * 1024 });
    const rows = outboundRows(5);
    const big = purchase(rows[2]!.event_id, { custom_data: { value: 1, currency: 'EUR', order_id: 'x'.repeat(4_200_000) } });
    rows[2] = { ...rows[2]!, payload: JSON.stringify(big) };
    const { result, refused, marks } = await deliverTo({ endpoint: snap.url, rows, batchSize: 10 });
    expect(result).toMatchObject({ outcome: 'done', sent: 4, refused: 1 });
    expect(refused).toHaveLength(1);
    expect(refused[0]!.event.event_id).toBe(rows[2]!.event_id);
    expect(refused[0]!.error).toMatchObject({ status: 413 });
    expect(refused[0]!.error.message).toBe('not sent: the event\'s JSON is 4.2 MB, more than a request may carry (4.0 MB); shorten the fields that make it so large');
    expect(acceptedIds(snap.events()).sort()).toEqual(rows.filter((_, i) => i !== 2).map((r) => r.event_id));
    expect(snap.stats().max_request_bytes).toBeLessThan(1_000_000);
    expect(marks.at(-1)).toMatchObject({ event_id: rows[4]!.event_id });
  });
});

describe('the Snap client and the answers it passes on (issue 17 item 1)', () => {
  it('passes Retry-After on to the retry policy: the wait is what Snap asked for, not the backoff', async () => {
    const snap = await sandbox({ failureRate: 1, faults: ['429'], retryAfter: 7 });
    const stop = new AbortController();
    const delays: number[] = [];
    await deliverTo({
      endpoint: snap.url, rows: outboundRows(10), batchSize: 10, maxInFlight: 1, stop: stop.signal,
      retry: { maxRetries: 5, minTimeout: 1, maxTimeout: 60_000, timeoutFactor: 2 },
      onRetry: (_, retry) => {
        delays.push(retry.delayMs);
        stop.abort('SIGTERM');
      },
    });
    expect(delays).toEqual([7000]);
  });

  it('a 429\'s Retry-After holds back every batch, not only the one retried', async () => {
    // The third request is answered 429 with Retry-After: 3. Without the pause the next batch would
    // start once the accepted requests left Snap's second, about 1 s after the 429.
    const snap = await tooManyOnce(3, '3');
    const stop = new AbortController();
    let refusedAt: number | undefined;
    let nextStart: number | undefined;
    await deliverTo({
      endpoint: snap.url, rows: outboundRows(10), batchSize: 1, maxInFlight: 2, stop: stop.signal,
      retry: { maxRetries: 5, minTimeout: 1, maxTimeout: 10_000, timeoutFactor: 2 },
      onRetry: () => {
        refusedAt = performance.now();
      },
      onSend: () => {
        if (refusedAt === undefined || nextStart !== undefined) return;
        nextStart = performance.now();
        stop.abort('SIGTERM');
      },
    });
    expect(nextStart! - refusedAt!).toBeGreaterThanOrEqual(2900);
  });

  it('a request that gets no answer fails with the URL\'s token redacted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = new SnapClient({ endpoint: `http://127.0.0.1:${port}`, pixelId: 'pixel-1', token: TOKEN, timeout: 2000 });
    closing.push(client);
    const error = (await client.post('{"data":[]}').catch((e: unknown) => e)) as SnapApiError;
    expect(error).toBeInstanceOf(SnapApiError);
    expect(error.message).toBe(`request to http://127.0.0.1:${port}/v3/pixel-1/events?access_token=*** failed: ECONNREFUSED`);
    expect(error.message).not.toContain(TOKEN);
  });

  it('splits a batch answered 413 (too large) until its parts fit, and sends every event', async () => {
    const snap = await sandbox({ maxBodyBytes: 20_000 });
    const rows = outboundRows(200);
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows, batchSize: 100, maxInFlight: 1 });
    expect(result).toMatchObject({ outcome: 'done', sent: 200, refused: 0 });
    expect(refused).toEqual([]);
    expect(snap.stats().by_status['413']).toBeGreaterThan(0);
    expect(snap.stats().unique_event_ids).toBe(200);
  });
});
