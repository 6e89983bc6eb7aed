import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../runner/sandbox/server.ts';
import { deliver } from '../../runner/snap/deliver.ts';
import { envelope } from '../../runner/snap/batches.ts';
import { acceptedIds, deliverTo, outboundRows, streamOf } from './deliver-support.ts';

// deliver() where the failure is not Snap's: the read, the code that posts, and a slow ledger.

const running: Sandbox[] = [];
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = await startSandbox(options);
  running.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const options = () => ({
  envelope: envelope(), batchSize: 10, maxBytes: 1e6, maxInFlight: 2,
  retry: { maxRetries: 3, minTimeout: 1, maxTimeout: 2, timeoutFactor: 2 },
  onSettled: async () => {}, onRefused: async () => {},
  stop: new AbortController().signal, abort: new AbortController().signal,
});

describe('deliver: failures that are not Snap\'s', () => {
  it('a request that fails with an error of the code, not an answer, stops the run at once: no retry', async () => {
    let requests = 0;
    const result = await deliver(streamOf(outboundRows(30), 10), {
      ...options(),
      send: async () => {
        requests++;
        throw new TypeError('body is not a buffer');
      },
    });
    expect(result).toMatchObject({ outcome: 'failed', sent: 0, retries: 0 });
    expect(result.error).toBeInstanceOf(TypeError);
    expect(requests).toBeLessThanOrEqual(2);
  });

  it('a read that fails half-way fails the run with its error; what Snap accepted before is settled', async () => {
    const snap = await sandbox();
    const rows = outboundRows(40);
    async function* failing() {
      yield rows.slice(0, 20);
      throw new Error('the connection to Postgres was lost');
    }
    const settled: string[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url, rows: failing(), batchSize: 10, maxInFlight: 1,
      onSettled: async (accepted) => {
        settled.push(...accepted.map((e) => e.event_id));
      },
    });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toBe('the connection to Postgres was lost');
    expect(settled.sort()).toEqual(acceptedIds(snap.events()).sort());
    expect(snap.stats().accepted).toBeLessThanOrEqual(20);
  });

  it('events Snap refuses do not slow the run down: the requests in flight stay at max_in_flight', async () => {
    const rows = outboundRows(200);
    const snap = await sandbox({ refuseEventIds: new Set(rows.filter((_, i) => i % 20 === 3).map((r) => r.event_id)) });
    const limits: number[] = [];
    const { result } = await deliverTo({ endpoint: snap.url, rows, batchSize: 10, maxInFlight: 4, onLimit: (limit) => limits.push(limit) });
    expect(result).toMatchObject({ outcome: 'done', refused: 10, sent: 190 });
    expect(limits).toEqual([]);
  });

  it('a slow ledger holds the sending back: no more than a window of batches waits to be saved', async () => {
    const snap = await sandbox();
    const maxInFlight = 2;
    let started = 0;
    let saved = 0;
    const unsaved: number[] = [];
    const { result } = await deliverTo({
      endpoint: snap.url, rows: outboundRows(300), batchSize: 10, maxInFlight,
      onSend: () => unsaved.push(++started - saved),
      onSettled: async () => {
        await new Promise((resolve) => setTimeout(resolve, 15));
        saved++;
      },
    });
    expect(result.outcome).toBe('done');
    expect(snap.stats().unique_event_ids).toBe(300);
    // Started but not saved: the requests in flight, the saves queued (at most a window, 2 × max_in_flight,
    // plus the one running) and the request starting. Saves 15 ms long would otherwise fall far behind.
    expect(Math.max(...unsaved)).toBeLessThanOrEqual(3 * maxInFlight + 2);
    expect(Math.max(...unsaved)).toBeGreaterThan(maxInFlight);
  });
});
