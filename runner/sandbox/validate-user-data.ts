/** One problem found in an event: a code for Snap's `errors.codes` and a message naming the field. */
export interface EventIssue {
  code: string;
  message: string;
}

export type AddIssue = (code: string, message: string) => void;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHA256_ANY_CASE = /^[0-9a-fA-F]{64}$/;

// Snap's v3 schema types these as arrays of strings (its pages accept a string too; the schema is the
// stricter reading, and validate-schema.ts reports the type). external_id is a single string there.
const HASHED_ARRAY_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'ct', 'st', 'zp', 'country'] as const;
const HASHED_KEYS = ['external_id'] as const;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks hashing and identifiers of `user_data`; types and unknown keys are validate-schema.ts's. */
export function checkUserData(user: Record<string, unknown>, add: AddIssue): void {
  for (const key of HASHED_ARRAY_KEYS) {
    const value = user[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((item, i) => checkHash(`user_data.${key}[${i}]`, item, add));
  }
  for (const key of HASHED_KEYS) {
    const value = user[key];
    if (value === undefined) continue;
    if (typeof value === 'string') checkHash(`user_data.${key}`, value, add);
  }
  if (!hasIdentifier(user)) {
    add('INSUFFICIENT_IDENTIFIERS', 'user_data needs at least one identifier: em, ph, mobile_ad_id, or both client_ip_address and client_user_agent');
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
    // mobile_ad_id: the schema's name for what Snap's pages call madid (docs/fields.md).
    filled(user.mobile_ad_id) ||
    (filled(user.client_ip_address) && filled(user.client_user_agent))
  );
}
