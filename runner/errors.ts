/**
 * Errors are classified once, here; `runner/cli.ts` is the only place that turns them into exit codes.
 * Messages name the config path or warehouse object involved and, where there is one, the fix.
 */

/** A malformed config or usage: every problem as `path: message`. Exit code 2. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[] | string) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('\n'));
    this.name = 'ConfigError';
    this.problems = list;
  }
}

/** A warehouse call failed: the message names the object or statement. */
export class WarehouseError extends Error {
  /**
   * The warehouse did not answer in time or the connection dropped: the statement itself may be fine
   * (so it says nothing about the config). False by default.
   */
  readonly unreachable: boolean;
  constructor(message: string, options?: { cause?: unknown; unreachable?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = 'WarehouseError';
    this.unreachable = options?.unreachable ?? false;
  }
}

/** The warehouse is held by another capi-sync (the embedded one opens in one process at a time): try later. */
export class WarehouseBusyError extends WarehouseError {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseBusyError';
  }
}

/** Snap (or the sandbox) answered with something other than 200 VALID. */
export class SnapApiError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  /** Seconds or an HTTP date, as sent in the `Retry-After` header. */
  readonly retryAfter?: string;
  readonly body?: SnapErrorBody;
  /** For a request that got no answer: ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ... (status is 0). */
  readonly errorCode?: string;
  constructor(message: string, init: { status: number; retryable: boolean; retryAfter?: string; body?: SnapErrorBody; errorCode?: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.name = 'SnapApiError';
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfter = init.retryAfter;
    this.body = init.body;
    this.errorCode = init.errorCode;
  }
}

/** What Snap says about a refused request; some 400s carry `error_msgs` at the top level. */
export interface SnapErrorBody {
  status?: string;
  reason?: string;
  event?: number;
  errors?: { codes?: unknown[]; error_msgs?: unknown[] };
  error_msgs?: unknown[];
}

/** Ends the process with a chosen exit code, after the message (if any) was printed. */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
