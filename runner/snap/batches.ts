import type { OutboundRow } from './deliver.ts';

/** Snap's limit, and a body size kept under 4 MB with room for the envelope. */
export const MAX_EVENTS_PER_REQUEST = 2000;
export const MAX_PAYLOAD_BYTES = 4_000_000 - 1024;

/** Cuts rows into batches of at most `size` events and `maxBytes` bytes of payload. */
export function* toBatches(rows: OutboundRow[], size: number, maxBytes: number): Generator<OutboundRow[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    const cost = Buffer.byteLength(rows[i].payload) + 1;
    if (i > start && (i - start >= size || bytes + cost > maxBytes)) {
      yield rows.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += cost;
  }
  if (start < rows.length) yield rows.slice(start);
}
