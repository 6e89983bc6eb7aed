/**
 * The fields a mapping may name: the words of Snap's docs, what key each becomes in the event, and how
 * the outbound view treats it. The SQL for each treatment lives in macros/; this is only the catalogue.
 */
export type FieldKind =
  | 'event' // top-level event fields computed by the view
  | 'custom' // custom_data
  | 'hashed' // user_data, normalised then SHA-256
  | 'plain'; // user_data, sent as it is

export interface FieldSpec {
  kind: FieldKind;
  /** The key in the event Snap receives. */
  key: string;
  /** The macros/ folder that normalises the value (hashed fields: before hashing). */
  normalise?: string;
  /** Sent as a one-element array (Snap's `em` and `ph`). */
  array?: boolean;
}

export const FIELDS = {
  event_time: { kind: 'event', key: 'event_time' },
  event_name: { kind: 'event', key: 'event_name' },
  event_id: { kind: 'event', key: 'event_id' },
  order_id: { kind: 'custom', key: 'order_id' },
  value: { kind: 'custom', key: 'value' },
  currency: { kind: 'custom', key: 'currency' },
  content_ids: { kind: 'custom', key: 'content_ids' },
  num_items: { kind: 'custom', key: 'num_items' },
  email: { kind: 'hashed', key: 'em', normalise: 'normalise_email', array: true },
  phone: { kind: 'hashed', key: 'ph', normalise: 'normalise_phone', array: true },
  first_name: { kind: 'hashed', key: 'fn', normalise: 'normalise_name' },
  last_name: { kind: 'hashed', key: 'ln', normalise: 'normalise_name' },
  gender: { kind: 'hashed', key: 'ge', normalise: 'normalise_gender' },
  city: { kind: 'hashed', key: 'ct', normalise: 'normalise_name' },
  state: { kind: 'hashed', key: 'st', normalise: 'normalise_state' },
  postal_code: { kind: 'hashed', key: 'zp', normalise: 'normalise_postal_code' },
  country: { kind: 'hashed', key: 'country', normalise: 'normalise_country' },
  external_id: { kind: 'hashed', key: 'external_id', normalise: 'normalise_external_id' },
  date_of_birth: { kind: 'hashed', key: 'db', normalise: 'normalise_date_of_birth' },
  client_ip_address: { kind: 'plain', key: 'client_ip_address' },
  client_user_agent: { kind: 'plain', key: 'client_user_agent' },
  sc_click_id: { kind: 'plain', key: 'sc_click_id' },
  sc_cookie1: { kind: 'plain', key: 'sc_cookie1' },
  madid: { kind: 'plain', key: 'madid', normalise: 'normalise_madid' },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** Other spellings users write for a field. */
export const ALIASES: Record<string, FieldName> = { zip: 'postal_code' };

export const FIELD_NAMES = [...Object.keys(FIELDS), ...Object.keys(ALIASES)].sort();

export function canonicalField(name: string): FieldName | undefined {
  if (name in FIELDS) return name as FieldName;
  return ALIASES[name];
}

/** Snap's event names; a mapped value is upper-cased and must be one of these. */
export const SNAP_EVENT_NAMES = [
  'PURCHASE', 'ADD_CART', 'SIGN_UP', 'PAGE_VIEW', 'VIEW_CONTENT', 'ADD_TO_WISHLIST', 'SEARCH',
  'ADD_BILLING', 'START_CHECKOUT', 'SAVE', 'SUBSCRIBE', 'LOGIN', 'LIST_VIEW', 'ACHIEVEMENT_UNLOCKED',
  'START_TRIAL', 'RATE', 'INVITE', 'COMPLETE_TUTORIAL', 'AD_CLICK', 'AD_VIEW', 'SHARE', 'RESERVE',
  'LEVEL_COMPLETE', 'SPENT_CREDITS', 'APP_INSTALL', 'APP_OPEN',
  'CUSTOM_EVENT_1', 'CUSTOM_EVENT_2', 'CUSTOM_EVENT_3', 'CUSTOM_EVENT_4', 'CUSTOM_EVENT_5',
] as const;

/**
 * Reason codes of the rejected view, in the order they are tested (the first failing one is shown).
 * A `missing_*` code (the column is empty) comes just before its `invalid_*` (it holds something that
 * cannot be read), whose test alone would also catch the empty column.
 */
export const REJECTION_REASONS = [
  'missing_event_time', 'invalid_event_time', 'invalid_event_name', 'event_in_future', 'event_too_old',
  'missing_value', 'invalid_value', 'missing_currency', 'invalid_currency', 'no_user_identifier', 'missing_cursor',
] as const;
