import { describe, expect, it } from 'vitest';
import { parseConfig } from '../runner/config/load.ts';
import { ConfigError } from '../runner/errors.ts';

const valid = `
warehouse:
  type: postgres
  url: \${DATABASE_URL}
snapchat:
  access_token: \${SNAP_CAPI_TOKEN}
activations:
  orders:
    pixel_id: px-1
    event_name: PURCHASE
    source: shop.orders
    mapping: { event_time: created_at, email: customer_email, zip: postcode }
`;
const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1/db', SNAP_CAPI_TOKEN: 'secret-token-123' };

function problems(text: string, vars: NodeJS.ProcessEnv = env): string[] {
  try {
    parseConfig(text, vars);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('activations.yml', () => {
  it('fills defaults and substitutes ${ENV} values', () => {
    const config = parseConfig(valid, env);
    expect(config.warehouse).toMatchObject({ type: 'postgres', url: env.DATABASE_URL, schema: 'capi_sync' });
    expect(config.snapchat).toMatchObject({ endpoint: 'https://tr.snapchat.com', access_token: env.SNAP_CAPI_TOKEN, batch_size: 2000 });
    expect(config.activations.orders).toMatchObject({ max_event_age_days: 7 });
    expect(config.activations.orders.action_source).toBeUndefined(); // OFFLINE, unless a column is mapped
  });

  it('names a missing environment variable and where it is used', () => {
    expect(problems(valid, { DATABASE_URL: 'postgres://x' })).toEqual([
      'snapchat.access_token: environment variable SNAP_CAPI_TOKEN is not set (set it, or write ${SNAP_CAPI_TOKEN:-default})',
    ]);
  });

  it('takes ${VAR:-default} when the variable is unset', () => {
    const config = parseConfig(valid.replace('${SNAP_CAPI_TOKEN}', '${SNAP_CAPI_TOKEN:-fallback}'), { DATABASE_URL: 'postgres://x' });
    expect(config.snapchat.access_token).toBe('fallback');
  });

  it('rejects unknown keys with their path', () => {
    const text = valid.replace('    pixel_id: px-1', '    pixel_id: px-1\n    pixle: 2').replace('snapchat:', 'snapchat:\n  endpont: sandbox');
    expect(problems(text)).toEqual(expect.arrayContaining([
      'snapchat.endpont: unknown key; remove it or check its spelling',
      'activations.orders.pixle: unknown key; remove it or check its spelling',
    ]));
  });

  it('lists every problem at once, each as path: message', () => {
    const text = valid
      .replace('event_name: PURCHASE', 'event_name: PURCHASE\n    max_event_age_days: 60')
      .replace('email: customer_email', 'email: customer_email, emial: x');
    const found = problems(text);
    expect(found).toContain('activations.orders.max_event_age_days: Snap refuses events older than 37 days');
    expect(found.find((p) => p.startsWith('activations.orders.mapping.emial: not a known field; known fields:'))).toContain('email');
  });

  it('requires a mapping with event_time for a source, and model xor source', () => {
    expect(problems(valid.replace('event_time: created_at, ', ''))).toContain('activations.orders.mapping.event_time: required: the column holding when the conversion happened');
    expect(problems(valid.replace('source: shop.orders', 'source: shop.orders\n    model: models/x.sql'))).toContain(
      'activations.orders: set either model: (a SQL file) or source: (a table or view) with mapping:',
    );
  });

  it('warns about an access token written in the file', () => {
    const config = parseConfig(valid.replace('${SNAP_CAPI_TOKEN}', 'abc123'), env);
    expect(config.warnings[0]).toMatch(/^snapchat\.access_token: the token is written in the config file/);
    expect(config.warnings.join('\n')).not.toContain('abc123');
  });

  it('warns when no cursor is set, since late rows with older event_time would be skipped', () => {
    expect(parseConfig(valid, env).warnings).toEqual([expect.stringMatching(/^activations\.orders\.cursor: not set/)]);
    expect(parseConfig(valid.replace('source:', 'cursor: loaded_at\n    source:'), env).warnings).toEqual([]);
  });

  it('allows plain http only to this machine', () => {
    const withEndpoint = (url: string) => valid.replace('snapchat:', `snapchat:\n  endpoint: ${url}`);
    expect(parseConfig(withEndpoint('http://127.0.0.1:8787'), env).snapchat.endpoint).toBe('http://127.0.0.1:8787');
    expect(parseConfig(withEndpoint('sandbox'), env).snapchat.endpoint).toBe('sandbox');
    expect(problems(withEndpoint('http://snap.example.com'))).toEqual(['snapchat.endpoint: use https:// (plain http:// only for 127.0.0.1 or localhost)']);
  });

  it('reads phone_country_code written as a number or a string', () => {
    const config = parseConfig(valid.replace('event_name: PURCHASE', 'event_name: PURCHASE\n    phone_country_code: 44'), env);
    expect(config.activations.orders.phone_country_code).toBe('44');
    expect(problems(valid.replace('event_name: PURCHASE', 'event_name: PURCHASE\n    phone_country_code: "+44"'))[0]).toMatch(/^activations\.orders\.phone_country_code: digits only/);
  });

  it('accepts a Snap event name in any case and refuses an unknown one', () => {
    expect(parseConfig(valid.replace('event_name: PURCHASE', 'event_name: add cart'), env).activations.orders.event_name).toBe('add cart');
    expect(problems(valid.replace('event_name: PURCHASE', 'event_name: BUY'))[0]).toMatch(/^activations\.orders\.event_name: not a Snap event name; use one of PURCHASE, ADD_CART/);
  });

  it('names a missing required key', () => {
    expect(problems(valid.replace('    pixel_id: px-1\n', ''))).toEqual(['activations.orders.pixel_id: required (string); add it to the config']);
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(problems('warehouse: [', env)[0]).toMatch(/^config: /);
  });

  it('never echoes the token in an error', () => {
    const text = valid.replace('snapchat:', 'snapchat:\n  batch_size: 5000');
    expect(problems(text).join('\n')).not.toContain(env.SNAP_CAPI_TOKEN);
  });
});

describe('activations.yml: hostile and careless input (issue 11 item 8)', () => {
  const withActivation = (line: string) => valid.replace('    pixel_id: px-1\n', `    pixel_id: px-1\n${line}\n`);

  it('refuses a pixel_id with spaces, slashes or quotes: it would be posted to another URL', () => {
    for (const pixel of ['" abc "', 'abc def', 'abc/../x', 'abc?x=1']) {
      expect(problems(valid.replace('pixel_id: px-1', `pixel_id: ${pixel}`))).toEqual([
        'activations.orders.pixel_id: letters, digits, - and _ only, as Events Manager shows the Pixel ID (check for spaces or quotes)',
      ]);
    }
    expect(parseConfig(valid.replace('pixel_id: px-1', 'pixel_id: 4f9c1d2e-aa10-4b7e-9c55-0123456789ab'), env).activations.orders.pixel_id).toBe('4f9c1d2e-aa10-4b7e-9c55-0123456789ab');
  });

  it('refuses a warehouse url that is not a Postgres URL, without echoing it', () => {
    expect(problems(valid, { ...env, DATABASE_URL: 'notaurl' })).toEqual([
      'warehouse.url: not a Postgres URL such as postgres://host:5432/database (user:password@ before the host), usually given as ${DATABASE_URL}',
    ]);
    expect(problems(valid, { ...env, DATABASE_URL: 'mysql://u:hunter22@h/db' }).join('\n')).not.toContain('hunter22');
    // A raw @ in the password is still a URL.
    expect(parseConfig(valid, { ...env, DATABASE_URL: 'postgres://u:p@ss@127.0.0.1/db' }).warehouse).toMatchObject({ type: 'postgres' });
  });

  it('refuses an unclosed ${VAR instead of using it as text', () => {
    expect(problems(valid.replace('${DATABASE_URL}', '${DATABASE_URL'))).toEqual([
      'warehouse.url: a ${ that is not closed or not a variable name; write ${NAME} or ${NAME:-default} (NAME: letters, digits and _)',
    ]);
    expect(problems(valid.replace('pixel_id: px-1', 'pixel_id: ${1PIXEL}'))[0]).toMatch(/^activations\.orders\.pixel_id: a \$\{ that is not closed/);
  });

  it('reads ${ENV} for number and boolean keys as the same value written in the file', () => {
    const text = valid
      .replace('snapchat:', 'snapchat:\n  batch_size: ${BATCH}\n  request_timeout_seconds: ${TIMEOUT:-7.5}\n  retry: { max_retries: "${RETRIES}" }')
      .replace('  url: ${DATABASE_URL}', '  url: ${DATABASE_URL}\n  held_back_summary: ${SUMMARY}\n  timeout_seconds: ${WH_TIMEOUT}')
      .replace('    pixel_id: px-1', '    pixel_id: ${PIXEL}\n    max_event_age_days: ${AGE}');
    const config = parseConfig(text, { ...env, BATCH: '500', RETRIES: ' 3 ', SUMMARY: 'false', WH_TIMEOUT: '12', PIXEL: '123456', AGE: '14' });
    expect(config.snapchat).toMatchObject({ batch_size: 500, request_timeout_seconds: 7.5, retry: { max_retries: 3 } });
    expect(config.warehouse).toMatchObject({ held_back_summary: false, timeout_seconds: 12 });
    // A string key stays a string, even when its value looks like a number.
    expect(config.activations.orders).toMatchObject({ pixel_id: '123456', max_event_age_days: 14 });
    // A value that is not a number is still refused, with the key's own rule.
    expect(problems(text, { ...env, BATCH: 'lots', RETRIES: '3', SUMMARY: 'false', WH_TIMEOUT: '12', PIXEL: 'p', AGE: '14' })).toEqual([
      'snapchat.batch_size: Invalid input: expected number, received string',
    ]);
    expect(problems(text, { ...env, BATCH: '5000', RETRIES: '3', SUMMARY: 'false', WH_TIMEOUT: '12', PIXEL: 'p', AGE: '14' })[0]).toMatch(/^snapchat\.batch_size: Too big/);
  });

  it('refuses an activation named __proto__ or constructor instead of silently dropping it', () => {
    const act = valid.slice(valid.indexOf('  orders:\n'));
    const two = `${valid}${act.replace('  orders:', '  __proto__:')}`;
    expect(problems(two)).toEqual(['activations.__proto__: a name JavaScript reserves; choose another']);
    expect(problems(valid.replace('  orders:', '  constructor:'))).toEqual(['activations.constructor: a name JavaScript reserves; choose another']);
  });

  it('refuses a YAML alias bomb as a config error', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    const found = problems(`${bomb}\n${valid}`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^config: Excessive alias count .*; write the values out instead of nesting aliases/);
  });

  it('refuses snapchat.batch_size over Snap\'s 2,000 events per request, and unknown keys under snapchat.retry', () => {
    expect(problems(valid.replace('snapchat:', 'snapchat:\n  batch_size: 2001'))).toEqual(['snapchat.batch_size: Too big: expected number to be <=2000']);
    expect(parseConfig(valid.replace('snapchat:', 'snapchat:\n  batch_size: 2000'), env).snapchat.batch_size).toBe(2000);
    expect(problems(valid.replace('snapchat:', 'snapchat:\n  retry: { max_retries: 2, max_retry: 9 }'))).toEqual(['snapchat.retry.max_retry: unknown key; remove it or check its spelling']);
  });

  it('gives Postgres the cloud warehouses\' timeout_seconds (default 300) and refuses it on PGlite, where nothing can be timed out', () => {
    expect(parseConfig(valid, env).warehouse).toMatchObject({ timeout_seconds: 300 });
    expect(parseConfig(valid.replace('  url: ${DATABASE_URL}', '  url: ${DATABASE_URL}\n  timeout_seconds: 5'), env).warehouse).toMatchObject({ timeout_seconds: 5 });
    expect(problems(valid.replace('  type: postgres\n  url: ${DATABASE_URL}', '  type: pglite\n  timeout_seconds: 5'))).toEqual(['warehouse.timeout_seconds: unknown key; remove it or check its spelling']);
  });
});
