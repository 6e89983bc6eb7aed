/** One problem found in an event: a code for Snap's `errors.codes` and a message naming the field. */
export interface EventIssue {
  code: string;
  message: string;
}

export type AddIssue = (code: string, message: string) => void;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHA256_ANY_CASE = /^[0-9a-fA-F]{64}$/;

// Snap documents em and ph as arrays only; the other hashed keys are arrays in the OpenAPI file but
// single strings in most integrations, so both are accepted.
const HASHED_ARRAY_KEYS = ['em', 'ph'] as const;
const HASHED_KEYS = ['fn', 'ln', 'ge', 'ct', 'st', 'zp', 'country', 'external_id', 'db'] as const;
// `mobile_ad_id` is the OpenAPI file's name for what Snap's pages call `madid`.
const PLAIN_KEYS = ['client_ip_address', 'client_user_agent', 'sc_click_id', 'sc_cookie1', 'madid', 'mobile_ad_id', 'idfv'] as const;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks hashing and identifiers of `user_data`; keys Snap may add later are let through. */
export function checkUserData(user: Record<string, unknown>, add: AddIssue): void {
  for (const key of HASHED_ARRAY_KEYS) {
    const value = user[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) add('INVALID_FIELD', `user_data.${key} must be an array of strings`);
    else value.forEach((item, i) => checkHash(`user_data.${key}[${i}]`, item, add));
  }
  for (const key of HASHED_KEYS) {
    const value = user[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((item, i) => checkHash(`user_data.${key}[${i}]`, item, add));
    else if (typeof value === 'string') checkHash(`user_data.${key}`, value, add);
    else add('INVALID_FIELD', `user_data.${key} must be a string or an array of strings`);
  }
  for (const key of PLAIN_KEYS) {
    if (user[key] !== undefined && typeof user[key] !== 'string') add('INVALID_FIELD', `user_data.${key} must be a string`);
  }
  if (!hasIdentifier(user)) {
    add('INSUFFICIENT_IDENTIFIERS', 'user_data needs at least one identifier: em, ph, madid, or both client_ip_address and client_user_agent');
  }
}

// The messages never repeat the value: it may be clear-text PII that would end up in a log.
function checkHash(path: string, value: unknown, add: AddIssue): void {
  if (typeof value === 'string' && SHA256_HEX.test(value)) return;
  const base = `${path} must be a SHA-256 hash (64 lower-case hex)`;
  if (typeof value !== 'string') add('INVALID_FIELD', base);
  else if (SHA256_ANY_CASE.test(value)) add('UNHASHED_PII', `${base}; it is upper-case hex, lower-case it`);
  else add('UNHASHED_PII', `${base}; it looks like clear text, normalise and hash it`);
}

function hasIdentifier(user: Record<string, unknown>): boolean {
  const filled = (value: unknown): boolean =>
    (typeof value === 'string' && value !== '') || (Array.isArray(value) && value.some(filled));
  return (
    filled(user.em) ||
    filled(user.ph) ||
    filled(user.madid) ||
    filled(user.mobile_ad_id) ||
    (filled(user.client_ip_address) && filled(user.client_user_agent))
  );
}
