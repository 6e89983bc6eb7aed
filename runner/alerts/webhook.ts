import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { Logger } from '../log.ts';
import { redact } from '../redact.ts';
import { retryDelay, type RetryOptions } from '../snap/retry.ts';

/**
 * What an alert webhook receives. Slack's incoming webhooks read `text` and ignore the other fields, so
 * the same body serves Slack as is and any tool that wants the machine fields.
 */
export interface AlertBody {
  /** One sentence for people: the activation, what happened, what to do. */
  text: string;
  activation: string;
  status: 'warning' | 'failed' | 'recovered';
  /** The run that changed the status; null when the run could not start (e.g. its deploy failed). */
  run_id: string | null;
  /** The warnings that run fired (empty for `failed` and `recovered`). */
  warnings: string[];
  /** Why the run failed (`failed` only), as recorded in capi_sync_runs.error. */
  error: string | null;
}

/** Brief: about 3 s of backoff over three attempts; an alert that still fails is tried again after the next run. */
const WEBHOOK_RETRY: RetryOptions = { maxRetries: 2, minTimeout: 1000, maxTimeout: 5000, timeoutFactor: 2 };
/** Ms to connect, and to get the answer's headers and body. */
const TIMEOUT_MS = 5000;

/**
 * The webhook as the log names it: its origin, without path or query (a Slack webhook URL's path is its
 * token) and without user or password. (Every log line also goes through runner/redact.ts, which hides
 * the whole URL wherever it appears.)
 */
export function webhookLabel(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return 'the webhook';
  }
}

/**
 * POSTs the alert; retries 429, 5xx and dropped connections with backoff (retryDelay, as Snap
 * requests are). Never throws: a webhook that fails is logged and answered false, and the run goes on.
 * No message quotes the URL or the answer's body (a proxy's error page may echo the URL). What leaves
 * for the webhook is redacted as the logs are: an error may quote a driver's message.
 */
export async function postAlert(url: string, alert: AlertBody, log: Logger): Promise<boolean> {
  const body: AlertBody = { ...alert, text: redact(alert.text), warnings: alert.warnings.map(redact), error: alert.error === null ? null : redact(alert.error) };
  const agent = new Agent({ connect: { timeout: TIMEOUT_MS } });
  const label = webhookLabel(url);
  try {
    for (let attempt = 1; ; attempt++) {
      let status: number | undefined;
      let errorCode: string | undefined;
      let retryAfter: string | undefined;
      try {
        const response = await request(url, {
          method: 'POST', dispatcher: agent, body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', 'user-agent': 'capi-sync' },
          headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return true;
        status = response.statusCode;
        const header = response.headers['retry-after'];
        retryAfter = Array.isArray(header) ? header[0] : header;
      } catch (error) {
        errorCode = (error as { code?: string }).code ?? (error as Error).name;
      }
      const what = status !== undefined ? `answered HTTP ${status}` : `could not be reached (${errorCode})`;
      const delay = retryDelay({ attempt, status, errorCode, retryAfter }, WEBHOOK_RETRY);
      if (delay === null) {
        log.warn(`${body.activation}: the alert webhook ${label} ${what}; the ${body.status} alert was not delivered and is tried again after the next run (the run itself is not affected)`, { activation: body.activation, alert: body.status, webhook_status: status, error_code: errorCode });
        return false;
      }
      log.warn(`${body.activation}: the alert webhook ${label} ${what}; retry ${attempt} of ${WEBHOOK_RETRY.maxRetries} in ${(delay / 1000).toFixed(1)} s`, { activation: body.activation, alert: body.status, attempt, delay_ms: delay });
      await sleep(delay);
    }
  } finally {
    await agent.close().catch(() => {});
  }
}
