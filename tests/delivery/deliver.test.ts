import { afterEach, describe, expect, it } from 'vitest';
import { SnapApiError } from '../../runner/errors.ts';
import { SnapClient } from '../../runner/snap/client.ts';
import { deliver } from '../../runner/snap/deliver.ts';
import type { RateChange } from '../../runner/snap/rate.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { TOKEN } from '../sandbox-helpers.ts';
import { acceptedIds, answering, deliverTo, outboundRows, ref, streamOf } from './deliver-support.ts';

const running: Sandbox[] = [];
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  running.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const ids = (rows: { event_id: string }[]) => rows.map((r) => r.event_id);
const increasing = (marks: { cursor: string }[]) => marks.every((m, i) => i === 0 || m.cursor > marks[i - 1]!.cursor);

describe('deliver: batches in flight', () => {
  it('sends every row once in batches, several at once but never more than max_in_flight, and reports the prefix in order', async () => {
    const snap = await sandbox({ latencyMs: 15 });
    const rows = outboundRows(1000);
    const { result, marks, concurrency } = await deliverTo({ endpoint: snap.url, rows, batchSize: 50, maxInFlight: 4 });
    expect(result).toMatchObject({ outcome: 'done', sent: 1000, refused: 0, batches: 20, requests: 20, retries: 0 });
    expect(acceptedIds(snap.events()).sort()).toEqual(ids(rows));
    expect(snap.stats()).toMatchObject({ duplicates: 0, max_events_per_request: 50 });
    expect(Math.max(...concurrency)).toBe(4);
    expect(increasing(marks)).toBe(true);
    expect(marks.at(-1)).toEqual(ref(rows.at(-1)!));
    expect(result.last).toEqual(ref(rows.at(-1)!));
  });

  it('gets every row through 30% faults (500, 503, 429, resets, timeouts), counting the retries', async () => {
    const snap = await sandbox({ failureRate: 0.3, seed: 7, retryAfter: 0, retryAfterRate: 0.5 });
    const rows = outboundRows(2000);
    const { result, marks } = await deliverTo({ endpoint: snap.url, rows, batchSize: 50, timeout: 300 });
    const stats = snap.stats();
    expect(result.outcome).toBe('done');
    expect(new Set(acceptedIds(snap.events()))).toEqual(new Set(ids(rows)));
    for (const kind of ['500', '503', '429', 'reset', 'timeout']) expect(stats.by_status[kind], kind).toBeGreaterThan(0);
    expect(result.retries).toBe(stats.requests - 40);
    expect(result.retries).toBe(result.requests - result.batches);
    expect(increasing(marks)).toBe(true);
    expect(result.last).toEqual(ref(rows.at(-1)!));
  });

  it('sends fewer requests at once after 503s and more again after successes, never more than allowed at that moment', async () => {
    // 503, not 429: a 429 lowers the request rate too (see the rate limit below), which would make this slow.
    const snap = await sandbox({ failureRate: 0.2, faults: ['503'], seed: 3, latencyMs: 3 });
    const limits: number[] = [4];
    const overLimit: number[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url,
      rows: outboundRows(3000),
      batchSize: 20,
      maxInFlight: 4,
      onLimit: (limit) => limits.push(limit),
      onSend: (inFlight) => {
        if (inFlight > limits.at(-1)!) overLimit.push(inFlight);
      },
    });
    expect(result.outcome).toBe('done');
    expect(snap.stats().unique_event_ids).toBe(3000);
    expect(Math.min(...limits)).toBeLessThan(4);
    expect(limits.some((limit, i) => i > 0 && limit > limits[i - 1]!)).toBe(true);
    expect(overLimit).toEqual([]);
  });

  it('keeps to a rate limit it learns from 429s: every row once, few 429s, fewer requests in flight too', async () => {
    const snap = await sandbox({ rateLimit: 20, rateLimitRetryAfter: false });
    const rows = outboundRows(600);
    const limits: number[] = [];
    const rates: RateChange[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url, rows, batchSize: 10, maxInFlight: 4,
      onLimit: (limit) => limits.push(limit),
      onRate: (change) => rates.push(change),
    });
    const stats = snap.stats();
    expect(result.outcome).toBe('done');
    expect(acceptedIds(snap.events()).sort()).toEqual(ids(rows));
    expect(stats.duplicates).toBe(0);
    // Loose on a busy machine; the tight figures are the bench's (npm run bench -- --pacing).
    expect((stats.by_status['429'] ?? 0) / stats.requests).toBeLessThan(0.25);
    expect(rates[0]).toMatchObject({ lowered: true, accepted: 20, rate: 10 });
    expect(rates.some((change) => !change.lowered && change.rate > 15 && change.rate <= 20)).toBe(true);
    expect(Math.min(...limits)).toBeLessThan(4);
  });

  it('reads no further ahead than the batches that may be open (memory: batch size × in flight)', async () => {
    const snap = await sandbox({ failureRate: 0.3, faults: ['500', 'reset'], seed: 11, latencyMs: 2 });
    const rows = outboundRows(3000);
    const batchSize = 25;
    const maxInFlight = 3;
    let covered = 0;
    const ahead: number[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url,
      rows: streamOf(rows, batchSize, (pulled) => ahead.push(pulled - covered)),
      batchSize,
      maxInFlight,
      onSettled: async (_, last) => {
        if (last) covered = Number(last.cursor) + 1;
      },
    });
    expect(result.outcome).toBe('done');
    expect(snap.stats().unique_event_ids).toBe(3000);
    // Open batches are at most 2 × max_in_flight, plus the fetch being cut into batches.
    expect(Math.max(...ahead)).toBeLessThanOrEqual((2 * maxInFlight + 1) * batchSize);
    expect(Math.max(...ahead)).toBeGreaterThan(batchSize);
  });
});

describe('deliver: events Snap refuses', () => {
  it('halves a refused batch until the refused events stand alone, sends the rest once, and moves past them', async () => {
    const rows = outboundRows(500);
    const bad = [rows[7]!, rows[8]!, rows[260]!].map((r) => r.event_id);
    const snap = await sandbox({ refuseEventIds: new Set(bad) });
    const { result, refused, marks } = await deliverTo({ endpoint: snap.url, rows, batchSize: 100 });
    expect(result).toMatchObject({ outcome: 'done', sent: 497, refused: 3 });
    expect(refused.map((r) => r.event.event_id).sort()).toEqual(bad);
    for (const { event, error } of refused) {
      expect(error.status).toBe(400);
      expect(JSON.stringify(error.body)).toContain(`event_id ${event.event_id} was refused`);
    }
    expect(acceptedIds(snap.events()).sort()).toEqual(ids(rows).filter((id) => !bad.includes(id)));
    expect(snap.stats().duplicates).toBe(0);
    expect(marks.at(-1)).toEqual(ref(rows.at(-1)!));
  });

  it('does not split a 400 that refuses the access token: it stops instead of marking every event refused', async () => {
    const server = await answering(400, { status: 'INVALID', reason: 'Invalid access token' });
    try {
      const { result, refused, marks } = await deliverTo({ endpoint: server.url, rows: outboundRows(400), batchSize: 100, maxInFlight: 1 });
      expect(result.outcome).toBe('failed');
      expect((result.error as SnapApiError).status).toBe(400);
      expect(refused).toEqual([]);
      expect(marks, JSON.stringify(marks)).toEqual([]);
      expect(server.requests()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('treats a 200 whose body is not VALID as a failure, not a success', async () => {
    const server = await answering(200, { status: 'INVALID', reason: 'something went wrong' });
    try {
      const { result, marks } = await deliverTo({ endpoint: server.url, rows: outboundRows(300), batchSize: 100, maxInFlight: 1 });
      expect(result.outcome).toBe('failed');
      expect(result.sent).toBe(0);
      expect(result.error?.message).toMatch(/200 but not VALID.*something went wrong/);
      expect(marks, JSON.stringify(marks)).toEqual([]);
      expect(server.requests()).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('deliver: stop, don\'t spin', () => {
  it('stops at once on 401: no retry, no split, no progress', async () => {
    const snap = await sandbox({ token: 'the-right-token' });
    const { result, marks, refused } = await deliverTo({ endpoint: snap.url, token: 'a-revoked-token', rows: outboundRows(2000), batchSize: 100, maxInFlight: 4 });
    expect(result.outcome).toBe('failed');
    expect((result.error as SnapApiError).status).toBe(401);
    expect(result.retries).toBe(0);
    expect(snap.stats().requests).toBeLessThanOrEqual(4);
    expect(snap.stats().accepted).toBe(0);
    expect(marks, JSON.stringify(marks)).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('gives up when the retries are used up, with the prefix at the last accepted batch', async () => {
    // Three requests a second: batches 1-3 pass, the 4th gets 429 and, with no retries left, ends the run.
    const snap = await sandbox({ rateLimit: 3 });
    const rows = outboundRows(100);
    const { result, marks } = await deliverTo({
      endpoint: snap.url, rows, batchSize: 10, maxInFlight: 1,
      retry: { maxRetries: 0, minTimeout: 1, maxTimeout: 1, timeoutFactor: 2 },
    });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toMatch(/gave up after 1 attempts: Snap answered 429/);
    expect(result.last).toEqual(ref(rows[29]!));
    expect(marks.at(-1)).toEqual(ref(rows[29]!));
    expect(snap.stats().unique_event_ids).toBe(30);
  });

  it('starts no new retries once another batch failed for good', async () => {
    // The first batch goes to a Snap that refuses the token, the others to one that always answers 503.
    const refusing = await sandbox({ token: 'the-right-token' });
    const overloaded = await sandbox({ failureRate: 1, faults: ['503'] });
    const bad = new SnapClient({ endpoint: refusing.url, pixelId: 'pixel-1', token: TOKEN });
    const busy = new SnapClient({ endpoint: overloaded.url, pixelId: 'pixel-1', token: TOKEN });
    try {
      const result = await deliver(streamOf(outboundRows(400), 100), {
        envelope: bad.envelope,
        send: (batch, signal) => (batch.event(0).event_id === 'ev-000000' ? bad : busy).send(batch, signal),
        batchSize: 100, maxBytes: 1e6, maxInFlight: 4,
        retry: { maxRetries: 50, minTimeout: 20, maxTimeout: 20, timeoutFactor: 1 },
        onSettled: async () => {}, onRefused: async () => {},
        stop: new AbortController().signal, abort: new AbortController().signal,
      });
      expect(result.outcome).toBe('failed');
      expect((result.error as SnapApiError).status).toBe(401);
      // Three batches on the busy Snap: their first try, at most one more each; not 50 retries.
      expect(overloaded.stats().requests).toBeGreaterThanOrEqual(1);
      expect(overloaded.stats().requests).toBeLessThanOrEqual(6);
    } finally {
      await Promise.all([bad.close(), busy.close()]);
    }
  });

  it('fails the run when the watermark cannot be saved', async () => {
    const snap = await sandbox();
    let saves = 0;
    const { result } = await deliverTo({
      endpoint: snap.url, rows: outboundRows(1000), batchSize: 50, maxInFlight: 1,
      onSettled: async () => {
        if (++saves === 3) throw new Error('warehouse went away');
      },
    });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toBe('warehouse went away');
    expect(snap.stats().accepted).toBeLessThan(1000);
  });
});

describe('deliver: interrupts', () => {
  it('on stop, lets requests in flight finish, starts none, and settles exactly what Snap accepted', async () => {
    const snap = await sandbox({ latencyMs: 60 });
    const rows = outboundRows(2000);
    const stop = new AbortController();
    const settled: string[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url, rows, batchSize: 10, maxInFlight: 4, stop: stop.signal,
      onSettled: async (accepted) => {
        settled.push(...accepted.map((e) => e.event_id));
        if (settled.length >= 50) stop.abort('SIGTERM');
      },
    });
    expect(result.outcome).toBe('interrupted');
    const accepted = acceptedIds(snap.events()).sort();
    expect(accepted.length).toBeLessThan(2000);
    expect(settled.sort()).toEqual(accepted);
    expect(Number(result.last!.cursor) + 1).toBeLessThanOrEqual(accepted.length);
  });

  it('on stop while the first batch waits for a retry, the later batches Snap accepted are settled, the prefix does not move', async () => {
    // The first request of the run is answered 503 with a long Retry-After; the others are accepted.
    const snap = await sandbox({ failureRate: 0 });
    let first = true;
    const stop = new AbortController();
    const settled: string[] = [];
    const marks: unknown[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url, rows: outboundRows(60), batchSize: 10, maxInFlight: 4, stop: stop.signal,
      retry: { maxRetries: 5, minTimeout: 60_000, maxTimeout: 60_000, timeoutFactor: 1 },
      onSettled: async (accepted, last) => {
        settled.push(...accepted.map((e) => e.event_id));
        if (last) marks.push(last);
      },
      onRetry: () => setTimeout(() => stop.abort('SIGTERM'), 200),
      failFirst: () => (first ? ((first = false), true) : false),
    });
    expect(result.outcome).toBe('interrupted');
    expect(marks, JSON.stringify(marks)).toEqual([]);
    expect(settled.sort()).toEqual(acceptedIds(snap.events()).sort());
    expect(settled.length).toBeGreaterThanOrEqual(30);
    expect(settled).not.toContain('ev-000000');
  });

  it('on abort, abandons a request that hangs', async () => {
    const snap = await sandbox({ failureRate: 1, faults: ['timeout'] });
    const stop = new AbortController();
    const abort = new AbortController();
    const pending = deliverTo({ endpoint: snap.url, rows: outboundRows(100), batchSize: 50, timeout: 60_000, stop: stop.signal, abort: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort('SIGINT');
    abort.abort('SIGINT');
    const { result } = await pending;
    expect(result.outcome).toBe('interrupted');
    expect(result.last).toBeUndefined();
  });
});
