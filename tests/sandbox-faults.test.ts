import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sandbox as sandboxCommand } from '../runner/commands/sandbox.ts';
import { createRateLimiter, faultOptionProblems } from '../runner/sandbox/faults.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../runner/sandbox/server.ts';
import { batch, purchase, send } from './sandbox-helpers.ts';

const running: Sandbox[] = [];
async function start(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  running.push(sandbox);
  return sandbox;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
  vi.restoreAllMocks();
});

describe('fault injection', () => {
  it.each([
    ['500', undefined],
    ['503', '7'],
    ['429', '7'],
  ] as const)('answers %s (Retry-After %s) and keeps nothing', async (fault, retryAfter) => {
    const sandbox = await start({ failureRate: 1, faults: [fault], retryAfter: 7, seed: 1 });
    const reply = await send(sandbox.url, { data: batch(2) });
    expect(reply.status).toBe(Number(fault));
    expect(reply.headers['retry-after']).toBe(retryAfter);
    expect(sandbox.events()).toEqual([]);
    expect(sandbox.stats()).toMatchObject({ requests: 1, accepted: 0, by_status: { [fault]: 1 } });
  });

  it('sends no Retry-After on injected faults unless asked', async () => {
    const sandbox = await start({ failureRate: 1, faults: ['503'], seed: 1 });
    expect((await send(sandbox.url, { data: batch(1) })).headers['retry-after']).toBeUndefined();
  });

  it('resets the connection without an answer', async () => {
    const sandbox = await start({ failureRate: 1, faults: ['reset'], seed: 1 });
    await expect(send(sandbox.url, { data: batch(1) })).rejects.toThrow(/other side closed|socket/i);
    expect(sandbox.stats()).toMatchObject({ accepted: 0, by_status: { reset: 1 } });
  });

  it('never answers a timed-out request, and close() still ends it', async () => {
    const sandbox = await start({ failureRate: 1, faults: ['timeout'], seed: 1 });
    await expect(send(sandbox.url, { data: batch(1) }, { headersTimeout: 200 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    const pending = send(sandbox.url, { data: batch(1) });
    await vi.waitFor(() => expect(sandbox.stats().by_status.timeout).toBe(2));
    const closed = sandbox.close().then(() => 'closed');
    await expect(Promise.race([closed, new Promise((r) => setTimeout(r, 2000, 'hung'))])).resolves.toBe('closed');
    await expect(pending).rejects.toThrow(/other side closed/);
    expect(sandbox.events()).toEqual([]);
  });

  it('replays the same faults for the same seed', async () => {
    const statuses = async (sandbox: Sandbox): Promise<number[]> => {
      const seen: number[] = [];
      for (let i = 0; i < 16; i++) seen.push((await send(sandbox.url, { data: [purchase(`s${i}`)] })).status);
      return seen;
    };
    const options: SandboxOptions = { failureRate: 0.5, faults: ['500', '503'], seed: 42 };
    const first = await statuses(await start(options));
    expect(await statuses(await start(options))).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500, 503]));
  });

  it('answers 429 with Retry-After: 1 above rateLimit requests per second', async () => {
    const sandbox = await start({ rateLimit: 2 });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await send(sandbox.url, { data: [purchase(`r${i}`)] }));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 429]);
    expect(replies[2]?.headers['retry-after']).toBe('1');
    expect(sandbox.stats().accepted).toBe(2);
  });

  it('answers a rate-limit 429 with the Retry-After asked for, or none', async () => {
    const quiet = await start({ rateLimit: 1, rateLimitRetryAfter: false });
    const told = await start({ rateLimit: 1, rateLimitRetryAfter: 3 });
    for (const [sandbox, header] of [[quiet, undefined], [told, '3']] as const) {
      expect((await send(sandbox.url, { data: [purchase('a')] })).status).toBe(200);
      const limited = await send(sandbox.url, { data: [purchase('b')] });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe(header);
    }
  });

  it('refuses an event_id with 400 pointing at its index, keeping nothing of that batch', async () => {
    const sandbox = await start({ refuseEventIds: new Set(['order-77']) });
    const reply = await send(sandbox.url, { data: [purchase('a'), purchase('order-77'), purchase('b')] });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ status: 'INVALID', event: 1 });
    expect(reply.json.errors.error_msgs[0]).toContain('order-77');
    expect(sandbox.events()).toEqual([]);
    expect((await send(sandbox.url, { data: [purchase('a'), purchase('b')] })).status).toBe(200);
  });

  it('refuses impossible options', async () => {
    await expect(startSandbox({ failureRate: 2 })).rejects.toThrow(/failureRate/);
  });

  it('names each problem with the rate-limit options', () => {
    expect(faultOptionProblems({ rateLimit: 5, rateLimiter: 'leaky-bucket', rateLimitBurst: 2.5, rateLimitRetryAfter: -1 })).toEqual([
      'rateLimiter: unknown leaky-bucket; use sliding-window, fixed-window, token-bucket',
      'rateLimitBurst: must be a whole number of requests >= 1',
      'rateLimitBurst: goes with rateLimiter token-bucket',
      'rateLimitRetryAfter: must be a number of seconds >= 0, or false (none)',
    ]);
    expect(faultOptionProblems({ rateLimiter: 'token-bucket', rateLimitBurst: 3, rateLimitRetryAfter: false })).toEqual([
      'rateLimiter: set rateLimit too', 'rateLimitBurst: set rateLimit too', 'rateLimitRetryAfter: set rateLimit too',
    ]);
    expect(faultOptionProblems({ rateLimit: 5, rateLimiter: 'token-bucket', rateLimitBurst: 1, rateLimitRetryAfter: 0 })).toEqual([]);
  });
});

describe('rate limiters (on a clock the test moves)', () => {
  /** Which of the requests at these times (ms) the limiter lets through. */
  const admitted = (options: Parameters<typeof createRateLimiter>[0], times: number[]) => {
    let now = 0;
    const admit = createRateLimiter(options, () => now);
    return times.filter((time) => ((now = time), admit()));
  };

  it('sliding-window (the default): at most rateLimit requests in any 1 s', () => {
    expect(admitted({ rateLimit: 2 }, [0, 10, 20, 999, 1000, 1010, 1011])).toEqual([0, 10, 1000, 1010]);
    expect(admitted({ rateLimit: 2, rateLimiter: 'sliding-window' }, [500, 900, 1400, 1500])).toEqual([500, 900, 1500]);
  });

  it('fixed-window: at most rateLimit requests in each clock second, all back at the next', () => {
    expect(admitted({ rateLimit: 2, rateLimiter: 'fixed-window' }, [500, 900, 950, 1000, 1001, 1002])).toEqual([500, 900, 1000, 1001]);
  });

  it('token-bucket: a burst of rateLimitBurst, then rateLimit a second', () => {
    expect(admitted({ rateLimit: 2, rateLimiter: 'token-bucket', rateLimitBurst: 3 }, [0, 0, 0, 0, 499, 500, 600, 1000])).toEqual([0, 0, 0, 500, 1000]);
    // Without a burst size, one second's worth.
    expect(admitted({ rateLimit: 2, rateLimiter: 'token-bucket' }, [0, 0, 0, 5000, 5000, 5000])).toEqual([0, 0, 5000, 5000]);
  });

  it('lets everything through without a rate limit', () => {
    expect(admitted({}, [0, 0, 0, 0])).toEqual([0, 0, 0, 0]);
  });
});

describe('fastAccept', () => {
  it('counts events without keeping them', async () => {
    const sandbox = await start({ fastAccept: true });
    expect((await send(sandbox.url, { data: batch(250) })).status).toBe(200);
    expect((await send(sandbox.url, { data: batch(10) })).status).toBe(200);
    expect(sandbox.events()).toEqual([]);
    expect(sandbox.stats()).toMatchObject({ accepted: 260, unique_event_ids: 250, duplicates: 10, max_events_per_request: 250 });
  });

  it('catches an error in a sampled event (the first and every 100th), not in the others', async () => {
    const sandbox = await start({ fastAccept: true });
    const data = batch(250);
    data[100] = purchase('e100', { event_time: Date.now() });
    const reply = await send(sandbox.url, { data });
    expect(reply.status).toBe(400);
    expect(reply.json.event).toBe(100);
    data[100] = purchase('e100');
    data[57] = purchase('e57', { event_time: Date.now() });
    expect((await send(sandbox.url, { data })).status).toBe(200);
    expect(sandbox.stats().accepted).toBe(250);
  });
});

describe('capi-sync sandbox command', () => {
  it('prints the URL to use as endpoint, serves until aborted, then closes', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    const controller = new AbortController();
    const done = sandboxCommand({ port: 0, token: 'cli-secret-token' }, controller.signal);
    await vi.waitFor(() => expect(lines.join('')).toMatch(/endpoint: http:\/\/127\.0\.0\.1:\d+/));
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(lines.join(''))?.[1] ?? '';
    expect(lines.join('')).not.toContain('cli-secret-token');
    expect((await send(url, { data: batch(1) }, { token: 'cli-secret-token' })).status).toBe(200);
    controller.abort();
    await done;
    await expect(request(`${url}/_sandbox/stats`)).rejects.toThrow();
  });

  it('rejects an unknown fault name as a config error', async () => {
    await expect(sandboxCommand({ port: 0, faults: ['502'] }, new AbortController().signal)).rejects.toThrow(/faults: unknown 502/);
  });
});
