import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { Dialect } from '../warehouse/types.ts';
import { unicodeChars, unicodeRanges } from './letters.ts';

/** The package's own macros/ folder: above this module, which runs from runner/render/ or bundled (bin.mjs). */
export const MACROS_DIR = packageFolder(dirname(fileURLToPath(import.meta.url)), 'macros');

function packageFolder(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, name)) && existsSync(join(dir, 'package.json'))) return join(dir, name);
    if (dirname(dir) === dir) throw new Error(`capi-sync's ${name}/ folder is missing above ${from}; reinstall capi-sync`);
  }
}

/** A statement ready to run: `?` placeholders and their values, in order. */
export interface Statement {
  sql: string;
  params: unknown[];
}

export interface Renderer {
  /** Renders macros/<name>/<dialect>.sql (or its parent's, or default.sql) with `context`. */
  macro(name: string, context?: Record<string, unknown>): string;
  /**
   * Renders a macro whose parameters are named: each `{{param "name"}}` becomes `?`, bound to
   * `values[name]`, so a dialect's file may use a value twice, or not at all, in any order.
   */
  statement(name: string, context: Record<string, unknown>, values: Record<string, unknown>): Statement;
  quote(...parts: string[]): string;
}

/**
 * A Handlebars environment for one dialect. In templates:
 * `{{macro "sha256_hex" expr}}` calls a macro with `value` = expr (extra arguments as hash: `code="44"`;
 * `from="default"` renders default.sql, for a dialect's file that falls back on it),
 * `{{ident schema name}}` quotes a (qualified) identifier, `{{literal text}}` writes a SQL string literal,
 * `{{param "name"}}` a parameter placeholder bound by name (see `statement`),
 * `(unicode_ranges "letters")` and `(unicode_chars "removed")` list letters.ts's characters for a macro
 * to write in its dialect's syntax.
 */
export function createRenderer(dialect: Dialect, macrosDir = MACROS_DIR): Renderer {
  const hb = Handlebars.create();
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const chain = dialect.parent ? [dialect.name, dialect.parent, 'default'] : [dialect.name, 'default'];

  // `from`: start the lookup at that dialect, for a dialect's file that falls back on the general one.
  const template = (name: string, from?: string) => {
    const key = `${name}@${from ?? ''}`;
    let compiled = cache.get(key);
    if (!compiled) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad macro name ${JSON.stringify(name)}`);
      if (from && !chain.includes(from)) throw new Error(`macro ${name}: from=${JSON.stringify(from)} is not one of ${chain.join(', ')}`);
      const lookup = from ? chain.slice(chain.indexOf(from)) : chain;
      const file = lookup.map((d) => join(macrosDir, name, `${d}.sql`)).find((f) => existsSync(f));
      if (!file) throw new Error(`macro ${name}: no ${lookup.join('.sql, ')}.sql in ${join(macrosDir, name)}`);
      compiled = hb.compile(readFileSync(file, 'utf8'), { noEscape: true });
      cache.set(key, compiled);
    }
    return compiled;
  };

  const macro = (name: string, context: Record<string, unknown> = {}) => template(name, context.from as string | undefined)(context).trim();
  const quote = (...parts: string[]) => parts.map((p) => dialect.quoteIdentifier(p)).join('.');
  // The names of the parameters met while a statement renders (rendering is synchronous).
  let named: string[] | undefined;
  const statement = (name: string, context: Record<string, unknown>, values: Record<string, unknown>): Statement => {
    named = [];
    try {
      const sql = macro(name, context);
      const params = named.map((key) => {
        if (!(key in values)) throw new Error(`macro ${name}: no value for parameter ${JSON.stringify(key)}`);
        return values[key];
      });
      return { sql, params };
    } finally {
      named = undefined;
    }
  };

  hb.registerHelper('macro', (name: string, ...rest: unknown[]) => {
    const options = rest.pop() as Handlebars.HelperOptions;
    return macro(name, { ...options.hash, value: rest[0], args: rest });
  });
  hb.registerHelper('ident', (...rest: unknown[]) => quote(...(rest.slice(0, -1) as string[])));
  hb.registerHelper('literal', (text: unknown) => `'${String(text).replaceAll("'", "''")}'`);
  hb.registerHelper('unicode_ranges', (name: 'letters' | 'removed') => unicodeRanges(name));
  hb.registerHelper('unicode_chars', (name: 'removed') => unicodeChars(name));
  hb.registerHelper('concat', (...rest: unknown[]) => rest.slice(0, -1).join(''));
  hb.registerHelper('param', (key: unknown) => {
    if (!named) throw new Error(`{{param ${JSON.stringify(key)}}} outside a statement: render it with statement()`);
    named.push(String(key));
    return '?';
  });
  return { macro, statement, quote };
}
