import { ConfigError } from '../errors.ts';
import { faultOptionProblems, isFaultKind } from '../sandbox/faults.ts';
import { startSandbox } from '../sandbox/server.ts';

/** `capi-sync sandbox` options, as given on the command line. */
export interface SandboxCommandOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** When set, only this access_token is accepted. Default: any non-empty token. */
  token?: string;
  /** Share of POST requests (0..1) answered with a fault. Default 0. */
  failureRate?: number;
  /** Faults to pick from: 500, 503, 429, reset, timeout. Default all. */
  faults?: string[];
  /** Seconds sent as Retry-After on injected 429/503; false for none. Default false. */
  retryAfter?: number | false;
  /** Requests per second before answering 429. Default unlimited. */
  rateLimit?: number;
  /** event_ids to refuse with 400 INVALID. Default none. */
  refuse?: string[];
  /** Count events and validate a sample only, keeping no event objects. Default false. */
  fastAccept?: boolean;
  /** Seed of the fault generator, to replay a run. Default random. */
  seed?: number;
}

/** Runs the Snap sandbox until `signal` aborts, then closes it. */
export async function sandbox(opts: SandboxCommandOptions, signal: AbortSignal): Promise<void> {
  const problems = faultOptionProblems(opts).map((problem) => `sandbox ${problem}`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) problems.unshift('sandbox port: must be an integer 0..65535');
  if (problems.length > 0) throw new ConfigError(problems);
  const server = await startSandbox({
    port: opts.port,
    token: opts.token,
    failureRate: opts.failureRate,
    faults: opts.faults?.filter(isFaultKind),
    retryAfter: opts.retryAfter,
    rateLimit: opts.rateLimit,
    refuseEventIds: opts.refuse === undefined ? undefined : new Set(opts.refuse),
    fastAccept: opts.fastAccept,
    seed: opts.seed,
  });
  // The token is a secret: say whether one is required, never which.
  const auth = opts.token === undefined ? 'any access_token accepted' : 'access_token must match --token';
  process.stdout.write(
    `Snap sandbox listening on ${server.url} (${auth}); point an activation at it with "endpoint: ${server.url}" in activations.yml. Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}
