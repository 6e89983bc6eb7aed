import { setTimeout as sleep } from 'node:timers/promises';
import { SnapApiError } from '../errors.ts';
import { toBatches } from './batches.ts';
import { retryDelay, type RetryOptions } from './retry.ts';

/** One row of the outbound view: `payload` is the event's JSON text, sent as it is. */
export interface OutboundRow {
  event_id: string;
  cursor: string;
  payload: string;
}

export interface DeliveryOptions {
  /** Posts one request; resolves on 200 VALID, throws SnapApiError otherwise. */
  send(payloads: string[], signal: AbortSignal): Promise<void>;
  /** Events per request (≤ 2,000) and bytes of payload per request. */
  batchSize: number;
  maxBytes: number;
  /** Requests in flight at most; halved after a 429, raised by one after a run of successes. */
  maxInFlight: number;
  retry: RetryOptions;
  /** Called, one at a time and in order, with the last row of the accepted prefix as it grows. */
  onProgress(last: OutboundRow): Promise<void>;
  /** An event Snap refused on its own (found by splitting a 400 batch). */
  onRefused(row: OutboundRow, error: SnapApiError): Promise<void>;
  onRetry?(error: SnapApiError, delayMs: number): void;
  /** Stop reading and retrying; requests in flight finish. */
  stop: AbortSignal;
  /** Abandon requests in flight (the grace period after stop is over). */
  abort: AbortSignal;
}

export interface DeliveryResult {
  outcome: 'done' | 'interrupted' | 'failed';
  sent: number;
  refused: number;
  batches: number;
  requests: number;
  retries: number;
  /** The last row of the accepted prefix, if it moved. */
  last?: OutboundRow;
  error?: Error;
}

/** Raised inside a batch when the run was asked to stop before that batch was accepted. */
class Stopped extends Error {}

/** After this many successes in a row, one more request may be in flight. */
const RAISE_AFTER = 8;

/**
 * Sends rows in batches, several in flight, and reports the accepted prefix in order: a batch's
 * success moves the watermark only once every batch before it is accepted too.
 */
export async function deliver(rows: AsyncIterable<OutboundRow[]>, o: DeliveryOptions): Promise<DeliveryResult> {
  const result: DeliveryResult = { outcome: 'done', sent: 0, refused: 0, batches: 0, requests: 0, retries: 0 };
  let limit = o.maxInFlight;
  let successes = 0;
  let failure: Error | undefined;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const finished = new Map<number, OutboundRow>();
  let nextSeq = 0;
  let prefixSeq = 0;
  let progress = Promise.resolve();

  const attempt = async (batch: OutboundRow[]): Promise<void> => {
    for (let retry = 1; ; retry++) {
      if (o.stop.aborted) throw new Stopped();
      result.requests++;
      try {
        await o.send(batch.map((r) => r.payload), o.abort);
        if (++successes >= RAISE_AFTER && limit < o.maxInFlight) {
          limit++;
          successes = 0;
        }
        return;
      } catch (error) {
        if (!(error instanceof SnapApiError) || !error.retryable) throw error;
        if (o.abort.aborted) throw new Stopped();
        successes = 0;
        if (error.status === 429) limit = Math.max(1, Math.floor(limit / 2));
        const delay = retryDelay({ attempt: retry, status: error.status || undefined, errorCode: error.errorCode, retryAfter: error.retryAfter }, o.retry);
        if (delay === null) throw new SnapApiError(`gave up after ${retry} attempts: ${error.message}`, { status: error.status, retryable: false, cause: error });
        result.retries++;
        o.onRetry?.(error, delay);
        await sleep(delay, undefined, { signal: o.stop }).catch(() => {});
      }
    }
  };

  // A refused batch is halved until each refused event stands alone; the rest is sent.
  const send = async (batch: OutboundRow[]): Promise<void> => {
    try {
      await attempt(batch);
      result.sent += batch.length;
    } catch (error) {
      if (!(error instanceof SnapApiError) || !splittable(error.status)) throw error;
      if (batch.length === 1) {
        await o.onRefused(batch[0], error);
        result.refused++;
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await send(batch.slice(0, half));
      await send(batch.slice(half));
    }
  };

  const complete = (seq: number, last: OutboundRow) => {
    finished.set(seq, last);
    let advanced: OutboundRow | undefined;
    while (finished.has(prefixSeq)) {
      advanced = finished.get(prefixSeq);
      finished.delete(prefixSeq++);
    }
    if (advanced) {
      const mark = advanced;
      result.last = mark;
      progress = progress.then(() => o.onProgress(mark)).catch((error) => {
        failure ??= error;
      });
    }
  };

  const launch = (batch: OutboundRow[]) => {
    const seq = nextSeq++;
    result.batches++;
    const task = send(batch).then(
      () => complete(seq, batch[batch.length - 1]),
      (error) => {
        if (error instanceof Stopped) stopped = true;
        else failure ??= error;
      },
    );
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  try {
    reading: for await (const chunk of rows) {
      for (const batch of toBatches(chunk, o.batchSize, o.maxBytes)) {
        while (inFlight.size >= limit && !failure) await Promise.race(inFlight);
        if (failure || o.stop.aborted) break reading;
        launch(batch);
      }
    }
  } catch (error) {
    failure ??= error as Error;
  }
  await Promise.all(inFlight);
  await progress;
  if (failure) return { ...result, outcome: 'failed', error: failure };
  if (stopped || o.stop.aborted) return { ...result, outcome: 'interrupted' };
  return result;
}

/** 400 (a refused event) and 413 (too large) are answered by splitting the batch. */
function splittable(status: number): boolean {
  return status === 400 || status === 413;
}
