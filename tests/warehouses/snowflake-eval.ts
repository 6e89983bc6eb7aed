/**
 * Snowflake cannot run here, so the normalise macros' Snowflake rendering is read by this small
 * evaluator instead: the expressions and the ~20 functions those macros use, each as Snowflake's
 * reference documents it (https://docs.snowflake.com/en/sql-reference/functions-all), so that every row of
 * the normalisation table runs through the Snowflake SQL too. It is a reading of the docs, not Snowflake:
 * the live test (tests/warehouses/live-snowflake.test.ts, with credentials) compares the real engine with
 * PGlite. Anything outside this subset fails loudly, so a macro using more cannot pass unread.
 *
 * - String literals take Snowflake's backslash escapes (\\, \n, \t, \uXXXX, ...).
 * - Regular expressions are POSIX extended, with [[:space:]] the ASCII white space; regexp_like matches
 *   the whole value; regexp_replace replaces every match unless told an occurrence; '\\1' is group 1.
 * - translate drops the characters of its second list that have no counterpart in the third.
 * - Lengths, substrings and translate count characters (code points), not UTF-16 units.
 */

export type SnowflakeValue = string | number | boolean | null | SnowflakeValue[];

type Node =
  | { kind: 'literal'; value: SnowflakeValue }
  | { kind: 'column'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'cast'; value: Node; type: string }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'not'; value: Node }
  | { kind: 'isnull'; value: Node; negated: boolean }
  | { kind: 'in'; value: Node; list: Node[] }
  | { kind: 'case'; subject?: Node; whens: [Node, Node][]; otherwise?: Node };

interface Token {
  type: 'string' | 'number' | 'word' | 'op';
  text: string;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', '\\': '\\', "'": "'", '"': '"' };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      for (i++; ; i++) {
        if (i >= sql.length) throw new Error('unterminated string literal');
        const c = sql[i]!;
        if (c === "'" && sql[i + 1] === "'") {
          text += "'";
          i++;
        } else if (c === "'") {
          i++;
          break;
        } else if (c === '\\') {
          const next = sql[++i]!;
          if (next === 'u') {
            text += String.fromCharCode(parseInt(sql.slice(i + 1, i + 5), 16));
            i += 4;
          } else if (next === 'x') {
            text += String.fromCharCode(parseInt(sql.slice(i + 1, i + 3), 16));
            i += 2;
          } else {
            // An unknown escape is the character itself, as Snowflake reads it.
            text += ESCAPES[next] ?? next;
          }
        } else {
          text += c;
        }
      }
      tokens.push({ type: 'string', text });
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(sql.slice(i))!;
      tokens.push({ type: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_"]/.test(ch)) {
      const m = /^("[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)/.exec(sql.slice(i))!;
      tokens.push({ type: 'word', text: m[0].startsWith('"') ? m[0].slice(1, -1) : m[0].toLowerCase() });
      i += m[0].length;
    } else {
      const op = ['::', '||', '!=', '<>', '<=', '>='].find((o) => sql.startsWith(o, i)) ?? ch;
      if (!'(),=<>::||!=<><=>=*+-/'.includes(op[0]!)) throw new Error(`unexpected character ${JSON.stringify(ch)}`);
      tokens.push({ type: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.at < this.tokens.length) throw new Error(`unexpected ${this.tokens[this.at]!.text} after the expression`);
    return node;
  }

  private peek(text?: string): Token | undefined {
    const t = this.tokens[this.at];
    return text === undefined || (t && (t.type === 'op' || t.type === 'word') && t.text === text) ? t : undefined;
  }

  private take(text?: string): Token {
    const t = this.tokens[this.at];
    if (!t || (text !== undefined && !this.peek(text))) throw new Error(`expected ${text ?? 'more'}, found ${t?.text ?? 'the end'}`);
    this.at++;
    return t;
  }

  private or(): Node {
    let left = this.and();
    while (this.peek('or')) left = { kind: 'binary', op: (this.take(), 'or'), left, right: this.and() };
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.peek('and')) left = { kind: 'binary', op: (this.take(), 'and'), left, right: this.not() };
    return left;
  }

  private not(): Node {
    if (this.peek('not')) return (this.take(), { kind: 'not', value: this.not() });
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.concat();
    const op = ['=', '!=', '<>', '<', '>', '<=', '>='].find((o) => this.peek(o));
    if (op) return (this.take(), { kind: 'binary', op: op === '<>' ? '!=' : op, left, right: this.concat() });
    if (this.peek('is')) {
      this.take();
      const negated = Boolean(this.peek('not')) && (this.take(), true);
      this.take('null');
      return { kind: 'isnull', value: left, negated };
    }
    if (this.peek('in')) {
      this.take();
      this.take('(');
      const list = [this.or()];
      while (this.peek(',')) list.push((this.take(), this.or()));
      this.take(')');
      return { kind: 'in', value: left, list };
    }
    return left;
  }

  private concat(): Node {
    let left = this.additive();
    while (this.peek('||')) left = { kind: 'binary', op: (this.take(), '||'), left, right: this.additive() };
    return left;
  }

  private additive(): Node {
    let left = this.postfix();
    for (let op = this.peek('+') ?? this.peek('-'); op; op = this.peek('+') ?? this.peek('-')) {
      this.take();
      left = { kind: 'binary', op: op.text, left, right: this.postfix() };
    }
    return left;
  }

  private postfix(): Node {
    let node = this.primary();
    while (this.peek('::')) {
      this.take();
      node = { kind: 'cast', value: node, type: this.take().text };
    }
    return node;
  }

  private primary(): Node {
    const t = this.take();
    if (t.type === 'string') return { kind: 'literal', value: t.text };
    if (t.type === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.type === 'op' && t.text === '(') {
      const inner = this.or();
      this.take(')');
      return inner;
    }
    if (t.type !== 'word') throw new Error(`unexpected ${t.text}`);
    if (t.text === 'null') return { kind: 'literal', value: null };
    if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
    if (t.text === 'case') return this.caseExpression();
    if (t.text === 'cast' && this.peek('(')) {
      this.take('(');
      const value = this.or();
      this.take('as');
      const type = this.take().text;
      this.take(')');
      return { kind: 'cast', value, type };
    }
    if (this.peek('(')) {
      this.take();
      const args: Node[] = [];
      if (!this.peek(')')) {
        args.push(this.or());
        while (this.peek(',')) args.push((this.take(), this.or()));
      }
      this.take(')');
      return { kind: 'call', name: t.text, args };
    }
    return { kind: 'column', name: t.text };
  }

  private caseExpression(): Node {
    const subject = this.peek('when') ? undefined : this.or();
    const whens: [Node, Node][] = [];
    while (this.peek('when')) {
      this.take();
      const when = this.or();
      this.take('then');
      whens.push([when, this.or()]);
    }
    const otherwise = this.peek('else') ? (this.take(), this.or()) : undefined;
    this.take('end');
    return { kind: 'case', subject, whens, otherwise };
  }
}

const SPACE = ' \\t\\n\\v\\f\\r';
const CLASSES: Record<string, string> = { space: SPACE, digit: '0-9', alpha: 'A-Za-z', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z' };

/** A POSIX extended regular expression as a JavaScript one: bracket expressions rewritten, the rest as written. */
export function posixToJs(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + pattern[++i]!;
    } else if (ch === '[') {
      let j = i + 1;
      let set = '';
      if (pattern[j] === '^') {
        set += '^';
        j++;
      }
      // A ] first in the list is a member, not the end.
      if (pattern[j] === ']') {
        set += '\\]';
        j++;
      }
      for (; pattern[j] !== ']'; j++) {
        if (j >= pattern.length) throw new Error(`unterminated bracket expression in ${pattern}`);
        const class_ = /^\[:([a-z]+):\]/.exec(pattern.slice(j));
        if (class_) {
          if (!CLASSES[class_[1]!]) throw new Error(`unknown class [:${class_[1]}:]`);
          set += CLASSES[class_[1]!];
          j += class_[0].length - 1;
        } else {
          const c = pattern[j]!;
          set += '[]\\^'.includes(c) && !(c === '^' && set === '') ? `\\${c}` : c;
        }
      }
      out += `[${set}]`;
      i = j;
    } else {
      out += ch;
    }
  }
  return out;
}

function regex(pattern: string, params: string, whole = false): RegExp {
  const flags = `gu${params.includes('i') ? 'i' : ''}${params.includes('s') ? 's' : ''}${params.includes('m') ? 'm' : ''}`;
  const source = posixToJs(pattern);
  return new RegExp(whole ? `^(?:${source})$` : source, flags);
}

const chars = (s: string) => Array.from(s);
const text = (v: SnowflakeValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Snowflake's functions, as the docs define them; null in, null out unless said. */
const FUNCTIONS: Record<string, (...args: SnowflakeValue[]) => SnowflakeValue> = {
  lower: (s) => text(s).toLowerCase(),
  upper: (s) => text(s).toUpperCase(),
  length: (s) => chars(text(s)).length,
  trim: (s, set = ' ') => {
    const drop = new Set(chars(text(set)));
    const c = chars(text(s));
    let [from, to] = [0, c.length];
    while (from < to && drop.has(c[from]!)) from++;
    while (to > from && drop.has(c[to - 1]!)) to--;
    return c.slice(from, to).join('');
  },
  ltrim: (s, set = ' ') => {
    const drop = new Set(chars(text(set)));
    const c = chars(text(s));
    let from = 0;
    while (from < c.length && drop.has(c[from]!)) from++;
    return c.slice(from).join('');
  },
  translate: (s, from, to) => {
    const [f, t] = [chars(text(from)), chars(text(to))];
    return chars(text(s)).map((c) => {
      const at = f.indexOf(c);
      return at < 0 ? c : (t[at] ?? '');
    }).join('');
  },
  replace: (s, from, to = '') => (text(from) === '' ? text(s) : text(s).replaceAll(text(from), text(to))),
  substr: (s, start, length) => {
    const c = chars(text(s));
    const from = Math.max(Number(start) - 1, 0);
    return c.slice(from, length === undefined ? undefined : from + Number(length)).join('');
  },
  collate: (s) => s,
  regexp_like: (s, pattern, params = 'c') => regex(text(pattern), text(params), true).test(text(s)),
  regexp_substr: (s, pattern, position = 1, occurrence = 1, params = 'c') => {
    const matches = [...text(s).slice(Number(position) - 1).matchAll(regex(text(pattern), text(params)))];
    return matches[Number(occurrence) - 1]?.[0] ?? null;
  },
  regexp_replace: (s, pattern, replacement = '', position = 1, occurrence = 0, params = 'c') => {
    const subject = text(s);
    const start = Number(position) - 1;
    // \\1 in the SQL literal is \1: group 1. A $ is a $.
    const by = text(replacement).replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
    let n = 0;
    const done = subject.slice(start).replace(regex(text(pattern), text(params)), (...m) => {
      n++;
      if (Number(occurrence) !== 0 && n !== Number(occurrence)) return m[0] as string;
      return by.replace(/\$\$|\$(\d)/g, (token, group: string | undefined) => (group === undefined ? '$' : ((m[Number(group)] as string | undefined) ?? '')));
    });
    return subject.slice(0, start) + done;
  },
  split: (s, separator) => text(s).split(text(separator)),
  array_size: (a) => (a as SnowflakeValue[]).length,
  get: (a, i) => (a as SnowflakeValue[])[Number(i)] ?? null,
  array_remove: (a, value) => (a as SnowflakeValue[]).filter((v) => v !== value),
  to_json: (v) => JSON.stringify(v),
};
const DOUBLE = /^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/;

/** Functions that take a null and answer something. */
const NULL_AWARE: Record<string, (...args: SnowflakeValue[]) => SnowflakeValue> = {
  nullif: (a, b) => (a !== null && b !== null && a === b ? null : a),
  iff: (condition, a, b) => (condition === true ? a : b),
  try_to_double: (s) => (s !== null && DOUBLE.test(text(s)) ? Number(text(s)) : null),
  try_parse_json: (s) => {
    if (s === null) return null;
    try {
      return JSON.parse(text(s)) as SnowflakeValue;
    } catch {
      return null;
    }
  },
};

function evaluate(node: Node, row: Record<string, SnowflakeValue>): SnowflakeValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'column': {
      if (!(node.name in row)) throw new Error(`no column ${node.name}`);
      return row[node.name]!;
    }
    case 'cast': {
      const value = evaluate(node.value, row);
      if (value === null) return null;
      if (node.type === 'varchar' || node.type === 'string' || node.type === 'text') return text(value);
      if (node.type === 'variant') return value;
      if (['integer', 'int', 'number', 'bigint'].includes(node.type)) {
        const n = Number(value);
        if (!Number.isFinite(n)) throw new Error(`cannot cast ${text(value)} to ${node.type}`);
        return Math.sign(n) * Math.round(Math.abs(n));
      }
      throw new Error(`no cast to ${node.type} here`);
    }
    case 'call': {
      const args = node.args.map((a) => evaluate(a, row));
      if (NULL_AWARE[node.name]) return NULL_AWARE[node.name]!(...args);
      const fn = FUNCTIONS[node.name];
      if (!fn) throw new Error(`the Snowflake function ${node.name} is not read here`);
      return args.some((a) => a === null) ? null : fn(...args);
    }
    case 'not': {
      const value = evaluate(node.value, row);
      return value === null ? null : !value;
    }
    case 'isnull': {
      const isNull = evaluate(node.value, row) === null;
      return node.negated ? !isNull : isNull;
    }
    case 'in': {
      const value = evaluate(node.value, row);
      if (value === null) return null;
      const list = node.list.map((n) => evaluate(n, row));
      return list.some((v) => v === value) ? true : list.includes(null) ? null : false;
    }
    case 'binary': {
      const [l, r] = [evaluate(node.left, row), evaluate(node.right, row)];
      if (node.op === 'and') return l === false || r === false ? false : l === null || r === null ? null : true;
      if (node.op === 'or') return l === true || r === true ? true : l === null || r === null ? null : false;
      if (l === null || r === null) return null;
      switch (node.op) {
        case '||': return text(l) + text(r);
        case '+': return (l as number) + (r as number);
        case '-': return (l as number) - (r as number);
        case '=': return l === r;
        case '!=': return l !== r;
        case '<': return (l as number) < (r as number);
        case '>': return (l as number) > (r as number);
        case '<=': return (l as number) <= (r as number);
        case '>=': return (l as number) >= (r as number);
      }
      throw new Error(`no operator ${node.op} here`);
    }
    case 'case': {
      const subject = node.subject && evaluate(node.subject, row);
      for (const [when, then] of node.whens) {
        const hit = node.subject ? subject !== null && subject === evaluate(when, row) : evaluate(when, row) === true;
        if (hit) return evaluate(then, row);
      }
      return node.otherwise ? evaluate(node.otherwise, row) : null;
    }
  }
}

/** A Snowflake expression, ready to evaluate over rows of named columns. */
export function snowflakeExpression(sql: string): (row: Record<string, SnowflakeValue>) => SnowflakeValue {
  const node = new Parser(tokenize(sql)).parse();
  return (row) => evaluate(node, row);
}
