import { ConfigError } from '../errors.ts';
import { FAULT_KINDS, faultOptionProblems, isFaultKind, type RateLimiter } from '../sandbox/faults.ts';
import { startSandbox } from '../sandbox/server.ts';

/** `capi-sync sandbox` options, as given on the command line. */
export interface SandboxCommandOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** When set, only this access_token is accepted. Default: any non-empty token. */
  token?: string;
  /** Share of POST requests (0..1) answered with a fault. Default 0. */
  failureRate?: number;
  /** Faults to pick from: 500, 503, 429, reset, timeout. Default all. */
  faults?: string[];
  /** Seconds sent as Retry-After on injected 429/503; false for none. Default false. */
  retryAfter?: number | false;
  /** Share of injected 429/503 that carry Retry-After (0..1). Default 1. */
  retryAfterRate?: number;
  /** Milliseconds before each answer. Default 0. */
  latency?: number;
  /** Requests per second before answering 429. Default unlimited. */
  rateLimit?: number;
  /** How the rate limit is counted: sliding-window, fixed-window or token-bucket. Default sliding-window. */
  rateLimiter?: string;
  /** The token bucket's size. Default the rate limit. */
  rateLimitBurst?: number;
  /** Seconds sent as Retry-After with a rate-limit 429; false for none. Default 1. */
  rateLimitRetryAfter?: number | false;
  /** event_ids to refuse with 400 INVALID. Default none. */
  refuse?: string[];
  /** Count events and validate a sample only, keeping no event objects. Default false. */
  fastAccept?: boolean;
  /** Seed of the fault generator, to replay a run. Default random. */
  seed?: number;
}

/** Runs the Snap sandbox until `signal` aborts, then closes it. */
export async function sandbox(opts: SandboxCommandOptions, signal: AbortSignal): Promise<void> {
  const problems = faultOptionProblems({ ...opts, latencyMs: opts.latency }).map((problem) => `sandbox ${problem}`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) problems.unshift('sandbox port: must be an integer 0..65535');
  if (problems.length > 0) throw new ConfigError(problems);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const server = await startSandbox({
    port: opts.port,
    token: opts.token,
    failureRate: opts.failureRate,
    faults: opts.faults?.filter(isFaultKind),
    retryAfter: opts.retryAfter,
    retryAfterRate: opts.retryAfterRate,
    latencyMs: opts.latency,
    rateLimit: opts.rateLimit,
    rateLimiter: opts.rateLimiter as RateLimiter | undefined,
    rateLimitBurst: opts.rateLimitBurst,
    rateLimitRetryAfter: opts.rateLimitRetryAfter,
    refuseEventIds: opts.refuse === undefined ? undefined : new Set(opts.refuse),
    fastAccept: opts.fastAccept,
    seed,
  });
  // The token is a secret: say whether one is required, never which.
  const auth = opts.token === undefined ? 'any access_token accepted' : 'access_token must match --token';
  process.stdout.write(
    `Snap sandbox listening on ${server.url} (${auth}); point an activation at it with "endpoint: ${server.url}" in activations.yml. Ctrl-C to stop.\n${misbehaviour(opts, seed)}`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}

/** One line saying how the sandbox misbehaves, with the seed that replays it; empty when it does not. */
function misbehaviour(o: SandboxCommandOptions, seed: number): string {
  const parts: string[] = [];
  if (o.failureRate) parts.push(`${+(o.failureRate * 100).toFixed(1)}% of requests fail (${(o.faults ?? FAULT_KINDS).join(', ')})`);
  if (o.retryAfter !== undefined && o.retryAfter !== false) {
    const share = o.retryAfterRate === undefined ? 'every' : `${+(o.retryAfterRate * 100).toFixed(1)}% of`;
    parts.push(`Retry-After: ${o.retryAfter} on ${share} injected 429/503`);
  }
  if (o.rateLimit) parts.push(`${rateLimit(o)}, then 429 ${o.rateLimitRetryAfter === false ? 'without Retry-After' : `with Retry-After: ${o.rateLimitRetryAfter ?? 1}`}`);
  if (o.latency) parts.push(`each answer after ${o.latency} ms`);
  if (o.refuse?.length) parts.push(`400 INVALID for ${o.refuse.length} event id(s)`);
  if (parts.length === 0) return '';
  return `faults: ${parts.join('; ')}${o.failureRate ? ` (seed ${seed}; --seed ${seed} replays them)` : ''}\n`;
}

function rateLimit(o: SandboxCommandOptions): string {
  if (o.rateLimiter === 'fixed-window') return `${o.rateLimit} requests in each clock second`;
  if (o.rateLimiter === 'token-bucket') return `${o.rateLimit} requests/s from a bucket of ${o.rateLimitBurst ?? Math.ceil(o.rateLimit!)}`;
  return `${o.rateLimit} requests in any 1 s`;
}
