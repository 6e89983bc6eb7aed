import { SnapApiError, type SnapErrorBody } from '../errors.ts';

/** Snap's explanation: some 400s carry error_msgs under errors, some at the top level. */
export function describe(body: SnapErrorBody): string {
  const messages = [...(body.errors?.error_msgs ?? []), ...(body.error_msgs ?? [])].map(String);
  return [body.status, body.reason, ...messages].filter(Boolean).join('; ');
}

/** Snap's own words for a failed request, or the error's message when the body said nothing. */
export function snapMessage(error: SnapApiError): string {
  return error.body ? describe(error.body) : error.message;
}

// A bad token has been seen answered with 400 instead of 401 (snap-capi-v3.md). Such a 400 is about
// the request, not an event: splitting it would mark every event as refused and move past them all.
const TOKEN_WORDS = /access[ _-]?token|unauthori[sz]ed|authenticat|forbidden|permission/i;

/** Snap refused the access token: 401, 403, or a 400 that points at no event and speaks of the token. */
export function tokenRefused(error: SnapApiError): boolean {
  if (error.status === 401 || error.status === 403) return true;
  return error.status === 400 && error.body !== undefined && error.body.event === undefined && TOKEN_WORDS.test(describe(error.body));
}

/**
 * A 400 that names an event (its `event` index), and 413 (too large), are answered by splitting the
 * batch. A 400 that names no event is about the request itself (a wrong pixel id, a malformed body):
 * splitting it would post every event alone and mark them all refused, so the run stops instead.
 */
export function refusesEvents(error: SnapApiError): boolean {
  if (error.status === 413) return true;
  return error.status === 400 && typeof error.body?.event === 'number' && !tokenRefused(error);
}

/** A failed request's error as Snap's refusal of events to isolate; any other failure is thrown, to stop the run. */
export function eventsRefused(error: unknown): SnapApiError {
  if (!(error instanceof SnapApiError)) throw error;
  if (refusesEvents(error)) return error;
  throw error.status === 400 && !tokenRefused(error) ? requestRefused(error, 'naming no event') : error;
}

/** Both halves of a split batch refused with the same answer: the request is refused, not an event in it. */
export function sameRefusal(a: SnapApiError, b: SnapApiError): boolean {
  return a.status === 400 && b.status === 400 && a.body?.event === b.body?.event && snapMessage(a) === snapMessage(b);
}

/** A 400 about the request as a whole, as the error that stops the run (the message is Snap's, named as such). */
export function requestRefused(error: SnapApiError, why: string): SnapApiError {
  return new SnapApiError(`Snap refused the whole request (${error.status}: ${snapMessage(error)}), ${why}, so no event was marked refused and the run stopped; check pixel_id and the endpoint`, {
    status: error.status, retryable: false, body: error.body, cause: error,
  });
}

/** The refusal recorded for an event whose JSON alone is over what a request may carry; it is not posted. */
export function tooLarge(bytes: number, limit: number): SnapApiError {
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return new SnapApiError(`not sent: the event's JSON is ${mb(bytes)}, more than a request may carry (${mb(limit)}); shorten the fields that make it so large`, { status: 413, retryable: false });
}
