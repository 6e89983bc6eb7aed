import { Stopped, deadline, stoppable } from './deadline.ts';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { WarehouseConfig } from '../config/schema.ts';
import { WarehouseError, errorMessage } from '../errors.ts';
import { firstLine } from './statement.ts';

/** The snowflake warehouse keys of activations.yml. */
export type SnowflakeConfig = Extract<WarehouseConfig, { type: 'snowflake' }>;

/** The part of snowflake-sdk capi-sync uses (its own declarations, so the driver stays an implementation detail). */
interface SnowflakeSdk {
  configure(options: { logLevel: 'OFF'; additionalLogToConsole: boolean }): void;
  createConnection(options: Record<string, unknown>): SnowflakeConnection;
}

export interface SnowflakeConnection {
  connect(callback: (error: SnowflakeError | undefined) => void): unknown;
  execute(options: { sqlText: string; binds?: unknown[]; streamResult?: boolean; complete: (error: SnowflakeError | undefined, statement: SnowflakeStatement, rows?: Record<string, unknown>[]) => void }): SnowflakeStatement;
  destroy(callback: (error?: SnowflakeError) => void): void;
}

export interface SnowflakeStatement {
  getNumUpdatedRows(): number | undefined;
  getColumns(): { getName(): string; getType?(): string }[] | undefined;
  streamRows(): Readable;
  cancel(callback?: (error?: SnowflakeError) => void): void;
}

interface SnowflakeError extends Error {
  code?: string | number;
  sqlState?: string;
}

/** Imports the driver on first use only, with its log file turned off (it would write ./snowflake.log). */
async function loadDriver(): Promise<SnowflakeSdk> {
  const sdk = ((await import('snowflake-sdk')) as unknown as { default: SnowflakeSdk }).default;
  sdk.configure({ logLevel: 'OFF', additionalLogToConsole: false });
  return sdk;
}

/** The driver's connection options: password, or key-pair (JWT) auth with a PEM key or a key file. */
export function connectionOptions(config: SnowflakeConfig, dir: string): Record<string, unknown> {
  const auth = config.password !== undefined
    ? { password: config.password }
    : {
        authenticator: 'SNOWFLAKE_JWT',
        ...(config.private_key !== undefined ? { privateKey: config.private_key } : { privateKeyPath: resolve(dir, config.private_key_path!) }),
        ...(config.private_key_passphrase !== undefined ? { privateKeyPass: config.private_key_passphrase } : {}),
      };
  return {
    account: config.account,
    username: config.user,
    role: config.role,
    warehouse: config.warehouse,
    database: config.database,
    application: 'capi-sync',
    clientSessionKeepAlive: false,
    ...(config.access_url ? { accessUrl: config.access_url } : {}),
    ...auth,
  };
}

export async function connect(config: SnowflakeConfig, dir: string, timeoutMs: number): Promise<SnowflakeConnection> {
  const sdk = await loadDriver();
  const connection = sdk.createConnection(connectionOptions(config, dir));
  const method = config.password !== undefined ? 'password' : 'key pair';
  try {
    // connect(callback), not connectAsync(): the promise of the latter resolves even when login fails.
    const connected = new Promise<void>((resolvePromise, reject) => connection.connect((error) => (error ? reject(error) : resolvePromise())));
    await deadline('Snowflake', connected, timeoutMs, 'connecting');
  } catch (error) {
    connection.destroy(() => {});
    throw new WarehouseError(`cannot connect to Snowflake account ${config.account} as ${config.user} (${method} auth): ${errorMessage(error)}; check warehouse.account, warehouse.user and the credentials`, { cause: error });
  }
  return connection;
}


/** A driver error as a WarehouseError naming the Snowflake code and the statement. */
export function statementError(error: unknown, sql: string): WarehouseError {
  if (error instanceof WarehouseError) return new WarehouseError(`${error.message}\n  in: ${firstLine(sql)}`, { cause: error, unreachable: error.unreachable });
  const e = error as SnowflakeError;
  const code = [e.code && `code ${e.code}`, e.sqlState && `SQL state ${e.sqlState}`].filter(Boolean).join(', ');
  return new WarehouseError(`Snowflake: ${errorMessage(error)}${code ? ` (${code})` : ''}\n  in: ${firstLine(sql)}`, { cause: error });
}

/**
 * Runs one statement; resolves once Snowflake has answered (the rows, unless streamed, with it). Past
 * `timeoutMs`, or when `signal` aborts (rejecting with Stopped), the statement is cancelled.
 */
export function execute(connection: SnowflakeConnection, sql: string, binds: unknown[], streamResult: boolean, timeoutMs: number, signal?: AbortSignal): Promise<{ statement: SnowflakeStatement; rows: Record<string, unknown>[] }> {
  let statement: SnowflakeStatement | undefined;
  const done = new Promise<{ statement: SnowflakeStatement; rows: Record<string, unknown>[] }>((resolvePromise, reject) => {
    statement = connection.execute({
      sqlText: sql,
      binds: binds.length > 0 ? binds : undefined,
      streamResult,
      complete: (error, stmt, rows) => (error ? reject(error) : resolvePromise({ statement: stmt, rows: rows ?? [] })),
    });
  });
  const cancel = () => statement?.cancel(() => {});
  return deadline('Snowflake', stoppable(done, signal, cancel), timeoutMs, `running ${firstLine(sql)}`, cancel).catch((error: unknown) => {
    throw error instanceof Stopped ? error : statementError(error, sql);
  });
}
