import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, parseRetryAfter, retryDelay, type RetryInput } from '../../runner/snap/retry.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const options = { maxRetries: 3, minTimeout: 100, maxTimeout: 1000, timeoutFactor: 2 };
const at = (input: Partial<RetryInput>): number | null => retryDelay({ attempt: 1, now: NOW, random: 0, ...input }, options);

describe('retryDelay: what is retried', () => {
  it.each([
    [429, 50],
    [500, 50],
    [502, 50],
    [503, 50],
    [504, 50],
    [599, 50],
  ])('retries HTTP %i', (status, expected) => {
    expect(at({ status })).toBe(expected);
  });

  it.each([200, 400, 401, 403, 404, 408, 413, 422, 501, 600])('does not retry HTTP %i', (status) => {
    expect(at({ status })).toBeNull();
  });

  it.each([
    'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH',
    'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED',
  ])('retries a request that got no answer: %s', (errorCode) => {
    expect(at({ errorCode })).toBe(50);
    expect(at({ status: 0, errorCode })).toBe(50);
  });

  it.each(['UND_ERR_ABORTED', 'AbortError', 'CERT_HAS_EXPIRED', 'ERR_INVALID_URL', undefined])(
    'does not retry a request that failed for good or was abandoned: %s',
    (errorCode) => {
      expect(at({ errorCode })).toBeNull();
    },
  );

  it('reads the status, not the error code, when there was an answer', () => {
    expect(at({ status: 400, errorCode: 'ECONNRESET' })).toBeNull();
    expect(isRetryable(503, 'CERT_HAS_EXPIRED')).toBe(true);
  });
});

describe('retryDelay: how long', () => {
  it.each([
    // attempt, random, ms: ceiling = min(1000, 100 × 2^(attempt-1)); half fixed, half jitter
    [1, 0, 50],
    [1, 0.999, 100],
    [2, 0, 100],
    [2, 0.5, 150],
    [3, 0, 200],
    [3, 0.999, 400],
  ])('backs off exponentially with jitter: attempt %i, random %d → %i ms', (attempt, random, ms) => {
    expect(at({ status: 503, attempt, random })).toBe(ms);
  });

  it('caps the backoff at maxTimeout', () => {
    const long = { ...options, maxRetries: 20 };
    expect(retryDelay({ attempt: 10, status: 500, random: 0.999 }, long)).toBe(1000);
    expect(retryDelay({ attempt: 10, status: 500, random: 0 }, long)).toBe(500);
  });

  it('gives up after maxRetries', () => {
    expect(at({ status: 503, attempt: 3 })).not.toBeNull();
    expect(at({ status: 503, attempt: 4 })).toBeNull();
    expect(retryDelay({ attempt: 1, status: 503 }, { ...options, maxRetries: 0 })).toBeNull();
  });

  it.each([
    ['0', 0],
    ['1', 1000],
    [' 0.5 ', 500],
    ['1.25', 1250],
    ['Sun, 01 Mar 2026 12:00:00 GMT', 0],
    ['Sun, 01 Mar 2026 12:00:00 GMT'.replace('12:00:00', '11:59:00'), 0],
    ['Sun, 01 Mar 2026 12:00:00 GMT'.replace('12:00:00', '12:00:01'), 1000],
    ['Sunday, 01-Mar-26 12:00:02 GMT', 2000],
    ['Sun Mar  1 12:00:03 2026', 3000],
    ['Sun, 01 Mar 2026 13:00:04 +0100', 4000],
  ])('honours Retry-After %j as %i ms, over the backoff', (retryAfter, ms) => {
    expect(retryDelay({ attempt: 1, status: 429, retryAfter, now: NOW, random: 0.999 }, { ...options, maxTimeout: 10_000 })).toBe(ms);
  });

  it('caps Retry-After at maxTimeout (in seconds and as a date)', () => {
    expect(at({ status: 429, retryAfter: '120' })).toBe(1000);
    expect(at({ status: 503, retryAfter: 'Sun, 01 Mar 2026 13:00:00 GMT' })).toBe(1000);
  });

  it.each(['-1', 'soon', '', '1e3', '2 seconds', 'Tomorrow', 'x Sun, 01 Mar 2026 12:00:01 GMT', '-Sun, 01 Mar 2026 12:00:01 GMT'])(
    'falls back to the backoff for an unreadable Retry-After %j',
    (retryAfter) => {
      expect(at({ status: 429, retryAfter })).toBe(50);
    },
  );

  it('never honours a Retry-After on an answer that is not retried', () => {
    expect(at({ status: 400, retryAfter: '1' })).toBeNull();
    expect(at({ status: 503, retryAfter: '1', attempt: 4 })).toBeNull();
  });

  it('documents its defaults: 6 retries, 500 ms growing ×2 up to 30 s', () => {
    expect(DEFAULT_RETRY).toEqual({ maxRetries: 6, minTimeout: 500, maxTimeout: 30_000, timeoutFactor: 2 });
    const worst = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelay({ attempt, status: 503, random: 0.99999 }));
    expect(worst).toEqual([500, 1000, 2000, 4000, 8000, 16000]);
  });
});

describe('parseRetryAfter', () => {
  it('reads a date relative to now and never answers a negative wait', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});
