import type { Watermark } from './state.ts';

/**
 * Saves the watermark at most every `intervalMs` (0: every time) and once more at the end. On
 * warehouses where each write is slow or rate-limited (BigQuery allows a few DML per table at once)
 * this keeps writes per run small; a crash between saves re-sends events with the same event_id,
 * which Snap deduplicates.
 */
export class Checkpoint {
  private saved?: Watermark;
  private pending?: Watermark;
  private lastSave: number;

  constructor(private readonly save: (mark: Watermark) => Promise<void>, private readonly intervalMs: number, private readonly now = () => Date.now()) {
    // The interval starts with the run: a run shorter than it writes the watermark once, at the end.
    this.lastSave = now();
  }

  async maybeSave(mark: Watermark): Promise<void> {
    this.pending = mark;
    if (this.intervalMs === 0 || this.now() - this.lastSave >= this.intervalMs) await this.flush();
  }

  /** Saves the latest watermark if it was not saved yet. */
  async flush(): Promise<void> {
    const mark = this.pending;
    if (!mark || mark === this.saved) return;
    await this.save(mark);
    this.saved = mark;
    this.lastSave = this.now();
  }
}
