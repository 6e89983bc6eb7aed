import { ConfigError } from '../errors.ts';
import type { Row } from '../warehouse/types.ts';
import { withProject, type CommonOptions } from './project.ts';

export interface QueryOptions extends CommonOptions {
  /** How rows are printed: an aligned table (default), CSV, or a JSON array of objects. */
  format?: 'table' | 'csv' | 'json';
  /** Where rows go; default stdout. */
  out?: NodeJS.WritableStream;
}

// Words that start a statement which writes or changes something; only read-only statements are run.
const WRITES = /\b(insert|update|delete|merge|upsert|create|drop|alter|truncate|grant|revoke|copy|call|execute|do|put|remove|undrop|comment|vacuum|analyze|refresh|lock|set|reset|begin|commit|rollback)\b/i;
const READS = /^\s*(select|with|values|table|show|describe|desc|explain)\b/i;

/**
 * `capi-sync query "<select>"`: one read-only statement on the configured warehouse, printed as a table,
 * CSV or JSON, so that auditors can read the views and the run tables of any warehouse, including the
 * embedded one, which no other client can open. The statement must be a single select (or with, values,
 * show, explain) with no statement that writes in it; where the warehouse has read-only transactions
 * (Postgres, PGlite) it also runs in one.
 */
export async function query(sql: string, options: QueryOptions): Promise<void> {
  const statement = readOnlyStatement(sql);
  const out = options.out ?? process.stdout;
  await withProject({ ...options, activation: undefined }, async (project) => {
    const printer = printers[options.format ?? 'table'](out);
    for await (const rows of project.warehouse.stream(statement, [], { fetchSize: 1000, readOnly: true })) printer.rows(rows);
    printer.end();
  });
}

/** The statement without a trailing `;`, or a ConfigError saying why it is not run. */
export function readOnlyStatement(sql: string): string {
  const code = withoutQuoted(sql).replace(/;\s*$/, '');
  const text = sql.trim().replace(/;\s*$/, '');
  if (code.includes(';')) throw new ConfigError('query: give one statement (a single select); nothing was run');
  if (!READS.test(code)) throw new ConfigError('query: only a read-only statement (select, with, values, show, describe, explain) is run; nothing was run');
  const write = WRITES.exec(code);
  if (write) throw new ConfigError(`query: "${write[1]}" makes this more than a read; only read-only statements are run (nothing was run)`);
  return text;
}

/** The SQL with quoted strings, quoted identifiers and comments blanked, so only its words remain. */
function withoutQuoted(sql: string): string {
  return sql.trim().replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`\\]|\\.)*`|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
}

interface Printer {
  rows(rows: Row[]): void;
  end(): void;
}

const printers: Record<NonNullable<QueryOptions['format']>, (out: NodeJS.WritableStream) => Printer> = {
  // Columns are as wide as their widest value, so the table waits for every row.
  table: (out) => {
    const all: Row[] = [];
    return {
      rows: (rows) => void all.push(...rows),
      end: () => {
        if (all.length === 0) return void out.write('(no rows)\n');
        const names = Object.keys(all[0]);
        const cells = all.map((row) => names.map((n) => oneLine(text(row[n]))));
        const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i].length)));
        const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
        out.write(`${[line(names), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)].join('\n')}\n(${all.length} row${all.length === 1 ? '' : 's'})\n`);
      },
    };
  },
  csv: (out) => {
    let header = false;
    return {
      rows: (rows) => {
        for (const row of rows) {
          if (!header) out.write(`${Object.keys(row).map(csvCell).join(',')}\n`);
          header = true;
          out.write(`${Object.values(row).map((v) => csvCell(text(v))).join(',')}\n`);
        }
      },
      end: () => {},
    };
  },
  json: (out) => {
    let first = true;
    return {
      rows: (rows) => {
        for (const row of rows) {
          out.write(`${first ? '[\n' : ',\n'}${JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
          first = false;
        }
      },
      end: () => void out.write(first ? '[]\n' : '\n]\n'),
    };
  },
};

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function oneLine(value: string): string {
  return value.replace(/\r?\n/g, '\\n');
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
