import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerEvents, type EventsApiContext } from './events-api.ts';
import { createFaultPicker, createRateLimiter, faultOptionProblems, type Fault, type FaultOptions } from './faults.ts';
import { createStore, type SandboxStats } from './store.ts';

export type { FaultKind } from './faults.ts';
export type { SandboxStats } from './store.ts';

/** How the sandbox listens, checks and misbehaves. Fault injection is off unless asked for. */
export interface SandboxOptions extends FaultOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 0. */
  port?: number;
  /** When set, only this access_token is accepted (others get 401). Default: any non-empty token. */
  token?: string;
  /** event_ids answered 400 INVALID pointing at their index, as Snap refuses an event. Default none. */
  refuseEventIds?: ReadonlySet<string>;
  /** Benchmark mode: validate only a sample (the first and every 100th event) and keep no event objects. Default false. */
  fastAccept?: boolean;
  /** Remember event_ids to count duplicates; turn off to absorb many millions of events in fastAccept. Default true. */
  trackIds?: boolean;
  /** Oldest event_time accepted, in days. Default 37 (Snap's limit). */
  maxAgeDays?: number;
  /** Largest request body accepted, in bytes; larger is answered 413. Default 8 MB. */
  maxBodyBytes?: number;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL to use as `endpoint`, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Accepted events in arrival order, optionally of one pixel; always empty in fastAccept mode. */
  events(pixelId?: string): unknown[];
  stats(): SandboxStats;
  /** Forgets accepted events and stats, like `POST /_sandbox/reset`. */
  reset(): void;
  /** Stops listening and ends every connection, including requests held by the `timeout` fault. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const EVENTS_PATH = /^\/v3\/([^/]+)\/events(\/validate)?\/?$/;
const FAULT_BODIES: Record<'500' | '503' | '429', { status: string; reason: string }> = {
  '500': { status: 'INTERNAL_ERROR', reason: 'Internal server error (sandbox fault injection)' },
  '503': { status: 'SERVICE_UNAVAILABLE', reason: 'Service unavailable (sandbox fault injection)' },
  '429': { status: 'RATE_LIMITED', reason: 'Too many requests (sandbox fault injection)' },
};

/** Starts a local stand-in of the Snap Conversions API v3 on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const problems = faultOptionProblems(options);
  if (problems.length > 0) throw new RangeError(`invalid sandbox options: ${problems.join('; ')}`);
  const store = createStore(options.trackIds ?? true);
  const context: EventsApiContext = {
    store,
    token: options.token,
    fastAccept: options.fastAccept ?? false,
    refuseEventIds: options.refuseEventIds,
    maxAgeDays: options.maxAgeDays,
  };
  const pickFault = createFaultPicker(options);
  const admit = createRateLimiter(options);
  const limited = options.rateLimitRetryAfter ?? 1;
  const limitedHeaders: Record<string, string> = limited === false ? {} : { 'retry-after': String(limited) };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const latencyMs = options.latencyMs ?? 0;
  const held = new Set<Socket>();

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    store.seeRequest(body.bytes);
    if (latencyMs > 0) await sleep(latencyMs);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      store.answered(status);
      sendJson(res, status, payload, headers);
    };
    if (body.tooLarge) {
      return reply(413, { status: 'INVALID', reason: `request body over ${maxBodyBytes} bytes` }, { connection: 'close' });
    }
    if (!admit()) return reply(429, FAULT_BODIES['429'], limitedHeaders);
    const fault = pickFault();
    if (fault !== null) return injectFault(fault, req, reply);
    const answer = answerEvents(context, {
      pixelId: decodePathSegment(match[1] ?? ''),
      accessToken: url.searchParams.get('access_token'),
      validateOnly: match[2] !== undefined,
      body: body.buffer,
    });
    reply(answer.status, answer.body);
  }

  function injectFault({ kind, retryAfter }: Fault, req: IncomingMessage, reply: (status: number, payload: unknown, headers?: Record<string, string>) => void): void {
    if (kind === 'reset') {
      store.answered('reset');
      req.socket.destroy();
    } else if (kind === 'timeout') {
      store.answered('timeout');
      held.add(req.socket);
      req.socket.once('close', () => held.delete(req.socket));
    } else {
      reply(Number(kind), FAULT_BODIES[kind], retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
    }
  }

  function handleSandbox(req: IncomingMessage, res: ServerResponse, url: URL): void {
    req.resume();
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_sandbox/events') sendJson(res, 200, store.events(url.searchParams.get('pixel_id') ?? undefined));
    else if (route === 'GET /_sandbox/stats') sendJson(res, 200, store.stats());
    else if (route === 'POST /_sandbox/reset') {
      store.reset();
      sendJson(res, 200, { status: 'RESET' });
    } else sendJson(res, 404, { status: 'NOT_FOUND', reason: `no sandbox route ${route}` });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = EVENTS_PATH.exec(url.pathname);
    if (match === null) return handleSandbox(req, res, url);
    if (req.method !== 'POST') {
      req.resume();
      return sendJson(res, 405, { status: 'INVALID', reason: 'use POST' }, { allow: 'POST' });
    }
    handleApi(req, res, url, match).catch((error: unknown) => {
      // A client that hung up mid-body needs no answer; anything else is a sandbox bug worth seeing.
      if (res.headersSent || req.destroyed) return req.socket.destroy();
      sendJson(res, 500, { status: 'INTERNAL_ERROR', reason: `sandbox failure: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    events: (pixelId) => store.events(pixelId),
    stats: () => store.stats(),
    reset: () => store.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of held) socket.destroy();
        server.closeAllConnections();
      }),
  };
}

interface Body {
  buffer: Buffer;
  bytes: number;
  tooLarge: boolean;
}

// An oversized body is still drained, not cut off, so the client reads the 413 instead of a reset.
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => resolve({ buffer: Buffer.concat(chunks, bytes <= limit ? bytes : 0), bytes, tooLarge: bytes > limit }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client hung up before sending the whole body'));
    });
  });
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray '%' is part of the id, not an escape
  }
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
