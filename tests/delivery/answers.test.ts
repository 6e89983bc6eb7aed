import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, deliverTo, outboundRows } from './deliver-support.ts';

// What a run does with each kind of answer Snap gives to every request: stops at once (the token), stops
// with Snap's words (a request it refuses whole), or isolates the events it refuses; and the sentence.

const closing: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
});

async function snapAnswering(status: number, body: unknown) {
  const snap = await answering(status, body);
  closing.push(snap);
  return snap;
}

describe('a 400 that speaks of the token, naming no event, is a refused token: the run stops at the first answer, nothing split', () => {
  it.each([
    ['access_token', { status: 'INVALID', reason: 'Invalid access_token' }, 'INVALID; Invalid access_token'],
    ['access-token', { status: 'INVALID', reason: 'The access-token has expired' }, 'INVALID; The access-token has expired'],
    ['access token, in error_msgs at the top', { status: 'INVALID', error_msgs: ['The access token is invalid'] }, 'INVALID; The access token is invalid'],
    ['unauthorised, in errors.error_msgs', { status: 'INVALID', errors: { error_msgs: ['Unauthorised'] } }, 'INVALID; Unauthorised'],
    ['unauthorized', { reason: 'UNAUTHORIZED' }, 'UNAUTHORIZED'],
    ['authentication', { status: 'INVALID', reason: 'Authentication failed' }, 'INVALID; Authentication failed'],
    ['forbidden', { status: 'FORBIDDEN' }, 'FORBIDDEN'],
    ['permission', { status: 'INVALID', reason: 'No permission for this pixel' }, 'INVALID; No permission for this pixel'],
  ])('%s', async (_, body, words) => {
    const snap = await snapAnswering(400, body);
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows: outboundRows(8), batchSize: 8, maxInFlight: 1 });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toBe(`Snap answered 400: ${words}`);
    expect(snap.requests()).toBe(1);
    expect(refused).toEqual([]);
  });
});

describe('other answers', () => {
  it('a 400 naming no event, not about the token: the whole request is refused, in Snap\'s words, nothing marked refused', async () => {
    const snap = await snapAnswering(400, { status: 'INVALID', reason: 'The pixel id is not valid', errors: { error_msgs: ['pixel px-1'] } });
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows: outboundRows(8), batchSize: 8, maxInFlight: 1 });
    expect(result.error?.message).toBe('Snap refused the whole request (400: INVALID; The pixel id is not valid; pixel px-1), naming no event, so no event was marked refused and the run stopped; check pixel_id and the endpoint');
    expect(snap.requests()).toBe(1);
    expect(refused).toEqual([]);
  });

  it('a 400 naming an event is about that event, even when its words speak of permission: the event is isolated', async () => {
    const snap = await snapAnswering(400, { status: 'INVALID', reason: 'no permission to send this event', event: 0 });
    const { result, refused } = await deliverTo({ endpoint: snap.url, rows: outboundRows(1), batchSize: 1, maxInFlight: 1 });
    expect(result).toMatchObject({ outcome: 'done', sent: 0, refused: 1 });
    expect(refused.map((r) => [r.event.event_id, r.error.status, r.error.message])).toEqual([['ev-000000', 400, 'Snap answered 400: INVALID; no permission to send this event']]);
  });

  it('two or three events refused alike are each isolated; four or more answered alike in both halves are a refused request', async () => {
    const three = await snapAnswering(400, { status: 'INVALID', reason: 'bad value', event: 0 });
    const few = await deliverTo({ endpoint: three.url, rows: outboundRows(3), batchSize: 3, maxInFlight: 1 });
    expect(few.result).toMatchObject({ outcome: 'done', refused: 3 });
    const four = await snapAnswering(400, { status: 'INVALID', reason: 'bad value', event: 0 });
    const many = await deliverTo({ endpoint: four.url, rows: outboundRows(4), batchSize: 4, maxInFlight: 1 });
    expect(many.result.outcome).toBe('failed');
    expect(many.result.error?.message).toBe('Snap refused the whole request (400: INVALID; bad value), the same answer for both halves of a batch, so no event was marked refused and the run stopped; check pixel_id and the endpoint');
    expect(many.refused).toEqual([]);
    expect(four.requests()).toBe(3);
  });

  it.each([
    [502, '<html>Bad gateway</html>', 'Snap answered 502: <html>Bad gateway</html>'],
    [500, '', 'Snap answered 500: (empty body)'],
    [503, 'x'.repeat(300), `Snap answered 503: ${'x'.repeat(200)}`],
    [500, '"busy"', 'Snap answered 500: "busy"'],
  ])('a %i whose body is no JSON object: its text (at most 200 characters) in the error, after the retries', async (status, body, message) => {
    const snap = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'text/html' }).end(body));
    });
    await new Promise<void>((resolve) => snap.listen(0, '127.0.0.1', resolve));
    closing.push({ close: () => new Promise((resolve) => snap.close(resolve)) });
    let requests = 0;
    snap.on('request', () => requests++);
    const { result } = await deliverTo({ endpoint: `http://127.0.0.1:${(snap.address() as AddressInfo).port}`, rows: outboundRows(2), maxInFlight: 1, retry: { maxRetries: 1, minTimeout: 1, maxTimeout: 2, timeoutFactor: 2 } });
    expect(result.outcome).toBe('failed');
    expect(result.error?.message).toBe(`gave up after 2 attempts: ${message}`);
    expect(requests).toBe(2);
  });
});
