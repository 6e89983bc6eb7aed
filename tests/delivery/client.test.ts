import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapApiError } from '../../runner/errors.ts';
import { Batcher } from '../../runner/snap/batches.ts';
import { SnapClient } from '../../runner/snap/client.ts';
import { retryDelay } from '../../runner/snap/retry.ts';
import { outboundRows } from './deliver-support.ts';

// What the Snap client puts on the wire, and what it makes of the answer.

const closing: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A Snap that records each request and answers with `answer`. */
async function recording(answer: (res: import('node:http').ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const valid = (res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"VALID"}');

function client(options: ConstructorParameters<typeof SnapClient>[0]): SnapClient {
  const c = new SnapClient(options);
  closing.push(c);
  return c;
}

describe('SnapClient', () => {
  it('posts the batch as JSON to /v3/{pixel}/events, the token in the query string, with the test event code around the events', async () => {
    const snap = await recording(valid);
    const c = client({ endpoint: snap.url, pixelId: 'px-1', token: 'tok/+1', testEventCode: 'TEST42' });
    const [batch] = new Batcher(c.envelope, 2, 1_000_000, 1).cut(outboundRows(2));
    await c.send(batch!);
    expect(snap.seen).toHaveLength(1);
    const [request] = snap.seen;
    expect(request).toMatchObject({ method: 'POST', url: '/v3/px-1/events?access_token=tok%2F%2B1' });
    expect(request!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'capi-sync' });
    const body = JSON.parse(request!.body);
    expect(body.test_event_code).toBe('TEST42');
    expect(body.data.map((e: { event_id: string }) => e.event_id)).toEqual(['ev-000000', 'ev-000001']);
    expect(c.redactedUrl).toBe(`${snap.url}/v3/px-1/events?access_token=***`);
  });

  it('posts to /events/validate when asked to validate only, with no test event code unless given', async () => {
    const snap = await recording(valid);
    const c = client({ endpoint: snap.url, pixelId: 'px-2', token: 't', validate: true });
    await c.post(`${c.envelope.open}${c.envelope.close}`);
    expect(snap.seen[0]!.url).toBe('/v3/px-2/events/validate?access_token=t');
    expect(JSON.parse(snap.seen[0]!.body)).toEqual({ data: [] });
  });

  it('passes the first Retry-After on when Snap sends it twice', async () => {
    const snap = await recording((res) => res.writeHead(429, [['Retry-After', '3'], ['Retry-After', '9'], ['content-type', 'application/json']]).end('{"status":"RATE_LIMITED"}'));
    const error = (await client({ endpoint: snap.url, pixelId: 'px', token: 't' }).post('{}').catch((e: unknown) => e)) as SnapApiError;
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfter: '3', body: { status: 'RATE_LIMITED' } });
    expect(retryDelay({ attempt: 1, status: error.status, retryAfter: error.retryAfter })).toBe(3000);
  });

  it('gives up on a request whose answer does not come within the timeout, as a retryable failure', async () => {
    const snap = await recording(() => {});
    const started = Date.now();
    const error = (await client({ endpoint: snap.url, pixelId: 'px', token: 't', timeout: 200 }).post('{}').catch((e: unknown) => e)) as SnapApiError;
    expect(error).toMatchObject({ status: 0, retryable: true, errorCode: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(error.message).toBe(`request to ${snap.url}/v3/px/events?access_token=*** failed: UND_ERR_HEADERS_TIMEOUT`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an aborted request is not retried', async () => {
    const snap = await recording(() => {});
    const abort = new AbortController();
    const posting = client({ endpoint: snap.url, pixelId: 'px', token: 't' }).post('{}', abort.signal).catch((e: unknown) => e);
    while (snap.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    const error = (await posting) as SnapApiError;
    expect(error).toMatchObject({ status: 0, retryable: false });
    expect(retryDelay({ attempt: 1, status: error.status, errorCode: error.errorCode })).toBeNull();
  });
});
