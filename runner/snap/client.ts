import { Agent, request } from 'undici';
import { SnapApiError, type SnapErrorBody } from '../errors.ts';
import { redactUrl } from '../redact.ts';
import { describe } from './answers.ts';
import { envelope, type Batch, type Envelope } from './batches.ts';
import { isRetryable } from './retry.ts';
import { eventsUrl } from './url.ts';

export interface SnapClientOptions {
  /** Base URL, e.g. https://tr.snapchat.com or the sandbox's http://127.0.0.1:PORT. */
  endpoint: string;
  pixelId: string;
  token: string;
  /** Marks the traffic as test events (sent at the root of each request). */
  testEventCode?: string;
  /** Ms one request may take, headers and body; default 30,000. */
  timeout?: number;
  /** Keep-alive connections; at least the number of requests in flight. */
  connections?: number;
  /** Post to /events/validate: Snap checks the events and records nothing as a conversion. */
  validate?: boolean;
}

/** Posts batches of event JSON to one pixel, over keep-alive connections. */
export class SnapClient {
  private readonly agent: Agent;
  private readonly url: string;
  /** What this client's requests put around the events (see Batcher). */
  readonly envelope: Envelope;
  readonly redactedUrl: string;

  constructor(private readonly options: SnapClientOptions) {
    this.agent = new Agent({ connections: options.connections ?? 8, keepAliveTimeout: 30_000, pipelining: 1 });
    this.url = eventsUrl(options.endpoint, options.pixelId, options.token, { validate: options.validate });
    this.redactedUrl = redactUrl(this.url);
    this.envelope = envelope(options.testEventCode);
  }

  /** Posts one batch: its body was written when its rows were read (see Batch). */
  send(batch: Batch, signal?: AbortSignal): Promise<void> {
    return this.post(batch.body, signal);
  }

  /**
   * Resolves when Snap answered 200 VALID; otherwise throws a SnapApiError: with the HTTP status, or
   * with status 0 and an `errorCode` when no whole answer came back (reset, timeout, refused).
   */
  async post(body: string | Buffer, signal?: AbortSignal): Promise<void> {
    const timeout = this.options.timeout ?? 30_000;
    let status: number;
    let retryAfter: string | undefined;
    let text: string;
    try {
      const response = await request(this.url, {
        method: 'POST',
        dispatcher: this.agent,
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'capi-sync' },
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal,
      });
      status = response.statusCode;
      retryAfter = header(response.headers['retry-after']);
      // A connection dropped while the answer's body streams in is a failed request, like a reset.
      text = await response.body.text();
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      throw new SnapApiError(`request to ${this.redactedUrl} failed: ${code}`, { status: 0, retryable: isRetryable(0, code), cause: error, errorCode: code });
    }
    const parsed = parseBody(text);
    if (status === 200 && parsed?.status === 'VALID') return;
    // A 200 that does not say VALID is not a success: nothing in the batch may count as sent.
    const reason = parsed ? describe(parsed) : text.slice(0, 200) || '(empty body)';
    throw new SnapApiError(`Snap answered ${status}${status === 200 ? ' but not VALID' : ''}: ${reason}`, {
      status,
      retryable: isRetryable(status),
      retryAfter,
      body: parsed ?? undefined,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function parseBody(text: string): SnapErrorBody | null {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
