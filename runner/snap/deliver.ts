import { setTimeout as sleep } from 'node:timers/promises';
import { SnapApiError } from '../errors.ts';
import { Batcher, type Batch, type Envelope, type EventRef, type OutboundRow, type SentEvent } from './batches.ts';
import { eventsRefused, requestRefused, sameRefusal, tooLarge } from './answers.ts';
import { Pace } from './pace.ts';
import { Rate, type RateChange } from './rate.ts';
import { isRetryable, retryAfterMs, retryDelay, type RetryOptions } from './retry.ts';

export interface DeliveryOptions {
  /** Posts one request; resolves on 200 VALID, throws SnapApiError otherwise. */
  send(batch: Batch, signal: AbortSignal): Promise<void>;
  /** What the requests put around the events (SnapClient.envelope). */
  envelope: Envelope;
  /** Events per request (≤ 2,000) and bytes of payload per request. */
  batchSize: number;
  maxBytes: number;
  /**
   * Batches held at once (memory: at most this many batches plus one fetch of rows) and the most
   * requests in flight; fewer requests after a 429, 5xx or dropped connection, more after successes.
   */
  maxInFlight: number;
  retry: RetryOptions;
  /**
   * Called one at a time, in the order Snap's answers come, for each batch that is done: the events Snap
   * accepted (the batch, or the parts of it that were accepted when it was refused, stopped or failed),
   * and, when the batch completed a longer contiguous prefix of accepted batches, the last event of that
   * prefix (what the watermark may move to) with the number of events accepted so far.
   */
  onSettled(accepted: SentEvent[], prefix: EventRef | undefined, sent: number): Promise<void>;
  /** An event Snap refused on its own (found by splitting a 400 batch). */
  onRefused(event: EventRef, error: SnapApiError): Promise<void>;
  onRetry?(error: SnapApiError, retry: { attempt: number; delayMs: number; inFlightLimit: number }): void;
  /** The number of requests allowed in flight changed. */
  onLimit?(limit: number): void;
  /** A 429 lowered the request rate, or the rate climbed back to near what Snap accepted (see Rate). */
  onRate?(change: RateChange): void;
  /** Stop reading and retrying; requests in flight finish. */
  stop: AbortSignal;
  /** Abandon requests in flight (the grace period after stop is over). */
  abort: AbortSignal;
}

export interface DeliveryResult {
  outcome: 'done' | 'interrupted' | 'failed';
  /** Events Snap accepted (a batch re-sent after a lost answer counts once). */
  sent: number;
  refused: number;
  batches: number;
  requests: number;
  retries: number;
  /** The last event of the accepted prefix, if it moved. */
  last?: EventRef;
  error?: Error;
}

/** Raised inside a batch when the run stopped (signal or another batch's failure) before it was accepted. */
class Halted extends Error {}

/**
 * Sends rows in batches, several in flight, and reports the accepted prefix in order: a batch's
 * success moves the watermark only once every batch before it is accepted too. Batches accepted past
 * the prefix are the ones a crash re-sends, so reading stops while 2 × maxInFlight batches are open.
 */
export async function deliver(rows: AsyncIterable<OutboundRow[]>, o: DeliveryOptions): Promise<DeliveryResult> {
  const result: DeliveryResult = { outcome: 'done', sent: 0, refused: 0, batches: 0, requests: 0, retries: 0 };
  const failed = new AbortController();
  // After a failure or a stop no request starts and no retry waits; requests in flight finish.
  const halt = AbortSignal.any([o.stop, failed.signal]);
  const pace = new Pace(o.maxInFlight, o.onLimit);
  const rate = new Rate(o.onRate);
  const window = 2 * o.maxInFlight;
  const inFlight = new Set<Promise<void>>();
  const done = new Map<number, EventRef>();
  const batcher = new Batcher(o.envelope, o.batchSize, o.maxBytes, window + 1);
  const envelopeBytes = Buffer.byteLength(o.envelope.open) + Buffer.byteLength(o.envelope.close);
  const requestLimit = o.maxBytes + envelopeBytes;
  let nextSeq = 0;
  let prefixSeq = 0;
  let progress = Promise.resolve();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    failed.abort(error);
  };

  // One batch, retried per the retry policy; each try waits for a slot, then for its turn at the
  // learned rate (a slot first: the rate counts a request from when it really starts), earlier batches first.
  const attempt = async (seq: number, batch: Batch): Promise<void> => {
    for (let retry = 1; ; retry++) {
      const ticket = await pace.acquire(seq, halt).catch(() => {
        throw new Halted();
      });
      const turn = await rate.acquire(seq, halt).catch(() => {
        pace.release(ticket, 'other');
        throw new Halted();
      });
      let error: unknown;
      result.requests++;
      // Counted as it is sent: a retry planned when the run stopped or failed never happened.
      if (retry > 1) result.retries++;
      try {
        await o.send(batch, o.abort);
        pace.release(ticket, 'ok');
        rate.release(turn, 'ok');
        return;
      } catch (caught) {
        error = caught;
        const retryable = caught instanceof SnapApiError && isRetryable(caught.status, caught.errorCode);
        pace.release(ticket, retryable ? 'slow-down' : 'other');
        const tooMany = caught instanceof SnapApiError && caught.status === 429;
        rate.release(turn, tooMany ? 'too-many' : 'other', tooMany ? retryAfterMs(caught.retryAfter, o.retry) : undefined);
      }
      if (o.abort.aborted) throw new Halted();
      if (!(error instanceof SnapApiError)) throw error;
      const delayMs = retryDelay({ attempt: retry, status: error.status, errorCode: error.errorCode, retryAfter: error.retryAfter }, o.retry);
      if (delayMs === null) {
        if (!isRetryable(error.status, error.errorCode)) throw error;
        throw new SnapApiError(`gave up after ${retry} attempts: ${error.message}`, { status: error.status, retryable: false, errorCode: error.errorCode, body: error.body, cause: error });
      }
      if (halt.aborted) throw new Halted();
      o.onRetry?.(error, { attempt: retry, delayMs, inFlightLimit: pace.limit });
      await sleep(delayMs, undefined, { signal: halt }).catch(() => {});
      // A stop or a failure during the wait starts no new try (and counts no retry).
      if (halt.aborted) throw new Halted();
    }
  };

  // Callbacks run one at a time, in the order they are queued; a failing one fails the run.
  let queued = 0;
  const queue = (callback: () => Promise<void>) => {
    queued++;
    progress = progress.then(callback).catch((error: Error) => fail(error)).finally(() => queued--);
  };

  // Posts a batch; what Snap accepts goes into `accepted`, digests read at once (the body goes back to
  // the pool when the batch is done). Answers Snap's refusal of events in it (to isolate); throws anything else.
  const post = async (seq: number, batch: Batch, accepted: SentEvent[]): Promise<SnapApiError | undefined> => {
    try {
      await attempt(seq, batch);
    } catch (error) {
      return eventsRefused(error);
    }
    result.sent += batch.length;
    accepted.push(...batch.sent());
    return undefined;
  };

  // A refused batch is halved until each refused event stands alone; the rest is sent.
  const isolate = async (seq: number, batch: Batch, refusal: SnapApiError, accepted: SentEvent[]): Promise<void> => {
    if (batch.length === 1) {
      await o.onRefused(batch.event(0), refusal);
      result.refused++;
      return;
    }
    const half = Math.ceil(batch.length / 2);
    const parts = [batch.slice(0, half), batch.slice(half, batch.length)];
    const answers = [await post(seq, parts[0], accepted), await post(seq, parts[1], accepted)];
    // Halves of two events or more answered alike are not two events refused alike, but one request refused.
    if (answers[0] && answers[1] && batch.length >= 4 && sameRefusal(answers[0], answers[1])) {
      throw requestRefused(answers[0], 'the same answer for both halves of a batch');
    }
    for (let i = 0; i < 2; i++) if (answers[i]) await isolate(seq, parts[i], answers[i]!, accepted);
  };

  const send = async (seq: number, batch: Batch, accepted: SentEvent[]): Promise<void> => {
    // An event too large for any request is refused here, not posted alone to be refused by Snap.
    if (batch.length === 1 && batch.body.length > requestLimit) {
      await o.onRefused(batch.event(0), tooLarge(batch.body.length - envelopeBytes, o.maxBytes));
      result.refused++;
      return;
    }
    const refusal = await post(seq, batch, accepted);
    if (refusal) await isolate(seq, batch, refusal, accepted);
  };

  const complete = (seq: number, last: EventRef, accepted: SentEvent[]) => {
    done.set(seq, last);
    let advanced: EventRef | undefined;
    while (done.has(prefixSeq)) {
      advanced = done.get(prefixSeq);
      done.delete(prefixSeq++);
    }
    if (advanced) result.last = advanced;
    const sent = result.sent;
    if (advanced || accepted.length > 0) queue(() => o.onSettled(accepted, advanced, sent));
  };

  const launch = (batch: Batch) => {
    const seq = nextSeq++;
    const accepted: SentEvent[] = [];
    result.batches++;
    const task = send(seq, batch, accepted).then(
      () => complete(seq, batch.last(), accepted),
      (error: Error) => {
        // Parts of a split batch Snap accepted before it stopped are settled all the same.
        const sent = result.sent;
        if (accepted.length > 0) queue(() => o.onSettled(accepted, undefined, sent));
        if (!(error instanceof Halted)) fail(error);
      },
    ).finally(() => batch.release());
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  // Each batch waits for a slot and for the window; false once the run halted.
  const launchAll = async (batches: Batch[]): Promise<boolean> => {
    for (const batch of batches) {
      while (inFlight.size > 0 && !halt.aborted && (inFlight.size >= o.maxInFlight || nextSeq - prefixSeq >= window)) {
        await Promise.race(inFlight);
      }
      // Sending stays within a window of the callbacks (the ledger's saves): what a crash can send again
      // is bounded, whatever the warehouse's speed.
      while (queued > window && !halt.aborted) await progress;
      if (halt.aborted) return false;
      launch(batch);
    }
    return true;
  };

  try {
    // Each fetch is written into request bodies at once, before waiting for a slot: the rows are not kept
    // (but for a last partial batch's, which wait for the next fetch).
    let reading = true;
    for await (const chunk of rows) {
      reading = await launchAll(batcher.cut(chunk));
      if (!reading) break;
    }
    if (reading) await launchAll(batcher.rest());
  } catch (error) {
    fail(error as Error);
  }
  await Promise.all(inFlight);
  await progress;
  if (failure) return { ...result, outcome: 'failed', error: failure };
  if (o.stop.aborted) return { ...result, outcome: 'interrupted' };
  return result;
}
