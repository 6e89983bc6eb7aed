import { hash } from 'node:crypto';

/** Snap's limit, and a body size kept under 4 MB with room for the envelope. */
export const MAX_EVENTS_PER_REQUEST = 2000;
export const MAX_PAYLOAD_BYTES = 4_000_000 - 1024;

/** One row of the runner's read: `payload` is the event's JSON text, sent as it is. */
export interface OutboundRow extends EventRef {
  payload: string;
}

/**
 * An event as the runner keeps it once its JSON is in a request body: its place in the watermark order
 * (what the watermark and the refused-events table keep) and what the ledger records of it.
 */
export interface EventRef {
  event_id: string;
  cursor: string;
  /** Unix seconds, as sent. */
  event_time?: number | string | null;
  /** The user_data keys the event carries, comma-separated (em,ph,...): the report's match-key coverage. */
  match_keys?: string | null;
  /** Past the watermark the run started from (false: read again within the look-back). */
  past?: boolean;
}

/** An event Snap accepted, as the ledger records it. */
export interface SentEvent extends EventRef {
  /** SHA-256 of the event's JSON exactly as posted, lower-case hex. */
  payload_sha256: string;
}

/** The JSON around a request's events: `{"data":[` … `]}`, with the test event code when there is one. */
export interface Envelope {
  open: string;
  close: string;
}

export function envelope(testEventCode?: string): Envelope {
  return { open: '{"data":[', close: testEventCode ? `],"test_event_code":${JSON.stringify(testEventCode)}}` : ']}' };
}

/**
 * A request ready to post. The events' JSON texts are written into its body, as the view gave them,
 * when the rows are read: the rows (and their payload strings) die young instead of waiting in memory
 * for the batch's answer, and a long run's memory stays flat. Only each event's id and cursor are kept
 * as strings, for the watermark and to name an event Snap refuses.
 */
export class Batch {
  constructor(
    /** The whole request body; events are at `starts[i]` up to the comma (or the envelope's close). */
    private readonly buffer: Buffer,
    private readonly size: number,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly refs: EventRef[],
    private readonly envelope: Envelope,
    private readonly pool?: BufferPool,
  ) {}

  get length(): number {
    return this.refs.length;
  }

  get body(): Buffer {
    return this.buffer.subarray(0, this.size);
  }

  event(i: number): EventRef {
    return this.refs[i];
  }

  last(): EventRef {
    return this.refs[this.refs.length - 1];
  }

  /** The events with the SHA-256 of their JSON as posted; read before the body is released. */
  sent(): SentEvent[] {
    return this.refs.map((r, i) => ({
      event_id: r.event_id, cursor: r.cursor, event_time: r.event_time, match_keys: r.match_keys, past: r.past,
      payload_sha256: hash('sha256', this.buffer.subarray(this.starts[i], this.ends[i])),
    }));
  }

  /** Events `from` to `to` (excluded) as a request of their own: how a refused batch is halved. */
  slice(from: number, to: number): Batch {
    const texts = Array.from({ length: to - from }, (_, i) => this.buffer.subarray(this.starts[from + i], this.ends[from + i]));
    return write(texts, this.refs.slice(from, to), this.envelope);
  }

  /** The body's memory goes back to the pool for a later batch; the batch is not used after this. */
  release(): void {
    this.pool?.give(this.buffer);
  }
}

/**
 * Cuts fetched rows into batches of at most `size` events and `maxBytes` bytes of payload, each written
 * at once. A batch is only cut when full; the rows after the last full one wait for the next fetch (or
 * `rest()` at the end), so fetches thinned by held-back rows still make full requests.
 */
export class Batcher {
  private readonly pool: BufferPool;
  private waiting: OutboundRow[] = [];

  /** `keep`: bodies kept for reuse, at least the batches held at once. */
  constructor(private readonly envelope: Envelope, private readonly size: number, private readonly maxBytes: number, keep: number) {
    this.pool = new BufferPool(keep);
  }

  /** The full batches these rows (after those waiting) make. */
  cut(fetched: OutboundRow[]): Batch[] {
    const rows = this.waiting.length > 0 ? this.waiting.concat(fetched) : fetched;
    const batches: Batch[] = [];
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      const cost = Buffer.byteLength(rows[i].payload) + 1;
      if (i > start && (i - start >= this.size || bytes + cost > this.maxBytes)) {
        batches.push(this.write(rows, start, i, bytes));
        start = i;
        bytes = 0;
      }
      bytes += cost;
    }
    if (rows.length - start >= this.size) {
      batches.push(this.write(rows, start, rows.length, bytes));
      start = rows.length;
    }
    this.waiting = rows.slice(start);
    return batches;
  }

  /** The last batch: the rows still waiting once the read is over. */
  rest(): Batch[] {
    const rows = this.waiting;
    this.waiting = [];
    return rows.length > 0 ? [this.write(rows, 0, rows.length)] : [];
  }

  private write(rows: OutboundRow[], from: number, to: number, payloadBytes?: number): Batch {
    const slice = rows.slice(from, to);
    // Written out, not spread: every ref gets the same shape (V8 gave each spread copy a map of its own,
    // ~150 bytes more per event held).
    const refs = slice.map((r): EventRef => ({ event_id: r.event_id, cursor: r.cursor, event_time: r.event_time, match_keys: r.match_keys, past: r.past }));
    return write(slice.map((r) => r.payload), refs, this.envelope, this.pool, payloadBytes);
  }
}

function write(texts: (string | Buffer)[], refs: EventRef[], envelope: Envelope, pool?: BufferPool, payloadBytes?: number): Batch {
  payloadBytes ??= texts.reduce((sum, t) => sum + (typeof t === 'string' ? Buffer.byteLength(t) : t.length) + 1, 0);
  const bytes = envelope.open.length + envelope.close.length + payloadBytes;
  const buffer = pool ? pool.take(bytes) : Buffer.allocUnsafe(bytes);
  const starts = new Uint32Array(texts.length);
  const ends = new Uint32Array(texts.length);
  let at = buffer.write(envelope.open, 0);
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) at += buffer.write(',', at);
    starts[i] = at;
    const text = texts[i];
    at += typeof text === 'string' ? buffer.write(text, at) : text.copy(buffer, at);
    ends[i] = at;
  }
  at += buffer.write(envelope.close, at);
  return new Batch(buffer, at, starts, ends, refs, envelope, pool);
}

/** Request bodies not in use. Sizes are powers of two from 1 MB, so one fits most later batches. */
class BufferPool {
  private readonly free: Buffer[] = [];
  constructor(private readonly keep: number) {}

  take(bytes: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= bytes);
    if (i >= 0) return this.free.splice(i, 1)[0];
    return Buffer.allocUnsafe(Math.max(1 << 20, 2 ** Math.ceil(Math.log2(bytes))));
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
    this.free.sort((a, b) => b.length - a.length);
    this.free.length = Math.min(this.free.length, this.keep);
  }
}
