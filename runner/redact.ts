/**
 * The one redaction for everything the runner prints or stores: log lines, error messages, `check`
 * output, capi_sync_runs.error and capi_sync_delivery_errors.message. Two kinds of secret are hidden:
 * credentials inside any URL (user:password@, access_token=, ?password=, ...), and the secret values the
 * config holds (the Snap token, warehouse passwords and keys, webhook URLs), wherever they appear.
 */

const MASK = '***';

/** Secret values from the config, hidden wherever they appear; filled by `addSecrets` as the config loads. */
const known = new Set<string>();

/**
 * Shorter values are not hidden on their own (replacing every "abc" would garble messages); inside a
 * URL they still are, by position.
 */
const SHORTEST_SECRET = 4;

/** Registers values to hide from now on: tokens, passwords, private keys, webhook URLs. */
export function addSecrets(...values: (string | undefined | null)[]): void {
  for (const value of values) {
    if (!value || value.length < SHORTEST_SECRET) continue;
    known.add(value);
    // A value can reach a message percent-encoded (in a URL) as well as in clear.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) known.add(encoded);
  }
}

// A URL as it appears in free text: a scheme, ://, and everything up to white space or a quote, but for
// the punctuation of the sentence around it ("(postgres://…)," ends before the parenthesis).
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`).,;:]/gi;
// Query parameters whose value is a credential: access_token, password, api_key, sig, client_secret, ...
const SECRET_PARAM = /([?&;][^=&#;]*(?:token|passw|pwd|secret|key|sig|auth|credential)[^=&#;]*=)[^&#;]*/gi;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/** `text` with every configured secret, every credential in a URL and every PEM private key replaced by ***. */
export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains another is replaced whole.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.replaceAll(secret, MASK);
  return out.replace(PRIVATE_KEY, MASK).replace(URL_IN_TEXT, redactUrl);
}

/**
 * One URL with its credentials replaced by ***: the password of `user:password@host` (the user name
 * stays, to say which account was used), and the value of every query parameter named like a credential.
 */
export function redactUrl(url: string): string {
  const userinfo = findUserinfo(url);
  const out = userinfo?.password === undefined ? url : `${url.slice(0, userinfo.passwordAt)}${MASK}${url.slice(userinfo.end)}`;
  return out.replace(SECRET_PARAM, `$1${MASK}`);
}

/** The passwords of a URL (its `user:password@`, a `password=` parameter), as written and decoded, for `addSecrets`. */
export function urlPassword(url: string): string[] {
  const found = [findUserinfo(url)?.password, ...[...url.matchAll(/[?&]password=([^&#]*)/gi)].map((m) => m[1])];
  return found.filter((p): p is string => p !== undefined).flatMap((password) => {
    try {
      return [password, decodeURIComponent(password)];
    } catch {
      return [password]; // not percent-encoded text
    }
  });
}

/**
 * Where a URL's `user:password@` is. A password may hold a raw `@` (`postgres://u:p@ss@host/db`), so
 * the credentials end at the last `@` before the query string: a URL with an `@` in its path is then
 * over-redacted rather than leaked.
 */
function findUserinfo(url: string): { password?: string; passwordAt: number; end: number } | undefined {
  const scheme = url.indexOf('://');
  if (scheme < 0) return undefined;
  const authority = scheme + 3;
  const query = url.slice(authority).search(/[?#]/);
  const end = url.lastIndexOf('@', query < 0 ? url.length - 1 : authority + query - 1);
  if (end < authority) return undefined;
  const colon = url.indexOf(':', authority);
  if (colon < 0 || colon > end) return { passwordAt: end, end };
  return { password: url.slice(colon + 1, end), passwordAt: colon + 1, end };
}
