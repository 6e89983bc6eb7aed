import type { LedgerEvent, Watermark } from './state.ts';

/** Writes what a run settled: the ledger's new events and the watermark, both or either. */
export type SaveCheckpoint = (events: LedgerEvent[], mark: Watermark | undefined) => Promise<void>;


/**
 * Gathers the events Snap settled (accepted, or refused on their own) and the watermark, and saves them
 * together at most every `intervalMs` (0: as soon as the save before is done) and once more at the end.
 * One save at a time: what settles while one runs goes into the next, so a warehouse slower than Snap
 * gets fewer, larger writes instead of a queue. On warehouses where each write is slow or rate-limited
 * (BigQuery allows a few DML per table at once) the interval keeps writes per run few; a crash between
 * saves re-sends the events accepted since the last one, with the same event_id, which Snap deduplicates.
 */
export class Checkpoint {
  private events: LedgerEvent[] = [];
  private mark?: Watermark;
  private lastSave: number;
  /** The save in progress, if any. */
  private saving?: Promise<void>;
  /** A save that failed, reported by the next call. */
  private failure?: unknown;

  /**
   * `maxWaiting`: events waiting for a save past which `add` waits for the save in progress, so that
   * what a crash could send again stays bounded (the events of the requests in flight, say).
   */
  constructor(private readonly save: SaveCheckpoint, private readonly intervalMs: number, private readonly maxWaiting = Infinity, private readonly now = () => Date.now()) {
    // The interval starts with the run: a run shorter than it writes once, at the end.
    this.lastSave = now();
  }

  /** Events Snap settled, in the order its answers came, and where the watermark may move now. */
  async add(events: LedgerEvent[], mark?: Watermark): Promise<void> {
    this.rethrow();
    this.events.push(...events);
    if (mark) this.mark = mark;
    if (this.saving) {
      if (this.events.length >= this.maxWaiting) await this.saving;
      return;
    }
    if (this.intervalMs === 0 || this.now() - this.lastSave >= this.intervalMs) this.start();
  }

  /** Saves what is not saved yet, after the save in progress; throws if a save failed. */
  async flush(): Promise<void> {
    for (;;) {
      while (this.saving) await this.saving;
      this.rethrow();
      if (this.events.length === 0 && !this.mark) return;
      this.start();
    }
  }

  private start(): void {
    const events = this.events;
    const mark = this.mark;
    this.events = [];
    this.mark = undefined;
    this.saving = this.save(events, mark).then(
      () => {
        this.lastSave = this.now();
        this.saving = undefined;
        // What settled meanwhile goes at once when there is no interval to wait for.
        if (this.intervalMs === 0 && (this.events.length > 0 || this.mark)) this.start();
      },
      (error: unknown) => {
        // Nothing was saved (one transaction) or only the ledger part: keep both for the next try.
        this.events = events.concat(this.events);
        this.mark ??= mark;
        this.failure = error;
        this.saving = undefined;
      },
    );
  }

  private rethrow(): void {
    if (this.failure === undefined) return;
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }
}
