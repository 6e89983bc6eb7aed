import { alertOnChange, runWarnings } from '../alerts/alerts.ts';
import { SnapApiError, WarehouseError, errorMessage } from '../errors.ts';
import { viewNames } from '../render/views.ts';
import { snapMessage, tokenRefused } from '../snap/answers.ts';
import { MAX_PAYLOAD_BYTES } from '../snap/batches.ts';
import { SnapClient } from '../snap/client.ts';
import { deliver } from '../snap/deliver.ts';
import { describeRate } from '../snap/rate.ts';
import { Checkpoint } from '../state/checkpoint.ts';
import { formatWatermark, type ActivationState, type RunCounts, type RunStatus, type Watermark } from '../state/state.ts';
import type { Logger } from '../log.ts';
import { readSignal, whileHeld } from '../warehouse/types.ts';
import { inReasonOrder, merged, pendingRead, sendable, type ReadRow, type ReadTally } from './pending.ts';
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
  status: RunStatus;
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
  /** Run once the lock is held, with the fingerprint of the deployed views: throws when they are stale. */
  checkViews?: (deployed: string | null) => Promise<void>;
  /** Seconds between progress lines while the run lasts (0: none). */
  progressSeconds?: number;
}

/**
 * Sends one activation's new events, under the activation's lock: one streamed read (or one per
 * connection, warehouse.read_connections) of the events the ledger does not hold, from the watermark
 * less the look-back (see read_outbound). Every event Snap accepts or refuses goes into the ledger as it
 * answers. The read comes in no order, so the watermark moves once, at the end of a complete read with
 * every event settled: to the greatest place read, held-back rows included (they are counted once), but
 * for events in the future, which the look-back reads again. A run that stops before leaves the
 * watermark where it was; the ledger keeps its events from being sent again.
 */
export async function syncActivation(project: Project, name: string, target: SyncTarget, signals: SyncSignals, { prepare, checkViews, progressSeconds = 30 }: SyncActivationOptions = {}): Promise<ActivationResult> {
  const { warehouse: wh, state, log, config } = project;
  const a = config.activations[name];
  const snap = config.snapchat;
  const started = performance.now();
  const counts: RunCounts = { sent: 0, rejected_by_view: 0, rejected_by_snap: 0, retries: 0, batches: 0 };
  const result: ActivationResult = { activation: name, status: 'running', counts, heldBack: {}, warnings: [], before: null, after: null, seconds: 0 };

  const lock = await wh.tryLock(name);
  if (!lock) {
    const note = `another capi-sync is already syncing ${name} (it holds the lock for ${wh.schema}.${name}); this run was skipped and sent nothing: the events wait for that run or the next`;
    await state.recordRun(name, { status: 'skipped', before: null, after: null, note }).catch((error) => log.warn(`${name}: could not record the skipped run: ${errorMessage(error)}`));
    return { ...result, status: 'skipped', error: note, seconds: (performance.now() - started) / 1000 };
  }
  let current: ActivationState;
  try {
    await prepare?.();
    current = await state.read(name);
    await checkViews?.(current.viewsFingerprint);
  } catch (error) {
    await lock.release();
    throw error;
  }
  const client = new SnapClient({
    endpoint: target.endpoint, pixelId: a.pixel_id, token: target.token, testEventCode: a.test_event_code,
    timeout: snap.request_timeout_seconds * 1000, connections: snap.max_in_flight,
  });
  const ledgerDays = a.max_event_age_days + 1;
  let runId: string | undefined;
  let checkpoint: Checkpoint | undefined;
  let stopReporting = () => {};
  try {
    result.before = result.after = current.watermark;
    await state.closeAbandonedRuns(name);
    runId = await state.startRun(name, result.before);
    const id = runId;
    // One read: with the summary on, the held-back rows come too, with their reason (counted, not sent).
    const read = await pendingRead(project, name, current, { reasons: config.warehouse.held_back_summary, parts: readConnections(project, name) });
    if (read.lookbackNote) log.warn(`${name}: ${read.lookbackNote}`, { activation: name });
    const tally: ReadTally = { heldBack: {} };
    const streams = read.reads.map((r) => wh.stream(r.sql, r.params, { fetchSize: snap.batch_size, signal: readSignal(lock, signals.stop) }) as AsyncIterable<ReadRow[]>);
    const rows = sendable(whileHeld(merged(streams), lock), tally, read.cursor.kind);
    let sentSoFar = 0;
    stopReporting = reportProgress(log, name, progressSeconds, () => ({
      sent: sentSoFar, heldBack: Object.values(tally.heldBack).reduce((sum, n) => sum + n, 0), seconds: (performance.now() - started) / 1000,
    }));
    // Between saves, at most the events of the requests in flight wait (interval 0; with an interval, what it covers).
    const save = checkpoint = new Checkpoint((events, mark) => state.checkpoint(name, id, events, mark, ledgerDays), config.warehouse.checkpoint_seconds * 1000,
      config.warehouse.checkpoint_seconds === 0 ? snap.batch_size * snap.max_in_flight : Infinity);
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
      onSettled: async (accepted, _prefix, sent) => {
        sentSoFar = sent;
        await save.add(accepted.map((e) => ({ ...e, status: 'accepted' as const })));
      },
      onRefused: async (event, error) => {
        const message = snapMessage(error);
        log.warn(`${name}: Snap refused event ${event.event_id}: ${message}`, { activation: name, event_id: event.event_id });
        await state.recordDeliveryError({ run_id: id, activation: name, event_id: event.event_id, cursor: event.cursor, http_status: error.status, message });
        await save.add([{ ...event, status: 'refused' }]);
      },
      onRetry: (error, retry) => log.warn(
        `${name}: ${error.message}; retry ${retry.attempt} of ${snap.retry.max_retries} in ${duration(retry.delayMs)} (${retry.inFlightLimit} request(s) in flight at most)`,
        { activation: name, status: error.status || undefined, error_code: error.errorCode, attempt: retry.attempt, delay_ms: retry.delayMs, in_flight_limit: retry.inFlightLimit },
      ),
      onRate: (change) => log.info(`${name}: ${describeRate(change)}`, { activation: name, requests_per_second: change.rate }),
      stop: signals.stop,
      abort: signals.abort,
    });
    // Counted before the last saves, which can fail too (the warehouse went away): the run's record says what was sent.
    Object.assign(counts, { sent: delivery.sent, rejected_by_snap: delivery.refused, retries: delivery.retries, batches: delivery.batches });
    // Read to the end and everything settled: the watermark moves to the greatest place read.
    if (delivery.outcome === 'done' && tally.unplaced !== undefined) {
      log.warn(`${name}: the watermark stays where it is: the cursor value ${tally.unplaced} (${read.cursor.type}) has no place in the watermark order; use a timestamp, date, number or text cursor`, { activation: name });
    } else if (delivery.outcome === 'done' && tally.greatest) {
      result.after = tally.greatest;
      await save.add([], tally.greatest);
    }
    await save.flush();
    result.heldBack = inReasonOrder(Object.entries(tally.heldBack));
    counts.rejected_by_view = Object.values(result.heldBack).reduce((sum, n) => sum + n, 0);
    result.status = delivery.outcome === 'done' ? (delivery.refused > 0 ? 'partial' : 'ok') : delivery.outcome;
    if (delivery.error) result.error = explain(delivery.error, a.pixel_id, client.redactedUrl);
    else if (delivery.outcome === 'interrupted') result.error = `interrupted by ${stopReason(signals.stop)}; every event Snap accepted is in the ledger, and the next run sends the rest`;
    result.warnings = await runWarnings(project, result, (performance.now() - started) / 1000);
    await state.pruneLedger(name, config.warehouse.ledger_retention_days, current.ledgerPrunedAt)
      .catch((error) => log.warn(`${name}: could not remove ledger rows past ${config.warehouse.ledger_retention_days} days (the next run tries again): ${errorMessage(error)}`));
  } catch (error) {
    result.status = 'failed';
    result.error = explain(error, a.pixel_id, client.redactedUrl);
  } finally {
    stopReporting();
    // Whatever stopped the run, what Snap accepted goes into the ledger before the process ends.
    await checkpoint?.flush().catch((error) => {
      log.error(`${name}: could not save the ledger and watermark at the end: ${errorMessage(error)}; the next run may send the last accepted events again (Snap drops them by event_id)`);
    });
    result.seconds = (performance.now() - started) / 1000;
    // The run is recorded before the lock is given back: a runner that takes the lock next must not find
    // this run still `running` and mark it abandoned.
    if (runId) {
      await state.finishRun(runId, { status: result.status, counts, after: result.after, warnings: result.warnings, error: result.error })
        .catch((error) => log.error(`${name}: could not record the run: ${errorMessage(error)}`));
      await alertOnChange(project, result, runId);
    }
    await client.close();
    await lock.release();
  }
  return result;
}

/** Every `seconds` (0: never), one line on how far the run got; a run shorter than that prints none. */
function reportProgress(log: Logger, name: string, seconds: number, now: () => { sent: number; heldBack: number; seconds: number }): () => void {
  if (seconds <= 0) return () => {};
  const timer = setInterval(() => {
    const p = now();
    const fields = { activation: name, sent: p.sent, held_back: p.heldBack, seconds: Math.round(p.seconds) };
    log.info(p.sent === 0 && p.heldBack === 0
      ? `${name}: reading past the watermark, nothing sent yet (${Math.round(p.seconds)} s)`
      : `${name}: ${p.sent} event(s) sent so far (${Math.round(p.sent / p.seconds)}/s), ${p.heldBack} held back`, fields);
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** Connections that read one activation at once: warehouse.read_connections, where a split can reach the source's scan. */
function readConnections(project: Project, name: string): number {
  const w = project.config.warehouse;
  // The split is a hash of the cursor column; the default cursor (event_time) is computed in the view.
  return 'read_connections' in w && project.config.activations[name].cursor ? w.read_connections : 1;
}

/** One sentence a person can act on; names the pixel when the token was refused. */
function explain(error: unknown, pixelId: string, url: string): string {
  if (error instanceof SnapApiError && tokenRefused(error)) {
    return `Snap refused the access token for pixel ${pixelId} (${error.status}: ${snapMessage(error)}); the run stopped at once; what Snap accepted before is in the ledger. Check that SNAP_CAPI_TOKEN (snapchat.access_token) is a Conversions API token with access to pixel ${pixelId}, and that pixel_id is right (${url})`;
  }
  if (error instanceof SnapApiError && error.status === 200) {
    return `${error.message}; the batch does not count as sent: the next run sends it again`;
  }
  if (error instanceof SnapApiError) {
    return `${error.message}; what Snap accepted is in the ledger and the next run sends the rest (${url})`;
  }
  if (error instanceof WarehouseError) return `warehouse: ${error.message}; what Snap accepted is in the ledger and the next run sends the rest`;
  return errorMessage(error);
}

function stopReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'a stop request';
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

