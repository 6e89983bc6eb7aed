import type { SnapApiError, SnapErrorBody } from '../errors.ts';

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

/** 400 (an event refused) and 413 (too large) are answered by splitting the batch. */
export function refusesEvents(error: SnapApiError): boolean {
  return (error.status === 400 || error.status === 413) && !tokenRefused(error);
}
