import { DAY, HOUR, NOW, isoZ, plain, raw, sha256, withOffset, type Expected } from './harness.ts';

/**
 * Messy rows of the `orders` source, mapped field by field (see ORDERS_ACTIVATION), with what Snap
 * should receive. Each row's event_id is its case id unless the case says otherwise. Expected user_data
 * holds the *normalised* string, hashed by the test with node:crypto; `raw(...)` is sent as it is.
 */
export interface FieldCase {
  name: string;
  row: Partial<Record<OrdersColumn, string>>;
  /** user_data key → expected normalised value; keys not listed must be absent. */
  user?: Record<string, Expected>;
  /** custom_data, exactly; absent → no custom_data key. */
  custom?: Record<string, unknown>;
  /** Default SIGN_UP (the base row's event_name). */
  eventName?: string;
  /** Unix seconds; default RECENT. null: the rejected view shows no time. */
  eventTime?: number | null;
  /** Default the case id. */
  eventId?: string;
  /** Held back with this reason instead of sent. */
  reason?: string;
}

export const ORDERS_COLUMNS = {
  event_time: 'text', event_name: 'text', event_id: 'text', order_id: 'text', value: 'text', currency: 'text',
  email: 'text', phone: 'text', first_name: 'text', last_name: 'text', gender: 'text', city: 'text', state: 'text',
  zip: 'text', country: 'text', external_id: 'text', ip: 'text', ua: 'text', click_id: 'text',
  cookie1: 'text', madid: 'text', content_ids: 'text', num_items: 'text',
  note: 'text', loaded_at: 'timestamptz',
} as const;
export type OrdersColumn = keyof typeof ORDERS_COLUMNS;

/** Every field mapped; zip through its alias; note is a column nobody mapped. */
export const ORDERS_ACTIVATION = (source: string) => `
  orders:
    pixel_id: pixel-1
    source: ${source}
    cursor: loaded_at
    phone_country_code: "44"
    max_event_age_days: 7
    mapping:
      event_time: event_time
      event_name: event_name
      event_id: event_id
      order_id: order_id
      value: value
      currency: currency
      email: email
      phone: phone
      first_name: first_name
      last_name: last_name
      gender: gender
      city: city
      state: state
      zip: zip
      country: country
      external_id: external_id
      client_ip_address: ip
      client_user_agent: ua
      sc_click_id: click_id
      sc_cookie1: cookie1
      madid: madid
      content_ids: content_ids
      num_items: num_items
`;

/** A column no mapping names; its clear text must never reach a payload. */
export const NOTE = 'unmapped.secret@example.com +44 7700 900999';
export const RECENT = NOW - HOUR;
const today = Math.floor(NOW / DAY) * DAY;
const HASH_UPPER = 'CC779C04191C2E736D89E45C11339C8382832BCAF70383F7DF94E3D08BA7A6D9';
const PHONE_HASH_UPPER = sha256('447700900123').toUpperCase();
const MADID = 'AEBE52E7-03EE-455A-B3C4-E57283966239';
const em = (n: string) => ({ email: `${n}@example.com` });
const emOut = (n: string) => ({ em: `${n}@example.com` });
const blanks = (text: string) => Object.fromEntries(
  (['phone', 'first_name', 'last_name', 'gender', 'city', 'state', 'zip', 'country', 'external_id', 'ip', 'ua', 'click_id', 'cookie1', 'madid', 'content_ids', 'num_items', 'value', 'currency', 'order_id'] as const).map((c) => [c, text]),
);

export const CASES: FieldCase[] = [
  // The check vectors of snap-capi-v3.md (the literal hashes are asserted again in fields.test.ts).
  { name: 'check vector: email with spaces and capitals', row: { email: '  Test123@GMAIL.com ' }, user: { em: 'test123@gmail.com' } },
  { name: 'check vector: phone +44 844 412 4653', row: { phone: '+44 844 412 4653' }, user: { ph: '448444124653' } },
  { name: 'check vector: city New York', row: { ...em('vector.city'), city: 'New York' }, user: { ...emOut('vector.city'), ct: 'newyork' } },

  // Already hashed, empty, whitespace, invisible characters.
  { name: 'upper-case SHA-256 email passes through lower-cased, not hashed again', row: { email: HASH_UPPER }, user: { em: raw(HASH_UPPER.toLowerCase()) } },
  { name: 'upper-case SHA-256 phone and external_id pass through lower-cased', row: { phone: PHONE_HASH_UPPER, external_id: ` ${HASH_UPPER} ` }, user: { ph: raw(PHONE_HASH_UPPER.toLowerCase()), external_id: raw(HASH_UPPER.toLowerCase()) } },
  { name: 'no-break spaces and a tab around an email', row: { email: '\u00a0\tJane.Doe@Example.ORG\u00a0' }, user: { em: 'jane.doe@example.org' } },
  { name: 'a byte-order mark and a zero-width space around an email', row: { email: '\ufeffbom@example.com\u200b' }, user: { em: 'bom@example.com' } },
  { name: 'empty strings in every other field are left out', row: { ...em('only.email'), ...blanks('') }, user: emOut('only.email') },
  { name: 'whitespace-only values in every other field are left out', row: { ...em('only.email2'), ...blanks(' \t\u00a0 ') }, user: emOut('only.email2') },
  { name: 'an invalid email is left out, the phone is kept', row: { email: 'not-an-email', phone: '+44 7700 900001' }, user: { ph: '447700900001' } },
  { name: 'an email without a dot in the domain is left out', row: { email: 'user@localhost', madid: MADID }, user: { mobile_ad_id: raw(MADID.toLowerCase()) } },

  // Phones (activation phone_country_code "44").
  { name: 'phone +44 (0)20 …: the (0) is dropped', row: { phone: '+44 (0)20 7946 0000' }, user: { ph: '442079460000' } },
  { name: 'phone 0044 …: the 00 is dropped', row: { phone: '0044 20 7946 0001' }, user: { ph: '442079460001' } },
  { name: 'phone 020 …: national, the country code is prepended', row: { phone: '020 7946 0002' }, user: { ph: '442079460002' } },
  { name: 'phone (+44) 20-7946-0003: + inside brackets is international', row: { phone: '(+44) 20-7946-0003' }, user: { ph: '442079460003' } },
  { name: 'phone +1 (415) 555-0132: another country stays as written', row: { phone: '+1 (415) 555-0132' }, user: { ph: '14155550132' } },
  { name: 'phone +33 6 12 34 56 78', row: { phone: '+33 6 12 34 56 78' }, user: { ph: '33612345678' } },
  { name: 'phone 07700 900004: national mobile', row: { phone: '07700 900004' }, user: { ph: '447700900004' } },
  { name: 'phone tel:+44-7700-900005', row: { phone: 'tel:+44-7700-900005' }, user: { ph: '447700900005' } },
  { name: 'phone with an extension: the extension is cut off', row: { phone: '+44 7700 900006 ext. 12' }, user: { ph: '447700900006' } },
  { name: 'phone +44.7700.900007 with dots', row: { phone: '+44.7700.900007' }, user: { ph: '447700900007' } },
  { name: 'phone 12: too short, left out', row: { ...em('short.phone'), phone: '12' }, user: emOut('short.phone') },
  { name: 'phone of 16 digits: too long, left out', row: { ...em('long.phone'), phone: '+1234567890123456' }, user: emOut('long.phone') },
  { name: 'phone Excel wrote as 4.4770E+11 has lost digits: left out', row: { ...em('excel.phone'), phone: '4.4770E+11' }, user: emOut('excel.phone') },

  // Names, cities, states: Unicode letters stay.
  { name: "names José O'Brien", row: { ...em('n1'), first_name: 'José', last_name: "O'Brien" }, user: { ...emOut('n1'), fn: 'josé', ln: 'obrien' } },
  { name: 'name written decomposed (e + combining accent) hashes like the composed one', row: { ...em('n2'), first_name: 'Jose\u0301', last_name: 'ZOË' }, user: { ...emOut('n2'), fn: 'josé', ln: 'zoë' } },
  { name: 'names Anne-Marie van der Berg', row: { ...em('n3'), first_name: 'Anne-Marie', last_name: 'van der Berg' }, user: { ...emOut('n3'), fn: 'annemarie', ln: 'vanderberg' } },
  { name: 'Cyrillic names', row: { ...em('n4'), first_name: 'Дмитрий', last_name: 'ИВАНОВ' }, user: { ...emOut('n4'), fn: 'дмитрий', ln: 'иванов' } },
  { name: 'CJK and Greek names', row: { ...em('n5'), first_name: '小明', last_name: 'Σοφία' }, user: { ...emOut('n5'), fn: '小明', ln: 'σοφία' } },
  { name: 'a name without letters is left out', row: { ...em('n6'), first_name: '123', last_name: ' - ' }, user: emOut('n6') },
  { name: 'city São Paulo, state SP', row: { ...em('c1'), city: 'São Paulo', state: 'SP' }, user: { ...emOut('c1'), ct: 'sãopaulo', st: 'sp' } },
  { name: "city St. John's, state n.y.", row: { ...em('c2'), city: "St. John's", state: 'n.y.' }, user: { ...emOut('c2'), ct: 'stjohns', st: 'ny' } },
  { name: 'state California → ca (US state names are read)', row: { ...em('c3'), city: 'Montréal', state: 'California' }, user: { ...emOut('c3'), ct: 'montréal', st: 'ca' } },
  { name: 'state Bavaria (a name capi-sync does not know) is left out', row: { ...em('c4'), state: 'Bavaria' }, user: emOut('c4') },

  // Postal codes and countries.
  { name: 'US ZIP+4 → 5 digits', row: { ...em('z1'), zip: '10001-2345', country: 'US' }, user: { ...emOut('z1'), zp: '10001', country: 'us' } },
  { name: 'US ZIP+4 without a dash', row: { ...em('z2'), zip: '100012345', country: ' us ' }, user: { ...emOut('z2'), zp: '10001', country: 'us' } },
  { name: 'UK SW1A 1AA → outward code + sector', row: { ...em('z3'), zip: 'SW1A 1AA', country: 'GB' }, user: { ...emOut('z3'), zp: 'sw1a1', country: 'gb' } },
  { name: 'UK m1 1ae, country UK → gb', row: { ...em('z4'), zip: 'm1 1ae', country: 'UK' }, user: { ...emOut('z4'), zp: 'm11', country: 'gb' } },
  { name: 'Canadian H2X 1Y4 kept whole', row: { ...em('z5'), zip: 'H2X 1Y4', country: 'CA' }, user: { ...emOut('z5'), zp: 'h2x1y4', country: 'ca' } },
  { name: 'Dutch 1234 AB, country USA (alpha-3) → us', row: { ...em('z6'), zip: '1234 AB', country: 'USA' }, user: { ...emOut('z6'), zp: '1234ab', country: 'us' } },
  { name: 'country United States → us', row: { ...em('z7'), zip: '75002', country: 'United States' }, user: { ...emOut('z7'), zp: '75002', country: 'us' } },
  { name: 'country Narnia (unknown) is left out, not hashed as free text', row: { ...em('z8'), country: 'Narnia' }, user: emOut('z8') },
  { name: 'phone +44 020 …: the trunk 0 after the country code is dropped', row: { phone: '+44 020 7946 0010' }, user: { ph: '442079460010' } },
  { name: 'phone +39 06 …: an Italian 0 belongs to the number', row: { phone: '+39 06 1234 5678' }, user: { ph: '390612345678' } },
  { name: 'phone +0044 …: zeros before the country code are dropped', row: { phone: '+0044 20 7946 0011' }, user: { ph: '442079460011' } },

  // Gender, external_id.
  { name: 'gender Male, external id trimmed and lower-cased', row: { ...em('g1'), gender: 'Male', external_id: ' CUST-001 ' }, user: { ...emOut('g1'), ge: 'm', external_id: 'cust-001' } },
  { name: 'gender F', row: { ...em('g2'), gender: 'F' }, user: { ...emOut('g2'), ge: 'f' } },
  { name: 'gender FEMALE', row: { ...em('g3'), gender: 'FEMALE' }, user: { ...emOut('g3'), ge: 'f' } },
  { name: 'gender unknown is left out', row: { ...em('g4'), gender: 'unknown' }, user: emOut('g4') },

  // Sent as they are.
  { name: 'madid lower-cased, not hashed', row: { madid: MADID }, user: { mobile_ad_id: raw(MADID.toLowerCase()) } },
  { name: 'the all-zero madid (tracking refused) identifies no one', row: { madid: '00000000-0000-0000-0000-000000000000' }, reason: 'no_user_identifier' },
  { name: 'IP address and user agent together identify', row: { ip: ' 203.0.113.7 ', ua: 'Mozilla/5.0 (iPhone)' }, user: { client_ip_address: raw('203.0.113.7'), client_user_agent: raw('Mozilla/5.0 (iPhone)') } },
  { name: 'an IP address alone does not', row: { ip: '203.0.113.8' }, reason: 'no_user_identifier' },
  { name: 'a user agent alone does not', row: { ua: 'Mozilla/5.0' }, reason: 'no_user_identifier' },
  { name: 'click id and cookie sent as they are', row: { ...em('k1'), click_id: 'ScCid-ABC', cookie1: 'Cookie-XYZ' }, user: { ...emOut('k1'), sc_click_id: raw('ScCid-ABC'), sc_cookie1: raw('Cookie-XYZ') } },
  { name: 'nothing usable left after normalisation', row: { email: 'x', phone: '12', first_name: 'Ann', zip: '10001' }, reason: 'no_user_identifier' },

  // custom_data extras.
  { name: 'content_ids from "a, b" and num_items 3', row: { ...em('x1'), content_ids: ' sku-1 ,  sku-2 ', num_items: '3' }, user: emOut('x1'), custom: { content_ids: ['sku-1', 'sku-2'], num_items: 3 } },
  { name: 'content_ids from a JSON array, num_items 2.0', row: { ...em('x2'), content_ids: '["a", "b"]', num_items: '2.0' }, user: emOut('x2'), custom: { content_ids: ['a', 'b'], num_items: 2 } },
  { name: 'content_ids from {x,y}; num_items -1 left out', row: { ...em('x3'), content_ids: '{x,y}', num_items: '-1' }, user: emOut('x3'), custom: { content_ids: ['x', 'y'] } },
  { name: 'one content id 42; num_items 1.5 is not a count: left out', row: { ...em('x4'), content_ids: '42', num_items: '1.5' }, user: emOut('x4'), custom: { content_ids: ['42'] } },
  { name: 'num_items 99999999999 (huge) left out; content_ids " , " is none', row: { ...em('x5'), content_ids: ' , ', num_items: '99999999999' }, user: emOut('x5') },

  // event_name: a column, any case.
  { name: 'event_name purchase (lower case) with value and currency', row: { ...em('e1'), event_name: 'purchase', value: ' 12.50 ', currency: ' usd ' }, eventName: 'PURCHASE', user: emOut('e1'), custom: { value: 12.5, currency: 'USD' } },
  { name: 'event_name " Add_Cart "', row: { ...em('e2'), event_name: ' Add_Cart ' }, eventName: 'ADD_CART', user: emOut('e2') },
  { name: 'event_name page-view', row: { ...em('e3'), event_name: 'page-view' }, eventName: 'PAGE_VIEW', user: emOut('e3') },
  { name: 'event_name Sign Up', row: { ...em('e3b'), event_name: 'Sign Up' }, eventName: 'SIGN_UP', user: emOut('e3b') },
  { name: 'event_name custom_event_1', row: { ...em('e4'), event_name: 'custom_event_1' }, eventName: 'CUSTOM_EVENT_1', user: emOut('e4') },
  { name: 'event_name BUY is not Snap’s', row: { ...em('e5'), event_name: 'BUY' }, reason: 'invalid_event_name' },
  { name: 'event_name empty', row: { ...em('e6'), event_name: '' }, reason: 'invalid_event_name' },
  { name: 'event_name whitespace only', row: { ...em('e7'), event_name: '   ' }, reason: 'invalid_event_name' },

  // event_id falls back to order_id.
  { name: 'empty event_id falls back to order_id', row: { ...em('i1'), event_id: '', order_id: 'ORD-7' }, eventId: 'ORD-7', user: emOut('i1'), custom: { order_id: 'ORD-7' } },
  { name: 'whitespace event_id falls back to the trimmed order_id', row: { ...em('i2'), event_id: '  ', order_id: ' ORD-8 ' }, eventId: 'ORD-8', user: emOut('i2'), custom: { order_id: 'ORD-8' } },
  { name: 'event_id wins over order_id, which is still sent', row: { ...em('i3'), event_id: 'E-1', order_id: 'ORD-9' }, eventId: 'E-1', user: emOut('i3'), custom: { order_id: 'ORD-9' } },

  // event_time written every way, and out of range.
  { name: 'epoch seconds as text', row: { ...em('t1'), event_time: String(RECENT) }, user: emOut('t1') },
  { name: 'epoch milliseconds as text', row: { ...em('t2'), event_time: String(RECENT * 1000 + 999) }, user: emOut('t2') },
  { name: 'epoch seconds with a fraction', row: { ...em('t3'), event_time: `${RECENT}.75` }, user: emOut('t3') },
  { name: 'ISO 8601 with +05:30', row: { ...em('t4'), event_time: withOffset(RECENT, 330) }, user: emOut('t4') },
  { name: 'ISO 8601 with -08:00', row: { ...em('t5'), event_time: withOffset(RECENT, -480) }, user: emOut('t5') },
  { name: 'a time without offset is UTC', row: { ...em('t6'), event_time: plain(RECENT) }, user: emOut('t6') },
  { name: 'a time followed by UTC', row: { ...em('t7'), event_time: `${plain(RECENT)} UTC` }, user: emOut('t7') },
  { name: 'a date alone is midnight UTC', row: { ...em('t8'), event_time: isoZ(today).slice(0, 10) }, eventTime: today, user: emOut('t8') },
  { name: '6 days 23 hours old: inside the 7-day window', row: { ...em('t9'), event_time: isoZ(NOW - 7 * DAY + HOUR) }, eventTime: NOW - 7 * DAY + HOUR, user: emOut('t9') },
  { name: '7 days 1 hour old', row: { ...em('t10'), event_time: isoZ(NOW - 7 * DAY - HOUR) }, eventTime: NOW - 7 * DAY - HOUR, reason: 'event_too_old' },
  { name: '1900-01-01 is far too old', row: { ...em('t11'), event_time: '1900-01-01' }, eventTime: Date.UTC(1900, 0, 1) / 1000, reason: 'event_too_old' },
  { name: '0001-01-01 (an "unknown" placeholder) is too old', row: { ...em('t12'), event_time: '0001-01-01 00:00:00' }, eventTime: new Date('0001-01-01T00:00:00Z').getTime() / 1000, reason: 'event_too_old' },
  { name: 'one hour ahead is in the future', row: { ...em('t13'), event_time: isoZ(NOW + HOUR) }, eventTime: NOW + HOUR, reason: 'event_in_future' },
  { name: '9999-12-31 23:59:59 is in the future', row: { ...em('t14'), event_time: '9999-12-31 23:59:59' }, eventTime: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000, reason: 'event_in_future' },
  { name: 'event_time "yesterday" cannot be read', row: { ...em('t15'), event_time: 'yesterday' }, eventTime: null, reason: 'missing_event_time' },
  { name: 'event_time 2025-02-29 does not exist', row: { ...em('t16'), event_time: '2025-02-29 10:00:00' }, eventTime: null, reason: 'missing_event_time' },
  { name: 'event_time in microseconds (huge) is no time', row: { ...em('t17'), event_time: String(RECENT * 1_000_000) }, eventTime: null, reason: 'missing_event_time' },
  { name: 'event_time infinity', row: { ...em('t18'), event_time: 'infinity' }, eventTime: null, reason: 'missing_event_time' },
  // Postgres cannot cast a date followed directly by an offset: this row must not break the view.
  { name: 'event_time date with an offset but no time', row: { ...em('t18b'), event_time: '2026-11-28-08:00' }, eventTime: null, reason: 'missing_event_time' },
  { name: 'event_time empty', row: { ...em('t19'), event_time: '' }, eventTime: null, reason: 'missing_event_time' },

  // PURCHASE: value and currency, and which reason comes first.
  { name: 'PURCHASE value 1e3 EUR', row: { ...em('p1'), event_name: 'PURCHASE', value: '1e3', currency: 'EUR' }, eventName: 'PURCHASE', user: emOut('p1'), custom: { value: 1000, currency: 'EUR' } },
  { name: 'PURCHASE value 0 is allowed', row: { ...em('p2'), event_name: 'PURCHASE', value: '0', currency: 'gbp' }, eventName: 'PURCHASE', user: emOut('p2'), custom: { value: 0, currency: 'GBP' } },
  { name: 'PURCHASE without value', row: { ...em('p3'), event_name: 'PURCHASE', value: '', currency: 'EUR' }, reason: 'missing_value' },
  { name: 'PURCHASE value abc', row: { ...em('p4'), event_name: 'PURCHASE', value: 'abc', currency: 'EUR' }, reason: 'missing_value' },
  { name: 'PURCHASE value -5', row: { ...em('p5'), event_name: 'PURCHASE', value: '-5', currency: 'EUR' }, reason: 'missing_value' },
  { name: 'PURCHASE value 12345678901234567890 (huge)', row: { ...em('p6'), event_name: 'PURCHASE', value: '12345678901234567890', currency: 'EUR' }, reason: 'missing_value' },
  { name: 'PURCHASE without currency', row: { ...em('p7'), event_name: 'PURCHASE', value: '10', currency: '' }, reason: 'missing_currency' },
  { name: 'PURCHASE with a whitespace currency', row: { ...em('p8'), event_name: 'PURCHASE', value: '10', currency: '   ' }, reason: 'missing_currency' },
  { name: 'PURCHASE currency dollars', row: { ...em('p9'), event_name: 'PURCHASE', value: '10', currency: 'dollars' }, reason: 'invalid_currency' },
  { name: 'PURCHASE currency US$', row: { ...em('p10'), event_name: 'PURCHASE', value: '10', currency: 'US$' }, reason: 'invalid_currency' },
  { name: 'no value and a bad currency: missing_value comes first', row: { ...em('p11'), event_name: 'PURCHASE', value: '', currency: 'dollars' }, reason: 'missing_value' },
  { name: 'in the future and no value: event_in_future comes first', row: { ...em('p12'), event_name: 'PURCHASE', event_time: isoZ(NOW + DAY) }, eventTime: NOW + DAY, reason: 'event_in_future' },
  { name: 'no time and a bad name: missing_event_time comes first', row: { ...em('p13'), event_name: 'BUY', event_time: '' }, eventTime: null, reason: 'missing_event_time' },
  { name: 'a bad name and too old: invalid_event_name comes first', row: { ...em('p14'), event_name: 'BUY', event_time: '2001-01-01' }, eventTime: Date.UTC(2001, 0, 1) / 1000, reason: 'invalid_event_name' },
  { name: 'too old and no identifier: event_too_old comes first', row: { event_time: '2001-01-01' }, eventTime: Date.UTC(2001, 0, 1) / 1000, reason: 'event_too_old' },
  { name: 'a valid PURCHASE without identifier', row: { email: ' ', event_name: 'PURCHASE', value: '5', currency: 'EUR' }, reason: 'no_user_identifier' },
  { name: 'not a PURCHASE: a bad value is left out, the currency kept', row: { ...em('p15'), event_name: 'ADD_CART', value: 'abc', currency: 'eur' }, eventName: 'ADD_CART', user: emOut('p15'), custom: { currency: 'EUR' } },
];
