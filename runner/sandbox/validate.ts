import { eventSchemaProblems } from './validate-schema.ts';
import { checkUserData, isObject, type AddIssue, type EventIssue } from './validate-user-data.ts';

export type { EventIssue } from './validate-user-data.ts';

/** How strictly `event_time` is checked. */
export interface ValidateOptions {
  /** Oldest `event_time` accepted, in days before `now`. Default 37 (Snap's documented limit). */
  maxAgeDays?: number;
  /** The current time in Unix milliseconds. Default `Date.now()`. */
  now?: number;
}

export const SNAP_EVENT_NAMES: ReadonlySet<string> = new Set([
  'PURCHASE', 'ADD_CART', 'SIGN_UP', 'PAGE_VIEW', 'VIEW_CONTENT', 'ADD_TO_WISHLIST', 'SEARCH', 'ADD_BILLING',
  'START_CHECKOUT', 'SAVE', 'SUBSCRIBE', 'LOGIN', 'LIST_VIEW', 'ACHIEVEMENT_UNLOCKED', 'START_TRIAL', 'RATE',
  'INVITE', 'COMPLETE_TUTORIAL', 'AD_CLICK', 'AD_VIEW', 'SHARE', 'RESERVE', 'LEVEL_COMPLETE', 'SPENT_CREDITS',
  'APP_INSTALL', 'APP_OPEN', 'CUSTOM_EVENT_1', 'CUSTOM_EVENT_2', 'CUSTOM_EVENT_3', 'CUSTOM_EVENT_4', 'CUSTOM_EVENT_5',
]);

const ACTION_SOURCES: ReadonlySet<string> = new Set(['OFFLINE', 'WEB', 'MOBILE_APP']);

// extinfo, as Snap's "Using the API" page lists it: 16 strings, the first a2 (Android) or i2 (iOS).
const EXTINFO_LENGTH = 16;

/** Snap accepts events up to 37 days old. */
export const DEFAULT_MAX_AGE_DAYS = 37;
const CLOCK_SKEW_SECONDS = 60;
// Any Unix-seconds value this large is past the year 33000, so it can only be milliseconds.
const MILLISECONDS_THRESHOLD = 1e12;

/** Validates one event against snap-capi-v3.md; returns the problems as messages (empty = valid). */
export function validateEvent(event: unknown, options: ValidateOptions = {}): string[] {
  return checkEvent(event, options).map((issue) => issue.message);
}

/** Like `validateEvent`, with a code per problem for Snap's `errors.codes`. */
export function checkEvent(event: unknown, options: ValidateOptions = {}): EventIssue[] {
  if (!isObject(event)) return [{ code: 'INVALID_EVENT', message: 'event must be a JSON object' }];
  const issues: EventIssue[] = [];
  const add: AddIssue = (code, message) => issues.push({ code, message });
  for (const problem of eventSchemaProblems(event)) add('SCHEMA_MISMATCH', `Snap's v3 schema: ${problem}`);
  const name = event.event_name;
  if (name === undefined) add('MISSING_REQUIRED_FIELD', 'event_name is required');
  else if (typeof name !== 'string' || !SNAP_EVENT_NAMES.has(name)) {
    add('INVALID_EVENT_NAME', 'event_name must be one of Snap\'s upper-case event names (PURCHASE, SIGN_UP, ...)');
  }
  checkEventTime(event.event_time, options, add);
  const source = event.action_source;
  if (source === undefined) add('MISSING_REQUIRED_FIELD', 'action_source is required (OFFLINE for offline conversions)');
  else if (typeof source !== 'string' || !ACTION_SOURCES.has(source)) add('INVALID_FIELD', 'action_source must be OFFLINE, WEB or MOBILE_APP');
  if (event.event_id !== undefined && (typeof event.event_id !== 'string' || event.event_id === '')) {
    add('INVALID_FIELD', 'event_id must be a non-empty string');
  }
  if (source === 'WEB' && !(typeof event.event_source_url === 'string' && /^https?:\/\/[^\s/]+/i.test(event.event_source_url))) {
    add('MISSING_REQUIRED_FIELD', 'WEB events need event_source_url, the http(s) URL of the page the event happened on');
  }
  if (source === 'MOBILE_APP') checkAppData(event.app_data, add);
  if (event.user_data === undefined) add('MISSING_REQUIRED_FIELD', 'user_data is required');
  else if (!isObject(event.user_data)) add('INVALID_FIELD', 'user_data must be an object');
  else checkUserData(event.user_data, add);
  checkCustomData(name === 'PURCHASE', event.custom_data, add);
  return issues;
}

function checkEventTime(time: unknown, options: ValidateOptions, add: AddIssue): void {
  if (time === undefined) return add('MISSING_REQUIRED_FIELD', 'event_time is required (Unix seconds)');
  if (typeof time !== 'number' || !Number.isInteger(time)) {
    return add('INVALID_TIMESTAMP', 'event_time must be an integer number of Unix seconds');
  }
  if (time >= MILLISECONDS_THRESHOLD) {
    return add('INVALID_TIMESTAMP', `event_time ${time} is in milliseconds; Snap expects Unix seconds (${Math.floor(time / 1000)})`);
  }
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (time > nowSeconds + CLOCK_SKEW_SECONDS) {
    return add('TIMESTAMP_OUT_OF_RANGE', `event_time is ${time - nowSeconds} s in the future`);
  }
  if (nowSeconds - time > maxAgeDays * 86_400) {
    const days = Math.floor((nowSeconds - time) / 86_400);
    add('TIMESTAMP_OUT_OF_RANGE', `event_time is ${days} days old; Snap accepts events up to ${maxAgeDays} days old`);
  }
}

function checkAppData(app: unknown, add: AddIssue): void {
  const extinfo = isObject(app) ? app.extinfo : undefined;
  if (!Array.isArray(extinfo) || extinfo.length !== EXTINFO_LENGTH || !['a2', 'i2'].includes(extinfo[0] as string)) {
    add('MISSING_REQUIRED_FIELD', `MOBILE_APP events need app_data.extinfo: ${EXTINFO_LENGTH} strings, the first a2 (Android) or i2 (iOS)`);
  }
  if (isObject(app) && app.advertiser_tracking_enabled === undefined) {
    add('MISSING_REQUIRED_FIELD', 'MOBILE_APP events need app_data.advertiser_tracking_enabled (true or false)');
  }
}

function checkCustomData(isPurchase: boolean, data: unknown, add: AddIssue): void {
  if (data === undefined) {
    if (isPurchase) add('MISSING_REQUIRED_FIELD', 'PURCHASE needs custom_data.value and custom_data.currency');
    return;
  }
  if (!isObject(data)) return add('INVALID_FIELD', 'custom_data must be an object');
  const { value, currency, content_ids: contentIds, num_items: numItems, order_id: orderId } = data;
  if (value === undefined) {
    if (isPurchase) add('MISSING_REQUIRED_FIELD', 'PURCHASE needs custom_data.value (a number >= 0)');
  } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    add('INVALID_FIELD', 'custom_data.value must be a number >= 0');
  }
  if (currency === undefined) {
    if (isPurchase) add('MISSING_REQUIRED_FIELD', 'PURCHASE needs custom_data.currency (ISO-4217, e.g. EUR)');
  } else if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    add('INVALID_FIELD', 'custom_data.currency must be 3 upper-case letters (ISO-4217, e.g. EUR)');
  }
  if (contentIds !== undefined && !(Array.isArray(contentIds) && contentIds.every((id) => typeof id === 'string'))) {
    add('INVALID_FIELD', 'custom_data.content_ids must be an array of strings');
  }
  if (numItems !== undefined && !Number.isInteger(numItems)) add('INVALID_FIELD', 'custom_data.num_items must be an integer');
  if (orderId !== undefined && typeof orderId !== 'string') add('INVALID_FIELD', 'custom_data.order_id must be a string');
}
