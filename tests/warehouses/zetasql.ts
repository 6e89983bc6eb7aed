import { createServer, type AddressInfo } from 'node:net';
import { runServer, terminateServer, ZetaSQLClient } from '@fivetrandevelopers/zetasql';
import type { LanguageOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageOptionsProto.js';
import type { SimpleCatalogProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleCatalogProto.js';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';
import type { ValueProto__Output } from '@fivetrandevelopers/zetasql/lib/types/zetasql/ValueProto.js';

/**
 * ZetaSQL, Google's reference implementation of GoogleSQL (the language of BigQuery), as its npm
 * package runs it: a local gRPC server (`runServer`) and a client. It analyzes statements against a
 * catalog of tables (names, column types, resolved functions and casts) and evaluates queries. A table
 * created by an analyzed CREATE TABLE or CREATE VIEW joins the catalog, so later statements are checked
 * against the columns as capi-sync's own DDL declares them.
 *
 * What it is not: BigQuery. DDL options such as `partition by`/`cluster by` are resolved but not
 * enforced, and project/dataset permissions do not exist here.
 */
export interface ZetaSql {
  /** Analyzes one statement; `params` are the types of its `?` parameters. Throws ZetaSQL's message. */
  analyze(sql: string, params?: TypeKind[]): Promise<void>;
  /**
   * Runs a query on the reference evaluator and answers its rows (NULL as null, numbers as text).
   * `content` gives the rows of catalog tables, by table name: a cell is a STRING, a JSON value (its
   * text) or NULL. `params` are the values of named STRING parameters (`@name`): typed STRING as
   * BigQuery types the runner's text parameters, so they are not coerced as a literal would be.
   */
  evaluate(sql: string, content?: Record<string, Cell[][]>, params?: Record<string, string | null>): Promise<unknown[][]>;
  /** Adds a table (or a sub-catalog path such as ['shop', 'orders']) to the catalog. */
  addTable(path: string[], columns: Column[]): void;
  close(): void;
}

export type TypeKind = 'TYPE_STRING' | 'TYPE_INT64' | 'TYPE_BOOL' | 'TYPE_DOUBLE' | 'TYPE_NUMERIC' | 'TYPE_BIGNUMERIC' | 'TYPE_TIMESTAMP' | 'TYPE_DATETIME' | 'TYPE_DATE' | 'TYPE_JSON' | 'TYPE_BYTES';
export type Cell = string | { json: string } | null;
export interface Column {
  name: string;
  type: TypeProto;
}

/** The statements capi-sync sends to BigQuery; the maximum language options allow queries only. */
const STATEMENT_KINDS = [
  'RESOLVED_QUERY_STMT', 'RESOLVED_CREATE_SCHEMA_STMT', 'RESOLVED_CREATE_TABLE_STMT', 'RESOLVED_ALTER_TABLE_STMT',
  'RESOLVED_CREATE_VIEW_STMT', 'RESOLVED_DROP_STMT', 'RESOLVED_INSERT_STMT', 'RESOLVED_UPDATE_STMT',
  'RESOLVED_DELETE_STMT', 'RESOLVED_MERGE_STMT',
];

export async function startZetaSql(): Promise<ZetaSql> {
  const port = await freePort();
  // runServer's promise never settles: it only starts the process (terminateServer ends it).
  void runServer(port);
  ZetaSQLClient.init(port);
  const client = ZetaSQLClient.getInstance();
  if (!(await client.testConnection())) throw new Error(`the ZetaSQL server did not answer on port ${port}`);
  const language = (await client.getLanguageOptions({ maximumFeatures: true }))! as LanguageOptionsProto;
  // BigQuery is ZetaSQL's external product mode (no proto types, no internal-only functions).
  Object.assign(language, { productMode: 'PRODUCT_EXTERNAL', supportedStatementKinds: STATEMENT_KINDS });
  const tables = new Map<string, { path: string[]; columns: Column[] }>();

  const catalog = (): SimpleCatalogProto => {
    const root: SimpleCatalogProto = { name: 'bigquery', table: [], catalog: [], builtinFunctionOptions: { languageOptions: language } };
    for (const { path, columns } of tables.values()) {
      let at = root;
      for (const part of path.slice(0, -1)) {
        let sub = at.catalog!.find((c) => c.name === part);
        if (!sub) at.catalog!.push((sub = { name: part, table: [], catalog: [] }));
        at = sub;
      }
      at.table!.push({ name: path.at(-1), column: columns.map((c) => ({ name: c.name, type: c.type })) });
    }
    return root;
  };
  const addTable = (path: string[], columns: Column[]) => void tables.set(path.join('\0'), { path, columns });

  return {
    addTable,
    async analyze(sql, params = []) {
      const options = { languageOptions: language, parameterMode: 'PARAMETER_POSITIONAL' as const, positionalQueryParameters: params.map((typeKind) => ({ typeKind })) };
      const response = await client.analyze({ sqlStatement: sql, simpleCatalog: catalog(), options }).catch((error: Error) => {
        throw new Error(`ZetaSQL: ${error.message}\n${excerpt(sql, error.message)}`);
      });
      learn(response?.resolvedStatement, tables, addTable);
    },
    async evaluate(sql, content = {}, params = {}) {
      const tableContent = Object.fromEntries(Object.entries(content).map(([name, rows]) => [name, {
        tableData: { row: rows.map((row) => ({ cell: row.map((v) => (v === null ? {} : typeof v === 'string' ? { stringValue: v } : { jsonValue: v.json })) })) },
      }]));
      const response = await new Promise<any>((resolve, reject) => {
        const queryParameters = Object.keys(params).map((name) => ({ name, type: { typeKind: 'TYPE_STRING' as const } }));
        const values = Object.entries(params).map(([name, v]) => ({ name, value: v === null ? {} : { stringValue: v } }));
        const request = { sql, simpleCatalog: catalog(), options: { languageOptions: language, queryParameters }, tableContent, params: values };
        ZetaSQLClient.API.evaluateQuery(request, (error, answer) => (error ? reject(new Error(`ZetaSQL: ${error.message}`)) : resolve(answer)));
      });
      return (response.content?.tableData?.row ?? []).map((row: { cell: ValueProto__Output[] }) => row.cell.map(value));
    },
    close: () => terminateServer(),
  };
}

/** Tables created, altered or dropped by an analyzed statement, as the catalog must now hold them. */
function learn(statement: unknown, tables: Map<string, { path: string[]; columns: Column[] }>, add: (path: string[], columns: Column[]) => void): void {
  const created = find(statement, 'resolvedCreateTableStmtNode') ?? find(statement, 'resolvedCreateViewStmtNode');
  if (created) {
    const base = find(created, 'columnDefinitionList') as { name: string; type: TypeProto }[];
    add(find(created, 'namePath') as string[], base.map((c) => ({ name: c.name, type: clean(c.type) })));
  }
  const altered = find(statement, 'resolvedAlterTableStmtNode');
  if (altered) {
    const path = find(altered, 'namePath') as string[];
    const table = tables.get(path.join('\0'))!;
    for (const action of (find(altered, 'alterActionList') as Record<string, any>[]) ?? []) {
      const column = action.resolvedAddColumnActionNode?.columnDefinition;
      if (column && !table.columns.some((c) => c.name === column.name)) table.columns.push({ name: column.name, type: clean(column.type) });
    }
  }
  const dropped = find(statement, 'resolvedDropStmtNode');
  if (dropped) tables.delete((find(dropped, 'namePath') as string[]).join('\0'));
}

/** The first value under `key`, depth first, in a resolved AST as the server answers it. */
function find(node: unknown, key: string): any {
  if (!node || typeof node !== 'object') return undefined;
  if (key in node) return (node as Record<string, unknown>)[key];
  for (const child of Object.values(node)) {
    const found = find(child, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A type as the server answers it (every field present, nulls) turned back into a request's. */
function clean(type: any): TypeProto {
  const out: TypeProto = { typeKind: type.typeKind };
  if (type.arrayType) out.arrayType = { elementType: clean(type.arrayType.elementType) };
  if (type.structType) out.structType = { field: type.structType.field.map((f: any) => ({ fieldName: f.fieldName, fieldType: clean(f.fieldType) })) };
  return out;
}

function value(v: ValueProto__Output): unknown {
  if (!v.value) return null;
  const x = (v as any)[v.value];
  if (v.value === 'arrayValue') return x.element.map(value);
  if (x && typeof x === 'object' && 'low' in x) return String(BigInt.asIntN(64, (BigInt(x.high >>> 0) << 32n) | BigInt(x.low >>> 0)));
  return x;
}

/** The lines around the position ZetaSQL names ("[at 12:5]"), so a failure shows the SQL at fault. */
function excerpt(sql: string, message: string): string {
  const at = /\[at (\d+):(\d+)\]/.exec(message);
  if (!at) return sql.slice(0, 400);
  const lines = sql.split('\n');
  const n = Number(at[1]) - 1;
  return lines.slice(Math.max(0, n - 2), n + 3).map((l, i) => `${Math.max(0, n - 2) + i + 1}: ${l.slice(0, 300)}`).join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
