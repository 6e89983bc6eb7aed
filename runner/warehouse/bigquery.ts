import { WarehouseError } from '../errors.ts';
import { Stopped, deadline, stoppable } from './deadline.ts';
import { takeLease } from './lease.ts';
import { bigQueryError, createClient, queryRequest, type BigQueryClient, type BigQueryConfig, type BigQueryJob, type Page } from './bigquery-client.ts';
import type { Column, Dialect, Lock, Row, Statement, StreamOptions, ValueKind, Warehouse } from './types.ts';

/** SQL for "now plus s seconds", the expiry of the single-runner lease (see lease.ts). */
export const bigqueryLeaseUntil = (s: number) => `timestamp_add(current_timestamp(), interval ${s} second)`;

export type { BigQueryConfig } from './bigquery-client.ts';

/**
 * Backticks, with backslashes and backticks escaped. A name may be a path (`my-project.capi_sync`):
 * BigQuery reads a quoted path as its parts.
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#quoted_identifiers
 */
export function quoteBigQuery(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain NUL');
  return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
}

export const bigqueryDialect: Dialect = { name: 'bigquery', quoteIdentifier: quoteBigQuery };

/** Creates the client (the library is imported here, on first use); it connects with the first query. */
export async function openBigQuery(config: BigQueryConfig, dir: string): Promise<Warehouse> {
  return new BigQueryWarehouse(await createClient(config, dir), config);
}

class BigQueryWarehouse implements Warehouse {
  readonly dialect = bigqueryDialect;
  /** Project-qualified, so the views resolve the same whichever project an auditor queries them from. */
  readonly schema: string;
  private readonly timeoutMs: number;
  constructor(private readonly client: BigQueryClient, private readonly config: BigQueryConfig) {
    this.schema = `${config.project}.${config.dataset}`;
    this.timeoutMs = config.timeout_seconds * 1000;
  }

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const page of this.pages(sql, params)) rows.push(...page[0]);
    return rows;
  }

  async exec(sql: string, params: unknown[] = []): Promise<number> {
    // The count comes with the first page of a finished job (a long DML answers jobComplete: false first).
    for await (const [, , response] of this.pages(sql, params)) {
      if (response.jobComplete !== false) return Number(response.numDmlAffectedRows ?? 0);
    }
    return 0;
  }

  async execScript(statements: (string | Statement)[]): Promise<void> {
    // Each DDL statement is its own job and commits on its own: a script cannot be all or nothing. The
    // statements are idempotent (if not exists, drop then create) and a re-run completes a broken one.
    // State writes come in the order that keeps a partial script safe (the ledger before the watermark).
    for (const s of statements) await (typeof s === 'string' ? this.exec(s) : this.exec(s.sql, s.params));
  }

  async columns(selectSql: string): Promise<Column[]> {
    const { schema } = await this.dryRun(selectSql);
    return (schema?.fields ?? []).map((f) => {
      const type = googleSqlType(f.type);
      return { name: f.name, type, kind: bigqueryKind(type) };
    });
  }

  /** BigQuery plans the query and answers its schema and kind without reading (or billing) a byte. */
  private async dryRun(sql: string) {
    const request = { ...queryRequest(this.config, sql, []), dryRun: true as const };
    const [, metadata] = await deadline('BigQuery', this.client.createQueryJob(request), this.timeoutMs, 'planning a query').catch((error: unknown) => {
      throw bigQueryError(error, sql);
    });
    return metadata.statistics?.query ?? {};
  }

  async *stream(sql: string, params: unknown[], { fetchSize, signal, readOnly }: StreamOptions): AsyncIterable<Row[]> {
    // BigQuery has no read-only transaction: a dry run tells the statement's kind without running it.
    if (readOnly && (await this.dryRun(sql)).statementType !== 'SELECT') throw new WarehouseError('BigQuery: only a SELECT is run here');
    for await (const [rows] of this.pages(sql, params, fetchSize, signal)) {
      if (signal?.aborted) return;
      for (let i = 0; i < rows.length; i += fetchSize) yield rows.slice(i, i + fetchSize);
    }
  }

  tryLock(key: string): Promise<Lock | null> {
    return takeLease(this, key, this.config.lease_seconds, bigqueryLeaseUntil);
  }

  async close(): Promise<void> {
    // The client holds no session: nothing to end.
  }

  /**
   * One query job and its result pages, each fetched only when the consumer asks for it (a view is
   * billed per query: it is read by one job, never re-run per page). Pages hold at most `pageSize` rows.
   */
  private async *pages(sql: string, params: unknown[], pageSize?: number, signal?: AbortSignal): AsyncGenerator<Page> {
    const request = queryRequest(this.config, sql, params);
    const options = { autoPaginate: false as const, ...(pageSize ? { maxResults: pageSize } : {}) };
    // A stop (SIGINT/SIGTERM) or a timeout ends the wait at once and cancels the job. The client polls a
    // slow jobs.query itself, without telling which job it is: a job stopped then is cancelled as soon as
    // the answer names it (if this process still runs; it is billed like any query either way).
    let job: BigQueryJob | undefined;
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      void job?.cancel().catch(() => {});
    };
    const first = this.client.query(request, options);
    first.then(([, next]) => {
      job = next?.job;
      if (cancelled) cancel();
    }, () => {});
    const settle = (call: Promise<Page>, what: string) => deadline('BigQuery', stoppable(call, signal, cancel), this.timeoutMs, what, cancel).catch((error: unknown) => {
      if (error instanceof Stopped) return undefined;
      throw bigQueryError(error, sql);
    });
    let page = await settle(first, 'running a query');
    while (page) {
      yield page;
      const next = page[1];
      if (!next?.job) return;
      job = next.job;
      page = await settle(job.getQueryResults(next), 'reading a result page');
    }
  }
}

// The REST API's schemas may name types the legacy way; SQL (a cast to the cursor's type) needs GoogleSQL's.
const GOOGLE_SQL: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/** A field type of a REST schema as GoogleSQL names it (INT64, not INTEGER). */
function googleSqlType(type = 'UNKNOWN'): string {
  return GOOGLE_SQL[type] ?? type;
}

/** https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types */
function bigqueryKind(type: string): ValueKind {
  if (type === 'TIMESTAMP' || type === 'DATETIME') return 'timestamp';
  if (type === 'DATE') return 'date';
  if (['INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC'].includes(type)) return 'number';
  if (type === 'STRING') return 'text';
  return 'other';
}
