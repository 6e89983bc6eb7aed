/**
 * The one table of normalisation rules: a value as a mapping column holds it → the string capi-sync
 * hashes (or sends) for it, null when it is left out. tests/fields/normalisation.test.ts runs every row
 * through the real macros (as_text, then the field's normalise macro) on PGlite and Postgres, and checks
 * the BigQuery and Snowflake renderings of the same rules; change a rule here and every dialect is
 * checked against it. `source` names where a vector comes from: snap-docs (developers.snap.com
 * Conversions API pages), snap-sdk (Snapchat/business-sdk-go capi_hash_test.go and business-sdk-python
 * test/test_util.py), segment (segmentio/action-destinations snap-conversions-api v3), meta (Meta's
 * Conversions API customer-information parameters and its business SDK normalizers), issue (capi-sync
 * issues 12 and 16), or capi-sync's own rules.
 */
export type CaseField =
  | 'email' | 'phone' | 'first_name' | 'last_name' | 'city' | 'state' | 'postal_code' | 'country' | 'gender' | 'external_id'
  | 'madid' | 'event_source_url' | 'action_source' | 'extinfo' | 'advertiser_tracking_enabled' | 'url_schemes';

export interface NormalisationCase {
  field: CaseField;
  input: string;
  /** The normalised string (before hashing), or null: left out. */
  expected: string | null;
  /** The activation's phone_country_code. */
  country_code?: string;
  source: string;
  /** Snowflake has no Unicode normalisation (NFC): this case gives another answer there, as documented. */
  snowflakeNoNfc?: boolean;
}

const c = (field: CaseField, source: string, rows: [string, string | null, string?][]): NormalisationCase[] =>
  rows.map(([input, expected, country_code]) => ({ field, input, expected, source, ...(country_code ? { country_code } : {}) }));

const EXTINFO = ['a2', 'com.some.app', '771', 'Version 7.7.1', '10.1.1', 'OnePlus6', 'en_US', 'GMT-1', 'TMobile', '1920', '1080', '2.00', '2', '128', '8', 'USA/New York'];

export const NORMALISATION_CASES: NormalisationCase[] = [
  ...c('email', 'snap-docs', [['Person@Example.com', 'person@example.com'], ['  Test123@GMAIL.com ', 'test123@gmail.com']]),
  ...c('email', 'snap-sdk', [['    test123@example.com  ', 'test123@example.com']]),
  ...c('email', 'meta', [[' nick@test.com ', 'nick@test.com'], ['John_Smith@gmail.com', 'john_smith@gmail.com']]),
  ...c('email', 'capi-sync', [
    ['not-an-email', null], ['user@localhost', null], ['a b@example.com', null], ['ab@exa\u2009mple.com', null],
    ['ab@exa\u3000mple.com', null], ['ab@exa\u00a0mple.com', null], ['\u2009x@example.com\u3000', 'x@example.com'], ['x@@example.com', null],
  ]),

  ...c('phone', 'snap-docs', [['+44 844 412 4653', '448444124653']]),
  // Snap's SDKs default to +1 for a number written without a country code: phone_country_code "1".
  ...c('phone', 'snap-sdk', [
    ['+44-447-234-2344', '444472342344', '1'], ['0044-447-234-2344', '444472342344', '1'], ['+44-0447-234-2344', '444472342344', '1'],
    ['+44 0447 234 2344', '444472342344', '1'], ['447-234-2344', '14472342344', '1'], ['4472342344', '14472342344', '1'],
    ['+1-447-234-2344', '14472342344', '1'], ['(447)-234-2344', '14472342344', '1'], ['447 234-2344', '14472342344', '1'],
    ['+1-(447) 234 2344', '14472342344', '1'],
  ]),
  ...c('phone', 'meta', [[' 510 555 0011', '15105550011', '1'], ['(650)555-1212', '16505551212', '1'], ['+1 (616) 954-7888', '16169547888']]),
  ...c('phone', 'issue', [
    ['+44 020 7946 0000', '442079460000'], ['+44 (0)20 7946 0000', '442079460000'], ['+39 06 1234 5678', '390612345678'],
    ['+39 333 123 4567', '393331234567'], ['06 1234 5678', '390612345678', '39'], ['+00 44 20 7946 0001', '442079460001'],
    ['+0044 20 7946 0002', '442079460002'], ['+001 415 555 0132', '14155550132'], ['00 1 415 555 0133', '14155550133'],
  ]),
  ...c('phone', 'capi-sync', [
    ['020 7946 0003', '442079460003', '44'], ['07700 900004', '447700900004', '44'], ['tel:+44-7700-900005', '447700900005'],
    ['+44 7700 900006 ext. 12', '447700900006'], ['+44 7700 900008 #12', '447700900008'], ['+44 7700 900009 x 3', '447700900009'], ['+44.7700.900007', '447700900007'], ['(+44) 20-7946-0008', '442079460008'],
    ['+33 (0)6 12 34 56 78', '33612345678'], ['+33 06 12 34 56 78', '33612345678'], ['+225 07 01 02 03 04', '2250701020304'],
    ['+378 0549 123456', '3780549123456'], ['1-415-555-0134', '14155550134', '1'], ['12', null], ['+1234567890123456', null],
    ['4.4770E+11', null], ['0 2079 460009', '442079460009', '44'],
  ]),

  ...c('first_name', 'snap-docs', [['John', 'john'], ['Raphaël', 'raphaël']]),
  ...c('first_name', 'meta', [['Mary', 'mary'], ['정', '정'], ['Valéry', 'valéry'], [' John', 'john'], ['Doe ', 'doe']]),
  ...c('first_name', 'capi-sync', [
    ["O'Brien", 'obrien'], ['Anne-Marie', 'annemarie'], ['Дмитрий', 'дмитрий'], ['小明', '小明'], ['Σοφία', 'σοφία'],
    ['हिन्दी', 'हिन्दी'], ['สมศักดิ์', 'สมศักดิ์'], ['مُحَمَّد', 'مُحَمَّد'], ['Anna\u2009Maria', 'annamaria'], ['Anna\u3000Maria', 'annamaria'],
    ['Zoë ❤️', 'zoë'], ['Ann©®™€', 'ann'], ['Jo\u0001\u007f\u200bhn', 'john'], ['Ann٣2', 'ann'], ['123', null], [' - ', null],
  ]),
  { field: 'first_name', input: 'Jose\u0301', expected: 'josé', source: 'capi-sync', snowflakeNoNfc: true },
  ...c('city', 'snap-docs', [['New York', 'newyork']]),
  ...c('city', 'meta', [['San Francisco', 'sanfrancisco']]),
  ...c('last_name', 'capi-sync', [['Müller-Lüdenscheidt', 'müllerlüdenscheidt'], ["O'Brien", 'obrien'], ['van der Berg', 'vanderberg'], ['3rd', 'rd'], ['42', null]]),
  ...c('city', 'capi-sync', [['São Paulo', 'sãopaulo'], ["St. John's", 'stjohns'], ['Montréal', 'montréal'], ['75002', null]]),

  ...c('state', 'segment', [['California', 'ca'], ['New York', 'ny'], ['newyork', 'ny'], ['North Carolina', 'nc']]),
  ...c('state', 'meta', [['CA ', 'ca']]),
  ...c('state', 'capi-sync', [
    ['n.y.', 'ny'], ['SP', 'sp'], ['Québec', 'qc'], ['Quebec', 'qc'], ['British Columbia', 'bc'], ['District of Columbia', 'dc'],
    ['Bavaria', null], ['C A', 'ca'], ['Narnia', null], ['1', null],
  ]),

  ...c('postal_code', 'meta', [['12345 9876', '12345']]),
  ...c('postal_code', 'capi-sync', [
    ['10001-2345', '10001'], ['100012345', '10001'], ['SW1A 1AA', 'sw1a1'], ['m1 1ae', 'm11'], ['H2X 1Y4', 'h2x1y4'],
    ['1234 AB', '1234ab'], ['10001\u2009', '10001'], ['SW1A\u3000\u00a01AA', 'sw1a1'], ['H2X\u20091Y4', 'h2x1y4'], ['- -', null],
  ]),

  ...c('country', 'segment', [['United States', 'us'], ['Bolivia', 'bo'], ['Germany', 'de'], ['unitedkingdom', 'gb']]),
  ...c('country', 'meta', [['U S ', 'us'], ['US', 'us']]),
  ...c('country', 'issue', [['USA', 'us'], ['United States', 'us'], ['Bolivia', 'bo']]),
  ...c('country', 'capi-sync', [
    ['us', 'us'], ['UK', 'gb'], ['GB', 'gb'], ['GBR', 'gb'], ['United Kingdom', 'gb'], ['England', 'gb'], ["Côte d'Ivoire", 'ci'],
    ["Cote d'Ivoire", 'ci'], ['Türkiye', 'tr'], ['Turkey', 'tr'], ['South Korea', 'kr'], ['Czech Republic', 'cz'],
    ['United States of America', 'us'], ['U.S.A.', 'us'], ['Congo', null], ['Narnia', null], ['XX', null], ['Deutschland', null],
  ]),

  ...c('gender', 'segment', [['male', 'm'], ['female', 'f']]),
  ...c('gender', 'meta', [[' m', 'm']]),
  ...c('gender', 'capi-sync', [['Male', 'm'], ['F', 'f'], ['FEMALE', 'f'], ['unknown', null]]),
  ...c('external_id', 'meta', [[' ABC12345 ', 'abc12345']]),
  ...c('external_id', 'capi-sync', [[' CUST-001 ', 'cust-001'], ['\u3000\u00a0', null]]),
  ...c('madid', 'snap-docs', [['AEBE52E7-03EE-455A-B3C4-E57283966239', 'aebe52e7-03ee-455a-b3c4-e57283966239']]),
  ...c('madid', 'capi-sync', [['00000000-0000-0000-0000-000000000000', null]]),

  ...c('event_source_url', 'capi-sync', [
    ['https://shop.example.com/checkout?x=1', 'https://shop.example.com/checkout?x=1'], ['HTTP://EXAMPLE.COM', 'HTTP://EXAMPLE.COM'],
    ['shop.example.com/checkout', null], ['ftp://example.com', null], ['https://', null],
  ]),
  ...c('action_source', 'capi-sync', [['OFFLINE', 'OFFLINE'], ['web', 'WEB'], ['mobile app', 'MOBILE_APP'], ['Mobile-App', 'MOBILE_APP'], ['store', null]]),
  ...c('extinfo', 'snap-docs', [[JSON.stringify(EXTINFO), JSON.stringify(EXTINFO)]]),
  ...c('extinfo', 'capi-sync', [
    [EXTINFO.join(', '), JSON.stringify(EXTINFO)], [['i2', ...Array(15).fill('')].join(','), JSON.stringify(['i2', ...Array(15).fill('')])],
    [EXTINFO.slice(0, 15).join(','), null], [['x2', ...EXTINFO.slice(1)].join(','), null],
  ]),
  ...c('advertiser_tracking_enabled', 'capi-sync', [['true', 'true'], ['1', 'true'], ['No', 'false'], ['0', 'false'], ['maybe', null]]),
  ...c('url_schemes', 'capi-sync', [[' fb123, myapp ', '["fb123","myapp"]'], ['["a", "b"]', '["a","b"]'], ['{x,,y}', '["x","y"]'], [' , ', null]]),
];

/**
 * The event and custom_data fields the views read with a macro of their own (runner/render/views.ts), as
 * docs/fields.md describes them: a value as written → what is sent (a number for value and num_items),
 * null when it is left out (a PURCHASE without a readable value or currency is then held back).
 */
export const VALUE_MACROS = { value: 'to_number', currency: 'normalise_currency', num_items: 'to_integer', content_ids: 'to_string_array', event_name: 'normalise_event_name' } as const;

export interface ValueCase {
  field: keyof typeof VALUE_MACROS;
  input: string;
  expected: string | number | null;
}

const v = (field: ValueCase['field'], rows: [string, string | number | null][]): ValueCase[] => rows.map(([input, expected]) => ({ field, input, expected }));

export const VALUE_CASES: ValueCase[] = [
  ...v('value', [
    ['12.50', 12.5], [' 7 ', 7], ['1e3', 1000], ['+5', 5], ['.5', 0.5], ['1.', 1], ['0', 0], ['999999999999999', 999_999_999_999_999],
    ['1e15', null], ['2e15', null], ['12,50', null], ['$5', null], ['abc', null], ['-5', null], ['1e100', null], [`1${'0'.repeat(100)}`, null],
  ]),
  ...v('currency', [['usd', 'USD'], [' Eur ', 'EUR'], ['US', null], ['dollars', null], ['US$', null]]),
  ...v('num_items', [['3', 3], ['2.0', 2], ['+4', 4], ['0', 0], ['999999999', 999_999_999], ['1000000000', null], ['-1', null], ['1.5', null], ['x', null]]),
  ...v('content_ids', [[' sku-1 ,  sku-2 ', '["sku-1","sku-2"]'], ['{x,y}', '["x","y"]'], ['["a", "b"]', '["a","b"]'], ['42', '["42"]'], [' , ', null]]),
  ...v('event_name', [['purchase', 'PURCHASE'], [' Add_Cart ', 'ADD_CART'], ['page-view', 'PAGE_VIEW'], ['Sign Up', 'SIGN_UP'], ['custom_event_1', 'CUSTOM_EVENT_1'], ['BUY', null]]),
];

