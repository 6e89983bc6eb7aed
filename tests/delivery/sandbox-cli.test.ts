import { afterEach, describe, expect, it } from 'vitest';
import { batch, purchase, send } from '../sandbox-helpers.ts';
import { ROOT, runCli } from '../support/cli.ts';
import { startCli, until, type CliProcess } from './pg-project.ts';

const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

/** `capi-sync sandbox --port 0 ...` as a separate process; resolves with its URL once it listens. */
async function sandboxProcess(args: string[]): Promise<{ process: CliProcess; url: string }> {
  const started = startCli(['sandbox', '--port', '0', ...args], ROOT, {});
  running.push(started);
  await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(started.output().stdout) || started.child.exitCode !== null, 30_000, 'the sandbox to listen');
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(started.output().stdout)?.[1];
  if (!url) throw new Error(`the sandbox did not start: ${started.output().stderr}`);
  return { process: started, url };
}

describe('capi-sync sandbox: fault injection from the command line', () => {
  it('answers 429 with Retry-After on the chosen share, says how it misbehaves and with which seed, and exits 130 on Ctrl-C', async () => {
    const { process: sandbox, url } = await sandboxProcess(['--failure-rate', '1', '--faults', '429', '--retry-after', '2', '--retry-after-rate', '0.5', '--seed', '5']);
    expect(sandbox.output().stdout).toContain('faults: 100% of requests fail (429); Retry-After: 2 on 50% of injected 429/503 (seed 5; --seed 5 replays them)');
    const replies = [];
    for (let i = 0; i < 20; i++) replies.push(await send(url, { data: batch(1) }));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([429]));
    const headers = replies.map((r) => r.headers['retry-after']);
    expect(headers).toContain('2');
    expect(headers).toContain(undefined);
    sandbox.child.kill('SIGINT');
    expect((await sandbox.exited).code).toBe(130);
  });

  it('refuses chosen events with 400 and rate-limits with 429 + Retry-After: 1 (with --latency set)', async () => {
    const { url } = await sandboxProcess(['--refuse', 'bad-1', 'bad-2', '--latency', '30', '--rate-limit', '3']);
    const refused = await send(url, { data: [purchase('ok-1'), purchase('bad-2')] });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ status: 'INVALID', event: 1 });
    expect((await send(url, { data: [purchase('ok-1')] })).status).toBe(200);
    expect((await send(url, { data: [purchase('ok-2')] })).status).toBe(200);
    const limited = await send(url, { data: [purchase('ok-3')] });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
  });

  it('rate-limits per clock second with 429s that carry no Retry-After, and says so', async () => {
    const { process: sandbox, url } = await sandboxProcess(['--rate-limit', '2', '--rate-limiter', 'fixed-window', '--rate-limit-retry-after', 'none']);
    expect(sandbox.output().stdout).toContain('faults: 2 requests in each clock second, then 429 without Retry-After');
    // Five at once: even across the turn of a second, two in each pass and one at least is refused.
    const replies = await Promise.all([0, 1, 2, 3, 4].map((i) => send(url, { data: [purchase(`r-${i}`)] })));
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.map((r) => r.headers['retry-after'])).toEqual(limited.map(() => undefined));
  });

  it('drops connections when asked', async () => {
    const { url } = await sandboxProcess(['--failure-rate', '1', '--faults', 'reset']);
    await expect(send(url, { data: batch(1) })).rejects.toThrow(/other side closed|socket/i);
  });

  it('refuses impossible options with exit 2, listing each', async () => {
    const result = await runCli(['sandbox', '--port', '0', '--faults', '502', '--retry-after-rate', '2', '--latency', '-5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sandbox faults: unknown 502');
    expect(result.stderr).toContain('sandbox retryAfterRate: must be between 0 and 1');
    expect(result.stderr).toContain('sandbox latencyMs: must be a number of milliseconds >= 0');
  });

  it('refuses rate-limit options that cannot work together, naming each', async () => {
    const result = await runCli(['sandbox', '--port', '0', '--rate-limit', '5', '--rate-limiter', 'leaky', '--rate-limit-burst', '3', '--rate-limit-retry-after', '-2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sandbox rateLimiter: unknown leaky; use sliding-window, fixed-window, token-bucket');
    expect(result.stderr).toContain('sandbox rateLimitBurst: goes with rateLimiter token-bucket');
    expect(result.stderr).toContain('sandbox rateLimitRetryAfter: must be a number of seconds >= 0, or false (none)');
  });
});
