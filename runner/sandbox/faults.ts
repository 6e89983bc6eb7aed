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
  /** Requests per second allowed over any 1 s window; above it, 429 with `Retry-After: 1`. Default unlimited. */
  rateLimit?: number;
  /** Seed of the random generator, so a run's faults can be replayed. Default a random seed. */
  seed?: number;
}

export function isFaultKind(name: string): name is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(name);
}

/** Every problem with the fault options, as `option: message`; empty when they are usable. */
export function faultOptionProblems(options: Omit<FaultOptions, 'faults'> & { faults?: readonly string[] }): string[] {
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

/** Sliding one-second window; returns whether a request arriving now is within `perSecond`. */
export function createRateLimiter(perSecond: number | undefined, now: () => number = Date.now): () => boolean {
  if (perSecond === undefined) return () => true;
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
