import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, errorMessage } from '../errors.ts';
import { addSecrets, urlPassword } from '../redact.ts';
import { RETIRED_FIELDS } from '../render/fields.ts';
import { configSchema, type Config } from './schema.ts';

/** A validated config, with the folder its relative paths start from. */
export interface LoadedConfig extends Config {
  /** Things that work but are likely mistakes, printed before each command. */
  warnings: string[];
  /** Absolute path of the config file. */
  file: string;
  /** Folder of the config file: models, seeds and the embedded warehouse are relative to it. */
  dir: string;
}

/** Aliases a config may expand; more is refused as a resource-exhaustion attack. */
const MAX_ALIASES = 100;

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export async function loadConfig(file = 'activations.yml', env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the config file; pass --config FILE or create activations.yml`);
  }
  return { ...parseConfig(text, env, file), file: path, dir: dirname(path) };
}

/** Parses and validates config text; every problem is reported at once as `path: message`. */
export function parseConfig(text: string, env: NodeJS.ProcessEnv, name = 'config'): Config & { warnings: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `${name}: ${e.message.split('\n')[0]}`));
  }
  let js: unknown;
  try {
    // yaml refuses aliases that expand past 100 nodes (a "billion laughs" file), with a ReferenceError.
    js = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new ConfigError(`${name}: ${errorMessage(error)}; write the values out instead of nesting aliases (&name / *name)`);
  }
  const problems: string[] = [];
  const fromEnv = new Set<string>();
  const unset = new Set<string>();
  const raw = substitute(js ?? {}, [], { env, problems, fromEnv, unset });
  const parsed = parseTyped(raw, fromEnv);
  // A value whose variable is unset was already reported; its schema errors would only repeat it.
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues.filter((i) => !unset.has(formatPath(i.path)))));
  if (problems.length > 0) throw new ConfigError(problems);
  const config = parsed.data!;
  if (config.snapchat.endpoint !== 'sandbox' && !config.snapchat.access_token) {
    throw new ConfigError('snapchat.access_token: required for a real endpoint; write access_token: ${SNAP_CAPI_TOKEN} and set the variable');
  }
  const warnings: string[] = [];
  if (config.snapchat.access_token && !fromEnv.has('snapchat.access_token')) {
    warnings.push('snapchat.access_token: the token is written in the config file, where it ends up in Git; write ${SNAP_CAPI_TOKEN} and set that variable');
  }
  for (const [name, a] of Object.entries(config.activations)) {
    for (const key of Object.keys(a.mapping ?? {})) {
      if (RETIRED_FIELDS[key]) warnings.push(`activations.${name}.mapping.${key}: ${RETIRED_FIELDS[key]}`);
    }
    if (!a.cursor) warnings.push(`activations.${name}.cursor: not set, so event_time is the watermark and rows that arrive later with an older event_time are skipped; set it to a column that grows as rows arrive (a load timestamp)`);
  }
  const webhooks = [['defaults.warnings.webhook', config.defaults?.warnings?.webhook], ...Object.entries(config.activations).map(([name, a]) => [`activations.${name}.warnings.webhook`, a.warnings?.webhook])];
  for (const [path, url] of webhooks) {
    if (typeof url === 'string' && !fromEnv.has(path as string)) warnings.push(`${path}: the webhook URL is written in the config file, where it ends up in Git (a Slack webhook URL carries its token); write \${ALERT_WEBHOOK_URL} and set that variable`);
  }
  addSecrets(...secretsOf(config));
  return { ...config, warnings };
}

/** Values that must never be printed or stored: hidden by `redact` from here on. */
function secretsOf(config: Config): (string | undefined)[] {
  const w = config.warehouse;
  const warehouse = w.type === 'postgres' ? urlPassword(w.url)
    : w.type === 'snowflake' ? [w.password, w.private_key, w.private_key_passphrase]
    : [];
  const webhooks = [config.defaults?.warnings?.webhook, ...Object.values(config.activations).map((a) => a.warnings?.webhook)].map((url) => (typeof url === 'string' ? url : undefined));
  return [config.snapchat.access_token, ...urlPassword(config.snapchat.endpoint), ...warehouse, ...webhooks];
}

/**
 * Validates; ${VAR} values are text, so a number or boolean key written as ${VAR} (or with ${VAR} in it)
 * is read as YAML would read the same value written in the file, then validated again.
 */
function parseTyped(raw: unknown, fromEnv: Set<string>): ReturnType<typeof configSchema.safeParse> {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed;
  let coerced = false;
  for (const issue of parsed.error.issues) {
    if (issue.code !== 'invalid_type' || !fromEnv.has(formatPath(issue.path))) continue;
    const value = valueAt(raw, issue.path);
    const typed = typeof value === 'string' ? scalar(value, issue.expected) : undefined;
    if (typed === undefined) continue;
    setValueAt(raw, issue.path, typed);
    coerced = true;
  }
  return coerced ? configSchema.safeParse(raw) : parsed;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A variable's text as the YAML scalar of the expected type: 100 → 100, true → true; else undefined. */
function scalar(text: string, expected: string): number | boolean | undefined {
  const value = text.trim();
  if (expected === 'number' && NUMBER.test(value)) return Number(value);
  if (expected === 'boolean' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);
}

function setValueAt(root: unknown, path: PropertyKey[], value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1)) as Record<PropertyKey, unknown>;
  parent[path[path.length - 1]] = value;
}

interface Substitution {
  env: NodeJS.ProcessEnv;
  problems: string[];
  /** Paths whose value came through ${...}. */
  fromEnv: Set<string>;
  /** Paths whose variable is not set. */
  unset: Set<string>;
}

function substitute(value: unknown, path: (string | number)[], s: Substitution): unknown {
  const { env, problems } = s;
  if (typeof value === 'string') {
    // A `${` that is not a whole reference would otherwise be sent on as text (a URL such as
    // "${DATABASE_URL", then "getaddrinfo ENOTFOUND"): it is a typo in the file.
    if (value.replace(ENV_REF, '').includes('${')) {
      s.unset.add(formatPath(path));
      problems.push(`${formatPath(path)}: a \${ that is not closed or not a variable name; write \${NAME} or \${NAME:-default} (NAME: letters, digits and _)`);
      return value;
    }
    return value.replace(ENV_REF, (_, name: string, fallback: string | undefined) => {
      s.fromEnv.add(formatPath(path));
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      s.unset.add(formatPath(path));
      problems.push(`${formatPath(path)}: environment variable ${name} is not set (set it, or write \${${name}:-default})`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], s));
  if (value && typeof value === 'object') {
    // Validation would drop a __proto__ key without a word (and an object would take it as its prototype).
    if (Object.hasOwn(value, '__proto__')) problems.push(`${formatPath([...path, '__proto__'])}: a name JavaScript reserves; choose another`);
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '__proto__').map(([k, v]) => [k, substitute(v, [...path, k], s)]));
  }
  return value;
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key; remove it or check its spelling`).join('\n');
    }
    if (issue.code === 'invalid_key') return issue.issues.map((inner) => `${formatPath(issue.path)}: ${inner.message}`).join('\n');
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return `${formatPath(issue.path)}: required (${issue.expected}); add it to the config`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  }).flatMap((line) => line.split('\n'));
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}
