import { alertOnChange, runWarnings } from '../alerts/alerts.ts';
import { SnapApiError, WarehouseError, errorMessage } from '../errors.ts';
import { viewNames } from '../render/views.ts';
import { snapMessage, tokenRefused } from '../snap/answers.ts';
import { MAX_PAYLOAD_BYTES } from '../snap/batches.ts';
import { SnapClient } from '../snap/client.ts';
import { deliver } from '../snap/deliver.ts';
import { Checkpoint } from '../state/checkpoint.ts';
import { formatWatermark, type RunCounts, type RunStatus, type Watermark } from '../state/state.ts';
import type { Logger } from '../log.ts';
import { inReasonOrder, sendable, type ReadRow } from './counts.ts';
import type { Project } from './project.ts';
import type { SyncTarget } from './target.ts';

export interface SyncSignals {
  /** Stop reading: batches in flight finish, the watermark is saved. */
  stop: AbortSignal;
  /** Abandon batches in flight (the grace period is over). */
  abort: AbortSignal;
}

export interface ActivationResult {
  activation: string;
  status: RunStatus | 'locked';
  counts: RunCounts;
  heldBack: Record<string, number>;
  warnings: string[];
  before: Watermark | null;
  after: Watermark | null;
  seconds: number;
  error?: string;
}


export interface SyncActivationOptions {
  /** Run once the lock is held, before anything is read (run's deploy). */
  prepare?: () => Promise<void>;
  /** Seconds between progress lines while the run lasts (0: none). */
  progressSeconds?: number;
}

/**
 * Sends one activation's new events: one streamed read past the watermark (see read_outbound), under
 * the activation's lock.
 */
export async function syncActivation(project: Project, name: string, target: SyncTarget, signals: SyncSignals, { prepare, progressSeconds = 30 }: SyncActivationOptions = {}): Promise<ActivationResult> {
  const { warehouse: wh, renderer: r, state, log, config } = project;
  const a = config.activations[name];
  const snap = config.snapchat;
  const started = performance.now();
  const counts: RunCounts = { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 };
  const result: ActivationResult = { activation: name, status: 'running', counts, heldBack: {}, warnings: [], before: null, after: null, seconds: 0 };

  const lock = await wh.tryLock(name);
  if (!lock) {
    return { ...result, status: 'locked', error: `another capi-sync is already syncing ${name} (it holds the lock for ${wh.schema}.${name}); this run sent nothing, and the events wait for that run or the next` };
  }
  try {
    await prepare?.();
  } catch (error) {
    await lock.release();
    throw error;
  }
  const client = new SnapClient({
    endpoint: target.endpoint, pixelId: a.pixel_id, token: target.token, testEventCode: a.test_event_code,
    timeout: snap.request_timeout_seconds * 1000, connections: snap.max_in_flight,
  });
  let runId: string | undefined;
  let stopReporting = () => {};
  try {
    result.before = result.after = await state.watermark(name);
    await state.closeAbandonedRuns(name);
    runId = await state.startRun(name, result.before);
    // One read: with the summary on, the prepared view's rows past the watermark, held-back ones with
    // their reason (counted here, not sent); with it off, the outbound view's.
    const summary = config.warehouse.held_back_summary;
    const views = viewNames(name);
    const after = result.before;
    const sql = r.macro('read_outbound', { schema: wh.schema, view: summary ? views.prepared : views.outbound, after: Boolean(after), reasons: summary });
    const params = after ? [after.cursor, after.cursor, after.event_id] : [];
    const held: Record<string, number> = {};
    const rows = sendable(wh.stream(sql, params, { fetchSize: snap.batch_size, signal: signals.stop }) as AsyncIterable<ReadRow[]>, held);
    const id = runId;
    let sentSoFar = 0;
    stopReporting = reportProgress(log, name, progressSeconds, () => ({
      sent: sentSoFar, heldBack: Object.values(held).reduce((sum, n) => sum + n, 0), after: result.after, seconds: (performance.now() - started) / 1000,
    }));
    const checkpoint = new Checkpoint((mark) => state.saveWatermark(name, mark), config.warehouse.checkpoint_seconds * 1000);
    const delivery = await deliver(rows, {
      send: (batch, signal) => client.send(batch, signal),
      envelope: client.envelope,
      batchSize: snap.batch_size,
      maxBytes: MAX_PAYLOAD_BYTES,
      maxInFlight: snap.max_in_flight,
      retry: {
        maxRetries: snap.retry.max_retries, minTimeout: snap.retry.min_timeout,
        maxTimeout: snap.retry.max_timeout, timeoutFactor: snap.retry.timeout_factor,
      },
      onProgress: async (last, sent) => {
        sentSoFar = sent;
        result.after = { cursor: last.cursor, event_id: last.event_id };
        await checkpoint.maybeSave(result.after);
      },
      onRefused: async (event, error) => {
        const message = snapMessage(error);
        log.warn(`${name}: Snap refused event ${event.event_id}: ${message}`, { activation: name, event_id: event.event_id });
        await state.recordDeliveryError({ run_id: id, activation: name, event_id: event.event_id, cursor: event.cursor, http_status: error.status, message });
      },
      onRetry: (error, retry) => log.warn(
        `${name}: ${error.message}; retry ${retry.attempt} of ${snap.retry.max_retries} in ${duration(retry.delayMs)} (${retry.inFlightLimit} request(s) in flight at most)`,
        { activation: name, status: error.status || undefined, error_code: error.errorCode, attempt: retry.attempt, delay_ms: retry.delayMs, in_flight_limit: retry.inFlightLimit },
      ),
      stop: signals.stop,
      abort: signals.abort,
    });
    await checkpoint.flush();
    result.heldBack = inReasonOrder(Object.entries(held));
    counts.rejected_by_view = Object.values(result.heldBack).reduce((sum, n) => sum + n, 0);
    Object.assign(counts, { sent: delivery.sent, rejected_by_snap: delivery.refused, retries: delivery.retries, batches: delivery.batches });
    result.status = delivery.outcome === 'done' ? (delivery.refused > 0 ? 'partial' : 'ok') : delivery.outcome;
    if (delivery.error) result.error = explain(delivery.error, a.pixel_id, client.redactedUrl);
    else if (delivery.outcome === 'interrupted') result.error = `interrupted by ${stopReason(signals.stop)}; the watermark is saved at the last accepted batch and the next run resumes from there`;
    result.warnings = await runWarnings(project, result, (performance.now() - started) / 1000);
  } catch (error) {
    result.status = 'failed';
    result.error = explain(error, a.pixel_id, client.redactedUrl);
  } finally {
    stopReporting();
    result.seconds = (performance.now() - started) / 1000;
    if (runId) {
      await state.finishRun(runId, { status: result.status as RunStatus, counts, after: result.after, warnings: result.warnings, error: result.error })
        .catch((error) => log.error(`${name}: could not record the run: ${errorMessage(error)}`));
      await alertOnChange(project, result, runId);
    }
    await client.close();
    await lock.release();
  }
  return result;
}

/** Every `seconds` (0: never), one line on how far the run got; a run shorter than that prints none. */
function reportProgress(log: Logger, name: string, seconds: number, now: () => { sent: number; heldBack: number; after: Watermark | null; seconds: number }): () => void {
  if (seconds <= 0) return () => {};
  const timer = setInterval(() => {
    const p = now();
    const watermark = formatWatermark(p.after);
    const fields = { activation: name, sent: p.sent, held_back: p.heldBack, seconds: Math.round(p.seconds), watermark };
    log.info(p.sent === 0 && p.heldBack === 0
      ? `${name}: reading past the watermark, nothing sent yet (${Math.round(p.seconds)} s)`
      : `${name}: ${p.sent} event(s) sent so far (${Math.round(p.sent / p.seconds)}/s), ${p.heldBack} held back; watermark at ${watermark ?? 'start'}`, fields);
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** One sentence a person can act on; names the pixel when the token was refused. */
function explain(error: unknown, pixelId: string, url: string): string {
  if (error instanceof SnapApiError && tokenRefused(error)) {
    return `Snap refused the access token for pixel ${pixelId} (${error.status}: ${snapMessage(error)}); the run stopped at once with the watermark at the last accepted batch. Check that SNAP_CAPI_TOKEN (snapchat.access_token) is a Conversions API token with access to pixel ${pixelId}, and that pixel_id is right (${url})`;
  }
  if (error instanceof SnapApiError && error.status === 200) {
    return `${error.message}; the batch does not count as sent, the watermark stays at the last accepted batch and the next run re-sends from there`;
  }
  if (error instanceof SnapApiError) {
    return `${error.message}; the watermark stays at the last accepted batch and the next run resumes from there (${url})`;
  }
  if (error instanceof WarehouseError) return `warehouse: ${error.message}`;
  return errorMessage(error);
}

function stopReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'a stop request';
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

