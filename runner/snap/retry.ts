/**
 * Retry options, with undici's names (in activations.yml: `snapchat.retry`, the same names in
 * snake_case). With the defaults a batch is tried 7 times over about 30 s before the run gives up.
 */
export interface RetryOptions {
  /** Retries after the first attempt (`max_retries`); default 6. */
  maxRetries: number;
  /** Backoff before the first retry, in ms (`min_timeout`); default 500. */
  minTimeout: number;
  /** Longest backoff, and the longest Retry-After honoured, in ms (`max_timeout`); default 30,000. */
  maxTimeout: number;
  /** Backoff growth per retry (`timeout_factor`); default 2. */
  timeoutFactor: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 6, minTimeout: 500, maxTimeout: 30_000, timeoutFactor: 2 };

export interface RetryInput {
  /** 1 for the first retry (the answer to the first attempt failed). */
  attempt: number;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** Why a request got no answer: ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ... */
  errorCode?: string;
  /** The Retry-After header: seconds or an HTTP date. */
  retryAfter?: string;
  /** Current time in ms, to read an HTTP-date Retry-After; default Date.now(). */
  now?: number;
  /** The jitter, in [0, 1); default Math.random(). */
  random?: number;
}

// Failures where the request may not have arrived, or arrived at a moment Snap could not take it.
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN',
  'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** 429, 5xx but 501 (Not Implemented will not change), and dropped or timed-out connections. */
export function isRetryable(status: number | undefined, errorCode?: string): boolean {
  if (status !== undefined && status !== 0) return status === 429 || (status >= 500 && status <= 599 && status !== 501);
  return errorCode !== undefined && RETRYABLE_CODES.has(errorCode);
}

/**
 * How long to wait before retrying a request, in ms, or null when it must not be retried (not
 * retryable, or `maxRetries` used up). POSTs are retried on purpose: Snap deduplicates on event_id, so
 * a batch that did arrive before its answer was lost is not counted twice.
 *
 * The backoff is exponential (minTimeout × timeoutFactor^(attempt-1), at most maxTimeout) with "equal
 * jitter": half of it fixed, half random, so runners that failed together spread out without ever
 * retrying at once. A Retry-After wins over the backoff, capped at maxTimeout as undici caps it.
 */
export function retryDelay(input: RetryInput, options: RetryOptions = DEFAULT_RETRY): number | null {
  if (!isRetryable(input.status, input.errorCode) || input.attempt > options.maxRetries) return null;
  const told = retryAfterMs(input.retryAfter, options, input.now);
  if (told !== undefined) return told;
  const step = Math.max(1, input.attempt);
  const ceiling = Math.min(options.maxTimeout, options.minTimeout * options.timeoutFactor ** (step - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * (input.random ?? Math.random()));
}

/** A Retry-After in ms from now, at most maxTimeout; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, options: RetryOptions = DEFAULT_RETRY, now = Date.now()): number | undefined {
  const told = parseRetryAfter(value, now);
  return told === undefined ? undefined : Math.min(told, options.maxTimeout);
}

// RFC 9110: delay-seconds are digits (a fraction is read too, leniently); every HTTP-date form
// starts with a day name, which keeps Date.parse from reading "-1" or "2" as a year.
const SECONDS = /^\s*\d+(\.\d+)?\s*$/;
const HTTP_DATE = /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/;

/** Retry-After in ms from now; undefined when absent or unreadable (the backoff applies then). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime dates carry no zone but mean GMT, as every HTTP date does.
  const date = Date.parse(/GMT|UTC|[+-]\d{4}\b/.test(value) ? value : `${value} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
