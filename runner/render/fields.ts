/**
 * The fields a mapping may name: the words of Snap's docs, what key each becomes in the event, and how
 * the outbound view treats it. The SQL for each treatment lives in macros/; this is only the catalogue.
 */
export type FieldKind =
  | 'event' // top-level event fields computed by the view
  | 'custom' // custom_data
  | 'hashed' // user_data, normalised then SHA-256
  | 'plain' // user_data, sent as it is
  | 'app'; // app_data, for MOBILE_APP events

export interface FieldSpec {
  kind: FieldKind;
  /** The key in the event Snap receives. */
  key: string;
  /** The macros/ folder that normalises the value (hashed fields: before hashing). */
  normalise?: string;
  /** Sent as a one-element array of strings, as Snap's v3 schema types it (docs/fields.md). */
  array?: boolean;
  /** The place table (places.ts) the normalise macro looks names up in. */
  places?: 'countries' | 'regions';
}

export const FIELDS = {
  event_time: { kind: 'event', key: 'event_time' },
  event_name: { kind: 'event', key: 'event_name' },
  event_id: { kind: 'event', key: 'event_id' },
  action_source: { kind: 'event', key: 'action_source', normalise: 'normalise_event_name' },
  event_source_url: { kind: 'event', key: 'event_source_url', normalise: 'normalise_url' },
  order_id: { kind: 'custom', key: 'order_id' },
  value: { kind: 'custom', key: 'value' },
  currency: { kind: 'custom', key: 'currency' },
  content_ids: { kind: 'custom', key: 'content_ids' },
  num_items: { kind: 'custom', key: 'num_items' },
  email: { kind: 'hashed', key: 'em', normalise: 'normalise_email', array: true },
  phone: { kind: 'hashed', key: 'ph', normalise: 'normalise_phone', array: true },
  first_name: { kind: 'hashed', key: 'fn', normalise: 'normalise_name', array: true },
  last_name: { kind: 'hashed', key: 'ln', normalise: 'normalise_name', array: true },
  gender: { kind: 'hashed', key: 'ge', normalise: 'normalise_gender', array: true },
  city: { kind: 'hashed', key: 'ct', normalise: 'normalise_name', array: true },
  state: { kind: 'hashed', key: 'st', normalise: 'normalise_state', array: true, places: 'regions' },
  postal_code: { kind: 'hashed', key: 'zp', normalise: 'normalise_postal_code', array: true },
  country: { kind: 'hashed', key: 'country', normalise: 'normalise_country', array: true, places: 'countries' },
  // A single string in Snap's schema (its generated UserData model), unlike the keys above.
  external_id: { kind: 'hashed', key: 'external_id', normalise: 'normalise_external_id' },
  client_ip_address: { kind: 'plain', key: 'client_ip_address' },
  client_user_agent: { kind: 'plain', key: 'client_user_agent' },
  sc_click_id: { kind: 'plain', key: 'sc_click_id' },
  sc_cookie1: { kind: 'plain', key: 'sc_cookie1' },
  // Snap's pages say madid, its v3 schema and SDK mobile_ad_id: the schema's name is sent (docs/fields.md).
  madid: { kind: 'plain', key: 'mobile_ad_id', normalise: 'normalise_madid' },
  app_id: { kind: 'app', key: 'app_id' },
  extinfo: { kind: 'app', key: 'extinfo', normalise: 'to_extinfo' },
  advertiser_tracking_enabled: { kind: 'app', key: 'advertiser_tracking_enabled', normalise: 'to_boolean' },
  campaign_ids: { kind: 'app', key: 'campaign_ids' },
  install_referrer: { kind: 'app', key: 'install_referrer' },
  installer_package: { kind: 'app', key: 'installer_package' },
  url_schemes: { kind: 'app', key: 'url_schemes', normalise: 'to_string_array' },
  windows_attribution_id: { kind: 'app', key: 'windows_attribution_id' },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** Other spellings users write for a field. */
export const ALIASES: Record<string, FieldName> = { zip: 'postal_code', mobile_ad_id: 'madid' };

/**
 * Fields capi-sync no longer sends, with why. A mapping naming one still loads, so that an older config
 * keeps working, with a warning on every command saying it is left out and to remove it.
 */
export const RETIRED_FIELDS: Record<string, string> = {
  date_of_birth: "left out of every event: Snap's published v3 schema (and its SDK, which refuses keys it does not list) has no date of birth; remove it from the mapping (docs/fields.md says why)",
};

export const ACTION_SOURCES = ['OFFLINE', 'WEB', 'MOBILE_APP'] as const;

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
  'missing_event_time', 'invalid_event_time', 'invalid_event_name', 'invalid_action_source', 'event_in_future', 'event_too_old',
  'missing_value', 'invalid_value', 'missing_currency', 'invalid_currency', 'missing_event_source_url', 'missing_app_data',
  'no_user_identifier', 'missing_cursor',
] as const;

/**
 * The user_data keys an event can carry, in the catalogue's order: what the ledger's match_keys lists
 * and the report's match-key coverage counts.
 */
export const USER_DATA_KEYS: readonly string[] = Object.values(FIELDS as Record<string, FieldSpec>).filter((f) => f.kind === 'hashed' || f.kind === 'plain').map((f) => f.key);
