/** A fault the sandbox can answer a POST with: an HTTP status, a dropped socket, or no answer at all. */
export type FaultKind = '500' | '503' | '429' | 'reset' | 'timeout';

export const FAULT_KINDS: readonly FaultKind[] = ['500', '503', '429', 'reset', 'timeout'];

/** The knobs that decide which requests fail; all off by default. */
export interface FaultOptions {
  /** Share of POST requests (0..1) answered with a fault. Default 0. */
  failureRate?: number;
  /** Faults picked from (uniformly) when a request fails. Default all of `FAULT_KINDS`. */
  faults?: readonly FaultKind[];
  /** Seconds sent as `Retry-After` on injected 429 and 503; `false` sends no header. Default `false`. */
  retryAfter?: number | false;
  /** Share (0..1) of injected 429 and 503 that carry `retryAfter`; the others come without. Default 1. */
  retryAfterRate?: number;
  /** Milliseconds before each API request is answered (a slow Snap), faults included. Default 0. */
  latencyMs?: number;
  /** Requests per second allowed (see `rateLimiter`); above it, 429 with `rateLimitRetryAfter`. Default unlimited. */
  rateLimit?: number;
  /**
   * How `rateLimit` is counted: `sliding-window` (at most rateLimit requests in any 1 s), `fixed-window`
   * (at most rateLimit in each clock second) or `token-bucket` (rateLimit tokens a second, up to
   * `rateLimitBurst` saved). Default `sliding-window`.
   */
  rateLimiter?: RateLimiter;
  /** The token bucket's size: requests that may come at once after a quiet spell. Default rateLimit (rounded up). */
  rateLimitBurst?: number;
  /** Seconds sent as `Retry-After` with a rate-limit 429; `false` sends none. Default 1. */
  rateLimitRetryAfter?: number | false;
  /** Seed of the random generator, so a run's faults can be replayed. Default a random seed. */
  seed?: number;
}

export type RateLimiter = 'sliding-window' | 'fixed-window' | 'token-bucket';

export const RATE_LIMITERS: readonly RateLimiter[] = ['sliding-window', 'fixed-window', 'token-bucket'];

export function isFaultKind(name: string): name is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(name);
}

/** Every problem with the fault options, as `option: message`; empty when they are usable. */
export function faultOptionProblems(options: Omit<FaultOptions, 'faults' | 'rateLimiter'> & { faults?: readonly string[]; rateLimiter?: string }): string[] {
  const problems: string[] = [];
  const { failureRate, faults, retryAfter, retryAfterRate, latencyMs, rateLimit } = options;
  if (failureRate !== undefined && !(failureRate >= 0 && failureRate <= 1)) problems.push('failureRate: must be between 0 and 1');
  if (retryAfterRate !== undefined && !(retryAfterRate >= 0 && retryAfterRate <= 1)) problems.push('retryAfterRate: must be between 0 and 1');
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) problems.push('latencyMs: must be a number of milliseconds >= 0');
  if (faults !== undefined) {
    const unknown = faults.filter((name) => !isFaultKind(name));
    if (unknown.length > 0) problems.push(`faults: unknown ${unknown.join(', ')}; use ${FAULT_KINDS.join(', ')}`);
    if (faults.length === 0 && (failureRate ?? 0) > 0) problems.push('faults: name at least one fault when failureRate > 0');
  }
  if (retryAfter !== undefined && retryAfter !== false && !(Number.isFinite(retryAfter) && retryAfter >= 0)) {
    problems.push('retryAfter: must be a number of seconds >= 0, or false');
  }
  if (rateLimit !== undefined && !(Number.isFinite(rateLimit) && rateLimit > 0)) problems.push('rateLimit: must be a number of requests per second > 0');
  return [...problems, ...rateLimitProblems(options)];
}

function rateLimitProblems({ rateLimit, rateLimiter, rateLimitBurst, rateLimitRetryAfter }: Parameters<typeof faultOptionProblems>[0]): string[] {
  const problems: string[] = [];
  if (rateLimiter !== undefined && !(RATE_LIMITERS as readonly string[]).includes(rateLimiter)) {
    problems.push(`rateLimiter: unknown ${rateLimiter}; use ${RATE_LIMITERS.join(', ')}`);
  }
  if (rateLimitBurst !== undefined && !(Number.isInteger(rateLimitBurst) && rateLimitBurst >= 1)) problems.push('rateLimitBurst: must be a whole number of requests >= 1');
  if (rateLimitBurst !== undefined && rateLimiter !== 'token-bucket') problems.push('rateLimitBurst: goes with rateLimiter token-bucket');
  if (rateLimitRetryAfter !== undefined && rateLimitRetryAfter !== false && !(Number.isFinite(rateLimitRetryAfter) && rateLimitRetryAfter >= 0)) {
    problems.push('rateLimitRetryAfter: must be a number of seconds >= 0, or false (none)');
  }
  const shaped = { rateLimiter, rateLimitBurst, rateLimitRetryAfter };
  for (const [name, value] of Object.entries(shaped)) if (value !== undefined && rateLimit === undefined) problems.push(`${name}: set rateLimit too`);
  return problems;
}

/** mulberry32: a tiny 32-bit generator, good enough to pick faults and reproducible from its seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An injected fault, and the Retry-After (seconds) to send with it, if any. */
export interface Fault {
  kind: FaultKind;
  retryAfter?: number;
}

/** Decides, per request, whether it fails and how; `null` means answer normally. */
export function createFaultPicker(options: FaultOptions): () => Fault | null {
  const rate = options.failureRate ?? 0;
  const faults = options.faults ?? FAULT_KINDS;
  const seconds = options.retryAfter ?? false;
  const share = options.retryAfterRate ?? 1;
  const random = mulberry32(options.seed ?? Math.floor(Math.random() * 4_294_967_296));
  return () => {
    if (rate <= 0 || faults.length === 0 || random() >= rate) return null;
    const kind = faults[Math.floor(random() * faults.length)];
    if (kind === undefined) return null;
    if (seconds === false || (kind !== '429' && kind !== '503')) return { kind };
    // Drawn only when some answers go without, so a seed replays the same faults as before.
    return share >= 1 || random() < share ? { kind, retryAfter: seconds } : { kind };
  };
}

/**
 * Whether a request arriving now is within the rate limit (see FaultOptions.rateLimiter); always true
 * without one. A refused request takes nothing from the limit.
 */
export function createRateLimiter(options: Pick<FaultOptions, 'rateLimit' | 'rateLimiter' | 'rateLimitBurst'>, now: () => number = Date.now): () => boolean {
  const perSecond = options.rateLimit;
  if (perSecond === undefined) return () => true;
  if (options.rateLimiter === 'fixed-window') return fixedWindow(perSecond, now);
  if (options.rateLimiter === 'token-bucket') return tokenBucket(perSecond, options.rateLimitBurst ?? Math.ceil(perSecond), now);
  return slidingWindow(perSecond, now);
}

function slidingWindow(perSecond: number, now: () => number): () => boolean {
  const admitted: number[] = [];
  let head = 0;
  return () => {
    const time = now();
    while (head < admitted.length && (admitted[head] ?? 0) <= time - 1000) head++;
    if (head > 1024) {
      admitted.splice(0, head);
      head = 0;
    }
    if (admitted.length - head >= perSecond) return false;
    admitted.push(time);
    return true;
  };
}

function fixedWindow(perSecond: number, now: () => number): () => boolean {
  let second = -1;
  let count = 0;
  return () => {
    const current = Math.floor(now() / 1000);
    if (current !== second) [second, count] = [current, 0];
    if (count >= perSecond) return false;
    count++;
    return true;
  };
}

function tokenBucket(perSecond: number, burst: number, now: () => number): () => boolean {
  let tokens = burst;
  let since = now();
  return () => {
    const time = now();
    tokens = Math.min(burst, tokens + ((time - since) / 1000) * perSecond);
    since = time;
    if (tokens < 1) return false;
    tokens--;
    return true;
  };
}
