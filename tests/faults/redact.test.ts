import { describe, expect, it } from 'vitest';
import { addSecrets, redact, redactUrl, urlPassword } from '../../runner/redact.ts';

describe('redactUrl: hostile URLs', () => {
  // [what, the URL, what must be shown, the secret that must not appear]
  const table: [string, string, string, string][] = [
    ['Snap token in the query', 'https://tr.snapchat.com/v3/px/events?access_token=tok_Secret-123', 'https://tr.snapchat.com/v3/px/events?access_token=***', 'tok_Secret-123'],
    ['token after another parameter', 'https://tr.snapchat.com/v3/px/events?x=1&access_token=tok_9#frag', 'https://tr.snapchat.com/v3/px/events?x=1&access_token=***#frag', 'tok_9'],
    ['endpoint with user:password', 'http://user:pw-Secret@127.0.0.1:8787', 'http://user:***@127.0.0.1:8787', 'pw-Secret'],
    ['endpoint credentials and token', 'https://bob:hunter2@snap.example.com/v3/px/events?access_token=t0k3n', 'https://bob:***@snap.example.com/v3/px/events?access_token=***', 'hunter2'],
    ['database URL', 'postgres://capi:S3cret@db.internal:5432/warehouse', 'postgres://capi:***@db.internal:5432/warehouse', 'S3cret'],
    ['raw @ inside the password', 'postgres://capi:p@ss@word@db.internal:5432/wh', 'postgres://capi:***@db.internal:5432/wh', 'p@ss@word'],
    ['raw / inside the password', 'postgres://capi:pa/ss@db.internal/wh', 'postgres://capi:***@db.internal/wh', 'pa/ss'],
    ['percent-encoded password', 'postgresql://capi:p%40ss%2Fw@db/wh?sslmode=require', 'postgresql://capi:***@db/wh?sslmode=require', 'p%40ss%2Fw'],
    ['?password= in the query', 'postgres://db.internal/wh?user=capi&password=Qw3rty&sslmode=require', 'postgres://db.internal/wh?user=capi&password=***&sslmode=require', 'Qw3rty'],
    ['both places', 'postgres://capi:one1@db/wh?password=two2', 'postgres://capi:***@db/wh?password=***', 'two2'],
    ['an @ in the query is not the password\'s end', 'postgres://capi:pw99@db/wh?application_name=a@b', 'postgres://capi:***@db/wh?application_name=a@b', 'pw99'],
    ['api key and signature parameters', 'https://x.example/hook?api_key=K3Y&X-Amz-Signature=S1G&n=1', 'https://x.example/hook?api_key=***&X-Amz-Signature=***&n=1', 'K3Y'],
    ['empty password', 'postgres://capi:@db/wh', 'postgres://capi:***@db/wh', 'capi:@'],
  ];
  it.each(table)('%s', (_, url, shown, secret) => {
    expect(redactUrl(url)).toBe(shown);
    expect(redactUrl(url)).not.toContain(secret);
  });

  it('keeps a URL without credentials as it is', () => {
    for (const url of ['https://tr.snapchat.com', 'postgres://postgres@127.0.0.1:5432/test', 'http://127.0.0.1:8787/v3/px/events?test=1']) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('finds the password of a URL, as written and decoded, for the secrets list', () => {
    expect(urlPassword('postgres://u:p%40ss@h/db')).toEqual(['p%40ss', 'p@ss']);
    expect(urlPassword('postgres://u:p@ss@h/db')).toEqual(['p@ss', 'p@ss']);
    expect(urlPassword('postgres://u@h/db')).toEqual([]);
    expect(urlPassword('postgres://u@h/db?sslmode=require&password=a%20b')).toEqual(['a%20b', 'a b']);
  });
});

describe('redact: free text', () => {
  it('ends a URL before the punctuation of the sentence around it', () => {
    expect(redact('cannot connect (postgres://u@h:9/db?password=Secret1), check it.')).toBe('cannot connect (postgres://u@h:9/db?password=***), check it.');
  });

  it('redacts every URL inside a message, wherever it sits', () => {
    const text = 'cannot connect to Postgres (postgres://capi:S3cret@db:5432/wh): ECONNREFUSED; request to http://u:pw11@127.0.0.1:9/v3/p/events?access_token=abc failed';
    const out = redact(text);
    expect(out).toBe('cannot connect to Postgres (postgres://capi:***@db:5432/wh): ECONNREFUSED; request to http://u:***@127.0.0.1:9/v3/p/events?access_token=*** failed');
  });

  it('hides the secret values the config holds, in clear or percent-encoded, and PEM private keys', () => {
    const webhook = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';
    addSecrets('snowflake-P4ss', webhook, 'p@ss word', undefined, 'abc');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    const out = redact(`login failed with snowflake-P4ss; posting to ${webhook} failed; key ${pem}; user p%40ss%20word; the abc stays`);
    expect(out).toBe('login failed with ***; posting to *** failed; key ***; user ***; the abc stays');
  });
});
