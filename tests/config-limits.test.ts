import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../runner/config/load.ts';
import { ConfigError } from '../runner/errors.ts';
import { redact } from '../runner/redact.ts';

// Every key's default, the values at its limits, and what a value past them is told: the path, and
// what to write instead.

const config = (warehouse: string, snapchat = '{ endpoint: sandbox }', activation = '', top = '') => `warehouse: ${warehouse}
snapchat: ${snapchat}
${top}
activations:
  orders: { pixel_id: px, event_name: PURCHASE, source: shop.orders, mapping: { event_time: t, email: e }, cursor: c${activation} }
`;

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const SNAPCHAT_DEFAULTS = {
  endpoint: 'sandbox', batch_size: 2000, max_in_flight: 4, request_timeout_seconds: 30,
  retry: { max_retries: 6, min_timeout: 500, max_timeout: 30_000, timeout_factor: 2 },
};

describe('defaults', () => {
  it('pglite: the data directory beside the config, schema capi_sync, a save after every accepted batch', () => {
    const c = parseConfig(config('{ type: pglite }'), {});
    expect(c.warehouse).toEqual({ type: 'pglite', path: '.capi-sync/warehouse', schema: 'capi_sync', checkpoint_seconds: 0, held_back_summary: true, ledger_retention_days: 90 });
    expect(c.snapchat).toEqual(SNAPCHAT_DEFAULTS);
    expect(c.activations.orders).toMatchObject({ max_event_age_days: 7, lookback: 3600 });
  });

  it('postgres: two read connections, 300 s per call', () => {
    expect(parseConfig(config('{ type: postgres, url: "postgres://h/db" }'), {}).warehouse).toEqual({
      type: 'postgres', url: 'postgres://h/db', schema: 'capi_sync', checkpoint_seconds: 0, read_connections: 2, held_back_summary: true, ledger_retention_days: 90, timeout_seconds: 300,
    });
  });

  it('bigquery: a save every 60 s, a 600 s lease', () => {
    expect(parseConfig(config('{ type: bigquery, project: p }'), {}).warehouse).toEqual({
      type: 'bigquery', project: 'p', dataset: 'capi_sync', held_back_summary: true, ledger_retention_days: 90, checkpoint_seconds: 60, lease_seconds: 600, timeout_seconds: 300,
    });
  });

  it('the real Snap when no endpoint is given', () => {
    expect(parseConfig(config('{ type: pglite }', '{ access_token: "${T}" }'), { T: 'tok-123456' }).snapchat.endpoint).toBe('https://tr.snapchat.com');
  });
});

describe('limits', () => {
  // [key, the config, what it is told]
  const TOO_FAR: [string, string, string[]][] = [
    ['batch_size 0', config('{ type: pglite }', '{ endpoint: sandbox, batch_size: 0 }'), ['snapchat.batch_size: Too small: expected number to be >=1']],
    ['batch_size 2001', config('{ type: pglite }', '{ endpoint: sandbox, batch_size: 2001 }'), ['snapchat.batch_size: Too big: expected number to be <=2000']],
    ['batch_size 1.5', config('{ type: pglite }', '{ endpoint: sandbox, batch_size: 1.5 }'), ['snapchat.batch_size: Invalid input: expected int, received number']],
    ['max_in_flight 0', config('{ type: pglite }', '{ endpoint: sandbox, max_in_flight: 0 }'), ['snapchat.max_in_flight: Too small: expected number to be >=1']],
    ['max_in_flight 65', config('{ type: pglite }', '{ endpoint: sandbox, max_in_flight: 65 }'), ['snapchat.max_in_flight: Too big: expected number to be <=64']],
    ['request_timeout_seconds 0', config('{ type: pglite }', '{ endpoint: sandbox, request_timeout_seconds: 0 }'), ['snapchat.request_timeout_seconds: Too small: expected number to be >0']],
    ['retry.max_retries 51', config('{ type: pglite }', '{ endpoint: sandbox, retry: { max_retries: 51 } }'), ['snapchat.retry.max_retries: Too big: expected number to be <=50']],
    ['retry below its limits', config('{ type: pglite }', '{ endpoint: sandbox, retry: { max_retries: -1, min_timeout: -1, max_timeout: -1, timeout_factor: 0.5 } }'), [
      'snapchat.retry.max_retries: Too small: expected number to be >=0', 'snapchat.retry.min_timeout: Too small: expected number to be >=0',
      'snapchat.retry.max_timeout: Too small: expected number to be >=0', 'snapchat.retry.timeout_factor: Too small: expected number to be >=1',
    ]],
    ['retry.min_timeout 0.5 ms', config('{ type: pglite }', '{ endpoint: sandbox, retry: { min_timeout: 0.5, max_timeout: 1.5 } }'), [
      'snapchat.retry.min_timeout: Invalid input: expected int, received number', 'snapchat.retry.max_timeout: Invalid input: expected int, received number',
    ]],
    ['an empty access_token', config('{ type: pglite }', '{ endpoint: sandbox, access_token: "" }'), ['snapchat.access_token: Too small: expected string to have >=1 characters']],
    ['endpoint that is no URL', config('{ type: pglite }', '{ endpoint: "not a url" }'), ['snapchat.endpoint: use "sandbox" or a base URL such as https://tr.snapchat.com']],
    ['endpoint over ftp', config('{ type: pglite }', '{ endpoint: "ftp://127.0.0.1" }'), ['snapchat.endpoint: use https:// (plain http:// only for 127.0.0.1 or localhost)']],
    ['endpoint over http elsewhere', config('{ type: pglite }', '{ endpoint: "http://10.0.0.1" }'), ['snapchat.endpoint: use https:// (plain http:// only for 127.0.0.1 or localhost)']],
    ['ledger_retention_days 1', config('{ type: pglite, ledger_retention_days: 1 }', undefined, ', max_event_age_days: 1'), [
      'warehouse.ledger_retention_days: Too small: expected number to be >=2',
      'warehouse.ledger_retention_days: must be more than the largest max_event_age_days (1): the ledger keeps sent events from being sent again for as long as they can be sent',
    ]],
    ['ledger_retention_days 36501', config('{ type: pglite, ledger_retention_days: 36501 }'), ['warehouse.ledger_retention_days: Too big: expected number to be <=36500']],
    ['ledger_retention_days 1.5', config('{ type: pglite, ledger_retention_days: 10.5 }'), ['warehouse.ledger_retention_days: Invalid input: expected int, received number']],
    ['checkpoint_seconds -1', config('{ type: pglite, checkpoint_seconds: -1 }'), ['warehouse.checkpoint_seconds: Too small: expected number to be >=0']],
    ['postgres checkpoint_seconds -1', config('{ type: postgres, url: "postgres://h/db", checkpoint_seconds: -1 }'), ['warehouse.checkpoint_seconds: Too small: expected number to be >=0']],
    ['bigquery checkpoint_seconds -1', config('{ type: bigquery, project: p, checkpoint_seconds: -1 }'), ['warehouse.checkpoint_seconds: Too small: expected number to be >=0']],
    ['schema starting with a digit', config('{ type: pglite, schema: "1x" }'), ['warehouse.schema: use letters, digits and underscores, starting with a letter']],
    ['dataset with a dash', config('{ type: bigquery, project: p, dataset: "a-b" }'), ['warehouse.dataset: use letters, digits and underscores, starting with a letter']],
    ['read_connections 0', config('{ type: postgres, url: "postgres://h/db", read_connections: 0 }'), ['warehouse.read_connections: Too small: expected number to be >=1']],
    ['read_connections 17', config('{ type: postgres, url: "postgres://h/db", read_connections: 17 }'), ['warehouse.read_connections: Too big: expected number to be <=16']],
    ['read_connections 1.5', config('{ type: postgres, url: "postgres://h/db", read_connections: 1.5 }'), ['warehouse.read_connections: Invalid input: expected int, received number']],
    ['timeout_seconds 0', config('{ type: postgres, url: "postgres://h/db", timeout_seconds: 0 }'), ['warehouse.timeout_seconds: Too small: expected number to be >0']],
    ['an empty url', config('{ type: postgres, url: "" }'), [
      'warehouse.url: Too small: expected string to have >=1 characters',
      'warehouse.url: not a Postgres URL such as postgres://host:5432/database (user:password@ before the host), usually given as ${DATABASE_URL}',
    ]],
    ['lease_seconds 59', config('{ type: bigquery, project: p, lease_seconds: 59 }'), ['warehouse.lease_seconds: Too small: expected number to be >=60']],
    ['lease_seconds 86401', config('{ type: bigquery, project: p, lease_seconds: 86401 }'), ['warehouse.lease_seconds: Too big: expected number to be <=86400']],
    ['lease_seconds 90.5', config('{ type: bigquery, project: p, lease_seconds: 90.5 }'), ['warehouse.lease_seconds: Invalid input: expected int, received number']],
    ['api_endpoint elsewhere', config('{ type: bigquery, project: p, api_endpoint: "http://10.0.0.1:1" }'), ['warehouse.api_endpoint: only http://127.0.0.1:PORT or http://localhost:PORT (a local stand-in for tests)']],
    ['api_endpoint over https', config('{ type: bigquery, project: p, api_endpoint: "https://127.0.0.1:1" }'), ['warehouse.api_endpoint: only http://127.0.0.1:PORT or http://localhost:PORT (a local stand-in for tests)']],
    ['api_endpoint that is no URL', config('{ type: bigquery, project: p, api_endpoint: "nonsense" }'), ['warehouse.api_endpoint: only http://127.0.0.1:PORT or http://localhost:PORT (a local stand-in for tests)']],
    ['empty bigquery keys', config('{ type: bigquery, project: "", location: "", key_file: "" }'), [
      'warehouse.project: Too small: expected string to have >=1 characters', 'warehouse.location: Too small: expected string to have >=1 characters',
      'warehouse.key_file: Too small: expected string to have >=1 characters',
    ]],
    ['empty snowflake keys', config('{ type: snowflake, account: "", user: "", role: "", warehouse: "", database: "", password: "" }'), [
      'warehouse.account: Too small: expected string to have >=1 characters', 'warehouse.user: Too small: expected string to have >=1 characters',
      'warehouse.role: Too small: expected string to have >=1 characters', 'warehouse.warehouse: Too small: expected string to have >=1 characters',
      'warehouse.database: Too small: expected string to have >=1 characters', 'warehouse.password: Too small: expected string to have >=1 characters',
    ]],
    ['empty snowflake key keys', config('{ type: snowflake, account: a, user: u, database: d, private_key: "", private_key_path: "", private_key_passphrase: "" }'), [
      'warehouse.private_key: Too small: expected string to have >=1 characters', 'warehouse.private_key_path: Too small: expected string to have >=1 characters',
      'warehouse.private_key_passphrase: Too small: expected string to have >=1 characters',
      'warehouse.password: set exactly one of password (${SNOWFLAKE_PASSWORD}), private_key (${SNOWFLAKE_PRIVATE_KEY}) or private_key_path',
    ]],
    ['max_event_age_days 0', config('{ type: pglite }', undefined, ', max_event_age_days: 0'), ['activations.orders.max_event_age_days: Too small: expected number to be >=1']],
    ['max_event_age_days 38', config('{ type: pglite }', undefined, ', max_event_age_days: 38'), ['activations.orders.max_event_age_days: Snap refuses events older than 37 days']],
    ['a lookback that is no duration', config('{ type: pglite }', undefined, ', lookback: 5x'), ['activations.orders.lookback: "5x" is not a duration; write a whole number with s, m, h or d, such as 90s, 15m, 4h or 1d']],
    ['phone_country_code 0', config('{ type: pglite }', undefined, ', phone_country_code: 0'), ['activations.orders.phone_country_code: digits only, without + or 00, for example "44"']],
    ['phone_country_code 12345', config('{ type: pglite }', undefined, ', phone_country_code: 12345'), ['activations.orders.phone_country_code: digits only, without + or 00, for example "44"']],
    ['an empty test_event_code', config('{ type: pglite }', undefined, ', test_event_code: ""'), ['activations.orders.test_event_code: Too small: expected string to have >=1 characters']],
    ['action_source TV', config('{ type: pglite }', undefined, ', action_source: TV'), ['activations.orders.action_source: Invalid option: expected one of "OFFLINE"|"WEB"|"MOBILE_APP"']],
    ['an activation name with a dash', config('{ type: pglite }').replace('  orders:', '  my-orders:'), ['activations.my-orders: use letters, digits and underscores, starting with a letter']],
    ['a mapped column named ""', config('{ type: pglite }').replace('email: e }', 'email: "" }'), ['activations.orders.mapping.email: Too small: expected string to have >=1 characters']],
    ['a mapped column with NUL', config('{ type: pglite }').replace('email: e }', 'email: "e\\0" }'), ['activations.orders.mapping.email: a column name cannot contain NUL']],
    ['a cursor with NUL', config('{ type: pglite }').replace('cursor: c', 'cursor: "c\\0"'), ['activations.orders.cursor: a column name cannot contain NUL']],
    ['no activation', 'warehouse: { type: pglite }\nsnapchat: { endpoint: sandbox }\nactivations: {}\n', ['activations: add at least one activation']],
    ['an empty file', '', ['warehouse: required (object); add it to the config', 'snapchat: required (object); add it to the config', 'activations: required (record); add it to the config']],
    ['a list instead of the settings', '[1, 2]', ['(top level): Invalid input: expected object, received array']],
  ];
  it.each(TOO_FAR)('%s', (_, text, told) => {
    expect(problems(text)).toEqual(told);
  });

  // [key, the config, where the value is, the value accepted at the limit]
  const AT_LIMIT: [string, string, (c: ReturnType<typeof parseConfig>) => unknown, unknown][] = [
    ['batch_size 1', config('{ type: pglite }', '{ endpoint: sandbox, batch_size: 1 }'), (c) => c.snapchat.batch_size, 1],
    ['max_in_flight 1 and 64', config('{ type: pglite }', '{ endpoint: sandbox, max_in_flight: 64 }'), (c) => c.snapchat.max_in_flight, 64],
    ['retry at its limits', config('{ type: pglite }', '{ endpoint: sandbox, retry: { max_retries: 50, min_timeout: 0, max_timeout: 0, timeout_factor: 1 } }'), (c) => c.snapchat.retry, { max_retries: 50, min_timeout: 0, max_timeout: 0, timeout_factor: 1 }],
    ['retry.max_retries 0', config('{ type: pglite }', '{ endpoint: sandbox, retry: { max_retries: 0 } }'), (c) => c.snapchat.retry.max_retries, 0],
    ['ledger_retention_days 2 over max_event_age_days 1', config('{ type: pglite, ledger_retention_days: 2 }', undefined, ', max_event_age_days: 1'), (c) => c.warehouse.ledger_retention_days, 2],
    ['ledger_retention_days 36500', config('{ type: pglite, ledger_retention_days: 36500 }'), (c) => c.warehouse.ledger_retention_days, 36_500],
    ['read_connections 1', config('{ type: postgres, url: "postgres://h/db", read_connections: 1 }'), (c) => 'read_connections' in c.warehouse && c.warehouse.read_connections, 1],
    ['read_connections 16', config('{ type: postgres, url: "postgresql://h/db", read_connections: 16 }'), (c) => 'read_connections' in c.warehouse && c.warehouse.read_connections, 16],
    ['a socket: URL', config('{ type: postgres, url: "socket:/var/run/postgresql?db=x" }'), (c) => 'url' in c.warehouse && c.warehouse.url, 'socket:/var/run/postgresql?db=x'],
    ['lease_seconds 60', config('{ type: bigquery, project: p, lease_seconds: 60 }'), (c) => 'lease_seconds' in c.warehouse && c.warehouse.lease_seconds, 60],
    ['lease_seconds 86400', config('{ type: bigquery, project: p, lease_seconds: 86400 }'), (c) => 'lease_seconds' in c.warehouse && c.warehouse.lease_seconds, 86_400],
    ['checkpoint_seconds 0 on bigquery', config('{ type: bigquery, project: p, checkpoint_seconds: 0 }'), (c) => c.warehouse.checkpoint_seconds, 0],
    ['api_endpoint on localhost', config('{ type: bigquery, project: p, api_endpoint: "http://localhost:9050" }'), (c) => 'api_endpoint' in c.warehouse && c.warehouse.api_endpoint, 'http://localhost:9050'],
    ['api_endpoint on [::1]', config('{ type: bigquery, project: p, api_endpoint: "http://[::1]:9050" }'), (c) => 'api_endpoint' in c.warehouse && c.warehouse.api_endpoint, 'http://[::1]:9050'],
    ['max_event_age_days 37', config('{ type: pglite }', undefined, ', max_event_age_days: 37'), (c) => c.activations.orders.max_event_age_days, 37],
    ['phone_country_code 1 and 9999', config('{ type: pglite }', undefined, ', phone_country_code: "9999"'), (c) => c.activations.orders.phone_country_code, '9999'],
    ['lookback 0', config('{ type: pglite }', undefined, ', lookback: 0'), (c) => c.activations.orders.lookback, 0],
    ['lookback 2d', config('{ type: pglite }', undefined, ', lookback: 2d'), (c) => c.activations.orders.lookback, 172_800],
    ['endpoint on [::1]', config('{ type: pglite }', '{ endpoint: "http://[::1]:8787", access_token: "${T}" }'), (c) => c.snapchat.endpoint, 'http://[::1]:8787'],
    ['endpoint on localhost', config('{ type: pglite }', '{ endpoint: "http://localhost:8787", access_token: "${T}" }'), (c) => c.snapchat.endpoint, 'http://localhost:8787'],
    ['https anywhere', config('{ type: pglite }', '{ endpoint: "https://snap.example.com", access_token: "${T}" }'), (c) => c.snapchat.endpoint, 'https://snap.example.com'],
    ['action_source WEB', config('{ type: pglite }', undefined, ', action_source: WEB'), (c) => c.activations.orders.action_source, 'WEB'],
  ];
  it.each(AT_LIMIT)('%s is accepted', (_, text, at, value) => {
    expect(at(parseConfig(text, { T: 'tok-123456' }))).toEqual(value);
  });
});

describe('an activation\'s fields', () => {
  const act = (body: string) => `warehouse: { type: pglite }\nsnapchat: { endpoint: sandbox }\nactivations:\n  orders: { pixel_id: px, cursor: c, ${body} }\n`;
  it.each([
    ['neither a model nor a source', 'event_name: PURCHASE', ['activations.orders: set either model: (a SQL file) or source: (a table or view) with mapping:']],
    ['a model and a source', 'model: m.sql, source: s.t, mapping: { event_time: t }, event_name: PURCHASE', ['activations.orders: set either model: (a SQL file) or source: (a table or view) with mapping:']],
    ['a mapping with a model', 'model: m.sql, mapping: { event_time: t }, event_name: PURCHASE', ['activations.orders.mapping: mapping: goes with source:; a model selects the field names itself']],
    ['a source without a mapping', 'source: s.t, event_name: PURCHASE', ['activations.orders.mapping: required with source: (field name → column), for example {event_time: created_at, email: customer_email}']],
    ['no event name at all', 'source: s.t, mapping: { event_time: t, email: e }', ['activations.orders.event_name: required: a Snap event name such as PURCHASE, or map event_name to a column']],
    ['an event name both set and mapped', 'source: s.t, event_name: PURCHASE, mapping: { event_time: t, event_name: n }', ['activations.orders.event_name: set the constant or map event_name to a column, not both']],
    ['an action source both set and mapped', 'source: s.t, event_name: PURCHASE, action_source: WEB, mapping: { event_time: t, action_source: a, event_source_url: u }', ['activations.orders.action_source: set the constant or map action_source to a column, not both']],
    ['no event_time in the mapping', 'source: s.t, event_name: PURCHASE, mapping: { email: e }', ['activations.orders.mapping.event_time: required: the column holding when the conversion happened']],
  ])('%s', (_, body, told) => {
    expect(problems(act(body))).toEqual(told);
  });

  it('takes a model alone, aliases of field names, and a Snap event name written loosely', () => {
    expect(problems(act('model: m.sql'))).toEqual([]);
    expect(problems(act('source: s.t, event_name: add-cart, mapping: { event_time: t, zip: z, mobile_ad_id: m }'))).toEqual([]);
    expect(problems(act('source: s.t, event_name: " page view ", mapping: { event_time: t, email: e }'))).toEqual([]);
    expect(problems(act('source: s.t, mapping: { event_time: t, event_name: n }'))).toEqual([]);
  });

  it('loads a mapping naming a retired field, warning on every command that it is left out', () => {
    const c = parseConfig(act('source: s.t, event_name: PURCHASE, mapping: { event_time: t, email: e, date_of_birth: dob }'), {});
    expect(c.warnings).toEqual([expect.stringMatching(/^activations\.orders\.mapping\.date_of_birth: left out of every event: Snap's published v3 schema/)]);
  });

  it('a variable that is not set is reported once, not again by the key\'s own rule', () => {
    expect(problems(config('{ type: postgres, url: "${DATABASE_URL}" }'), {})).toEqual(['warehouse.url: environment variable DATABASE_URL is not set (set it, or write ${DATABASE_URL:-default})']);
  });
});

describe('secrets', () => {
  it('hides every secret the config holds from whatever is printed after it loads', () => {
    const env = {
      TOKEN: 'snap-token-0001', PG: 'postgres://capi:pg-pass-0002@db.example.com/wh', SF_PASS: 'sf-pass-0003',
      HOOK: 'https://hooks.example.com/services/T0/B0/hook-0004', HOOK2: 'https://hooks.example.com/services/T0/B0/hook-0005',
    };
    parseConfig(`warehouse: { type: postgres, url: "\${PG}" }
snapchat: { access_token: "\${TOKEN}" }
defaults: { warnings: { webhook: "\${HOOK}" } }
activations:
  orders: { pixel_id: px, event_name: PURCHASE, source: s.t, mapping: { event_time: t, email: e }, cursor: c, warnings: { webhook: "\${HOOK2}" } }
`, env);
    parseConfig(config('{ type: snowflake, account: a, user: u, database: d, password: "${SF_PASS}" }'), env);
    for (const secret of ['snap-token-0001', 'pg-pass-0002', 'sf-pass-0003', env.HOOK, env.HOOK2]) {
      expect(redact(`failed with ${secret} in it`)).toBe('failed with *** in it');
    }
  });

  it('hides a Snowflake private key and its passphrase', () => {
    const env = { KEY: 'MIIEvQ-not-a-real-key-0006', PHRASE: 'phrase-0007' };
    parseConfig(config('{ type: snowflake, account: a, user: u, database: d, private_key: "${KEY}", private_key_passphrase: "${PHRASE}" }'), env);
    expect(redact('key MIIEvQ-not-a-real-key-0006, passphrase phrase-0007')).toBe('key ***, passphrase ***');
  });
});

describe('values from the environment', () => {
  it('an empty variable counts as unset: its default is taken, or it is named', () => {
    const text = config('{ type: postgres, url: "${PG:-postgres://h/db}" }', '{ endpoint: sandbox, batch_size: "${BATCH}" }');
    expect(problems(text, { PG: '', BATCH: '' })).toEqual(['snapchat.batch_size: environment variable BATCH is not set (set it, or write ${BATCH:-default})']);
    expect(parseConfig(text, { PG: '', BATCH: '10' }).warehouse).toMatchObject({ url: 'postgres://h/db' });
  });

  it('reads numbers as YAML does (1e3, +7, .5) and booleans in any case; anything else keeps the key\'s own rule', () => {
    const text = config('{ type: pglite, held_back_summary: "${SUMMARY}" }', '{ endpoint: sandbox, batch_size: "${BATCH}", request_timeout_seconds: "${TIMEOUT}", retry: { timeout_factor: "${FACTOR}" } }');
    const c = parseConfig(text, { SUMMARY: 'FALSE', BATCH: '1e3', TIMEOUT: '.5', FACTOR: '+7' });
    expect(c.warehouse).toMatchObject({ held_back_summary: false });
    expect(c.snapchat).toMatchObject({ batch_size: 1000, request_timeout_seconds: 0.5, retry: { timeout_factor: 7 } });
    expect(parseConfig(text, { SUMMARY: 'True', BATCH: '5', TIMEOUT: '1', FACTOR: '2' }).warehouse).toMatchObject({ held_back_summary: true });
    expect(problems(text, { SUMMARY: 'yes', BATCH: '1,000', TIMEOUT: '1.', FACTOR: '2x' })).toEqual([
      'warehouse.held_back_summary: Invalid input: expected boolean, received string',
      'snapchat.batch_size: Invalid input: expected number, received string',
      'snapchat.retry.timeout_factor: Invalid input: expected number, received string',
    ]);
  });

  it('a number written in the file is not read again as text', () => {
    expect(problems(config('{ type: pglite }', '{ endpoint: sandbox, batch_size: "500" }'))).toEqual(['snapchat.batch_size: Invalid input: expected number, received string']);
  });

  it('a __proto__ key anywhere is refused with its path', () => {
    expect(problems(config('{ type: pglite, __proto__: { x: 1 } }'))).toEqual(['warehouse.__proto__: a name JavaScript reserves; choose another']);
  });

  it('a file that cannot be read names it and the fix', async () => {
    await expect(loadConfig('/nonexistent/activations.yml', {})).rejects.toThrow('/nonexistent/activations.yml: cannot read the config file; pass --config FILE or create activations.yml');
  });
});
