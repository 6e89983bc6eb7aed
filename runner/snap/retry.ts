/** Retry options, with undici's names. */
export interface RetryOptions {
  /** Attempts after the first; default 6. */
  maxRetries: number;
  /** First backoff in ms; default 500. */
  minTimeout: number;
  /** Longest backoff in ms, and the longest Retry-After honoured; default 30,000. */
  maxTimeout: number;
  /** Growth of the backoff per attempt; default 2. */
  timeoutFactor: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 6, minTimeout: 500, maxTimeout: 30_000, timeoutFactor: 2 };

export interface RetryInput {
  /** 1 for the first retry. */
  attempt: number;
  /** HTTP status, when there was an answer. */
  status?: number;
  /** Error code of a failed connection (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...). */
  errorCode?: string;
  /** The Retry-After header: seconds or an HTTP date. */
  retryAfter?: string;
  /** Current time in ms, to read an HTTP-date Retry-After. */
  now?: number;
  /** In [0, 1); the jitter. */
  random?: number;
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/**
 * How long to wait before retrying a request, or null when it must not be retried. POSTs are retried
 * on purpose: Snap deduplicates on event_id, so a batch that did arrive before the failure is not
 * counted twice. 429 and 5xx (but 501) and dropped or timed-out connections are retried with
 * exponential backoff and full jitter; a Retry-After (capped at maxTimeout) wins over the backoff.
 */
export function retryDelay(input: RetryInput, options: RetryOptions = DEFAULT_RETRY): number | null {
  if (input.attempt > options.maxRetries) return null;
  const { status, errorCode } = input;
  const retryable = status !== undefined
    ? status === 429 || (status >= 500 && status !== 501)
    : errorCode !== undefined && RETRYABLE_CODES.has(errorCode);
  if (!retryable) return null;

  const told = parseRetryAfter(input.retryAfter, input.now ?? Date.now());
  if (told !== undefined) return Math.min(told, options.maxTimeout);
  const ceiling = Math.min(options.maxTimeout, options.minTimeout * options.timeoutFactor ** (input.attempt - 1));
  // Half fixed, half random: spreads runners that failed together without ever retrying at once.
  return Math.round(ceiling / 2 + (ceiling / 2) * (input.random ?? Math.random()));
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
