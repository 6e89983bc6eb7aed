import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SnapApiError } from '../../runner/errors.ts';
import { MAX_PAYLOAD_BYTES, type EventRef, type OutboundRow } from '../../runner/snap/batches.ts';
import { SnapClient } from '../../runner/snap/client.ts';
import { deliver, type DeliveryOptions, type DeliveryResult } from '../../runner/snap/deliver.ts';
import { purchase, TOKEN } from '../sandbox-helpers.ts';

/** Rows as the outbound view gives them: valid events, cursors in watermark order. */
export function outboundRows(count: number, prefix = 'ev'): OutboundRow[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(6, '0')}`;
    return { event_id: id, cursor: String(i).padStart(6, '0'), payload: JSON.stringify(purchase(id)) };
  });
}

/** A row's place in the watermark order, as deliver() reports it. */
export const ref = ({ event_id, cursor }: OutboundRow): EventRef => ({ event_id, cursor });

/** Streams rows in fetches, like Warehouse.stream; `pulled` counts the rows handed out so far. */
export function streamOf(rows: OutboundRow[], fetchSize: number, onFetch?: (pulledBefore: number) => void): AsyncIterable<OutboundRow[]> {
  return (async function* () {
    for (let i = 0; i < rows.length; i += fetchSize) {
      onFetch?.(i);
      yield rows.slice(i, i + fetchSize);
    }
  })();
}

export interface Delivered {
  result: DeliveryResult;
  /** Every prefix mark reported, in order. */
  marks: EventRef[];
  refused: { event: EventRef; error: SnapApiError }[];
  /** Requests in flight when each request started (itself included). */
  concurrency: number[];
}

export interface DeliverRun extends Partial<Omit<DeliveryOptions, 'send' | 'envelope'>> {
  endpoint: string;
  rows: OutboundRow[] | AsyncIterable<OutboundRow[]>;
  token?: string;
  /** Client timeout per request, ms. */
  timeout?: number;
  /** Watches each request as it starts. */
  onSend?(inFlight: number): void;
  /** True to answer this request with 503 (Retry-After: 60) before it leaves, e.g. only the first one. */
  failFirst?(): boolean;
}

/** deliver() with the real SnapClient posting over a real socket; small retry timeouts. */
export async function deliverTo(run: DeliverRun): Promise<Delivered> {
  const { endpoint, rows, token = TOKEN, timeout = 2000, onSend, failFirst, ...options } = run;
  const client = new SnapClient({ endpoint, pixelId: 'pixel-1', token, timeout, connections: options.maxInFlight ?? 4 });
  const marks: EventRef[] = [];
  const refused: Delivered['refused'] = [];
  const concurrency: number[] = [];
  let inFlight = 0;
  const batchSize = options.batchSize ?? 100;
  try {
    const result = await deliver(Array.isArray(rows) ? streamOf(rows, batchSize) : rows, {
      envelope: client.envelope,
      send: async (batch, signal) => {
        if (failFirst?.()) throw new SnapApiError('Snap answered 503: busy', { status: 503, retryable: true, retryAfter: '60' });
        concurrency.push(++inFlight);
        onSend?.(inFlight);
        try {
          await client.send(batch, signal);
        } finally {
          inFlight--;
        }
      },
      batchSize,
      maxBytes: MAX_PAYLOAD_BYTES,
      maxInFlight: 4,
      retry: { maxRetries: 10, minTimeout: 2, maxTimeout: 20, timeoutFactor: 2 },
      onSettled: async (_, last) => {
        if (last) marks.push(last);
      },
      onRefused: async (event, error) => {
        refused.push({ event, error });
      },
      stop: new AbortController().signal,
      abort: new AbortController().signal,
      ...options,
    });
    return { result, marks, refused, concurrency };
  } finally {
    await client.close();
  }
}

/** A server that answers every POST the same way: for answers the sandbox does not give. */
export async function answering(status: number, body: unknown): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Event ids the sandbox accepted, in arrival order. */
export function acceptedIds(events: unknown[]): string[] {
  return events.map((event) => (event as { event_id: string }).event_id);
}
