import type { LedgerEvent, Watermark } from './state.ts';

/** Writes what a run settled: the ledger's new events and the watermark, both or either. */
export type SaveCheckpoint = (events: LedgerEvent[], mark: Watermark | undefined) => Promise<void>;

/**
 * Gathers the events Snap settled (accepted, or refused on their own) and the watermark, and saves them
 * together at most every `intervalMs` (0: at every change) and once more at the end. On warehouses where
 * each write is slow or rate-limited (BigQuery allows a few DML per table at once) this keeps writes per
 * run small; a crash between saves re-sends the events accepted since the last one, with the same
 * event_id, which Snap deduplicates.
 */
export class Checkpoint {
  private events: LedgerEvent[] = [];
  private mark?: Watermark;
  private lastSave: number;

  constructor(private readonly save: SaveCheckpoint, private readonly intervalMs: number, private readonly now = () => Date.now()) {
    // The interval starts with the run: a run shorter than it writes once, at the end.
    this.lastSave = now();
  }

  /** Events Snap settled, in the order its answers came, and where the watermark may move now. */
  async add(events: LedgerEvent[], mark?: Watermark): Promise<void> {
    this.events.push(...events);
    if (mark) this.mark = mark;
    if (this.intervalMs === 0 || this.now() - this.lastSave >= this.intervalMs) await this.flush();
  }

  /** Saves what is not saved yet. */
  async flush(): Promise<void> {
    const events = this.events;
    const mark = this.mark;
    if (events.length === 0 && !mark) return;
    this.events = [];
    this.mark = undefined;
    try {
      await this.save(events, mark);
    } catch (error) {
      // Nothing was saved (one transaction) or only the ledger part: keep both for the next try.
      this.events = events.concat(this.events);
      this.mark ??= mark;
      throw error;
    }
    this.lastSave = this.now();
  }
}
