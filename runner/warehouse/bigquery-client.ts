import { resolve } from 'node:path';
import type { WarehouseConfig } from '../config/schema.ts';
import { ConfigError, WarehouseError, errorMessage } from '../errors.ts';
import { firstLine } from './statement.ts';
import type { Row } from './types.ts';

/** The bigquery warehouse keys of activations.yml. */
export type BigQueryConfig = Extract<WarehouseConfig, { type: 'bigquery' }>;

/** One page of a query job's result, as @google-cloud/bigquery answers with autoPaginate: false. */
export type Page = [rows: Row[], next: PageRequest | null, response: QueryResponse];

/** Where the next page is: the job and its page token (the client's own object, passed back as is). */
export interface PageRequest {
  job?: BigQueryJob;
  pageToken?: string;
}

export interface QueryResponse {
  /** false while the job runs: the page is empty and the next request waits for it. */
  jobComplete?: boolean;
  /** A string: the count is an int64. */
  numDmlAffectedRows?: string;
  totalBytesProcessed?: string;
}

export interface BigQueryJob {
  getQueryResults(request: PageRequest): Promise<Page>;
  cancel(): Promise<unknown>;
}

/** The part of @google-cloud/bigquery capi-sync uses. */
export interface BigQueryClient {
  query(request: QueryRequest, options: { autoPaginate: false; maxResults?: number }): Promise<Page>;
  createQueryJob(request: QueryRequest & { dryRun: true }): Promise<[unknown, { statistics?: { query?: { statementType?: string; schema?: { fields?: { name: string; type?: string }[] } } } }]>;
}

export interface QueryRequest {
  query: string;
  params?: unknown[];
  types?: string[];
  location?: string;
  maximumBytesBilled?: string;
  useLegacySql: false;
}

/**
 * A client for the configured project: a service-account key file, or application default credentials.
 * An api_endpoint (a local stand-in, for tests) is not Google, so no credentials are sent to it.
 */
export async function createClient(config: BigQueryConfig, dir: string): Promise<BigQueryClient> {
  if (process.env.BIGQUERY_EMULATOR_HOST !== undefined) {
    // The client library would send every query there, whatever the config says.
    throw new ConfigError(`BIGQUERY_EMULATOR_HOST is set (${process.env.BIGQUERY_EMULATOR_HOST}): capi-sync refuses to run with it, as the queries would not go to project ${config.project}; unset it`);
  }
  const { BigQuery } = await import('@google-cloud/bigquery');
  const options: Record<string, unknown> = { projectId: config.project, location: config.location, userAgent: 'capi-sync' };
  if (config.api_endpoint) {
    const { PassThroughClient } = await import('google-auth-library');
    Object.assign(options, { apiEndpoint: config.api_endpoint, authClient: new PassThroughClient(), retryOptions: { autoRetry: false } });
  } else if (config.key_file) {
    options.keyFilename = resolve(dir, config.key_file);
  }
  return new BigQuery(options) as unknown as BigQueryClient;
}

/** A statement as a query request: `?` parameters are BigQuery's own positional ones, typed here. */
export function queryRequest(config: BigQueryConfig, sql: string, params: unknown[]): QueryRequest {
  const request: QueryRequest = { query: sql, location: config.location, useLegacySql: false };
  if (config.maximum_bytes_billed !== undefined) request.maximumBytesBilled = String(config.maximum_bytes_billed);
  if (params.length > 0) {
    request.params = params;
    // A null parameter has no type BigQuery could infer; the state tables' nullable columns are STRING.
    request.types = params.map(parameterType);
  }
  return request;
}

function parameterType(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'string') return 'STRING';
  if (typeof value === 'boolean') return 'BOOL';
  if (typeof value === 'bigint') return 'INT64';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (value instanceof Date) return 'TIMESTAMP';
  throw new WarehouseError(`cannot send a ${typeof value} as a BigQuery query parameter`);
}


/** A client error as a WarehouseError naming BigQuery's reason (invalidQuery, bytesBilledLimitExceeded, ...). */
export function bigQueryError(error: unknown, sql: string): WarehouseError {
  const e = error as { errors?: { reason?: string; message?: string }[]; code?: number };
  const reason = e.errors?.find((x) => x.reason)?.reason;
  const hint = reason === 'bytesBilledLimitExceeded' ? '; raise warehouse.maximum_bytes_billed or narrow the model' : '';
  const details = [reason, e.code && `HTTP ${e.code}`].filter(Boolean).join(', ');
  const message = error instanceof WarehouseError ? error.message : `BigQuery: ${errorMessage(error)}${details ? ` (${details})` : ''}${hint}`;
  return new WarehouseError(`${message}\n  in: ${firstLine(sql)}`, { cause: error, unreachable: error instanceof WarehouseError && error.unreachable });
}
