import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Batcher, envelope } from '../../runner/snap/batches.ts';
import { outboundRows } from './deliver-support.ts';

const parse = (body: Buffer) => JSON.parse(body.toString('utf8')) as { data: unknown[]; test_event_code?: string };

describe('batches', () => {
  it('writes each batch as the request body, the payload texts unchanged, cut by events and by bytes', () => {
    const rows = outboundRows(250);
    rows[7].payload = JSON.stringify({ ...JSON.parse(rows[7].payload), note: 'Zoë ☕' }); // not ASCII: bytes ≠ characters
    const batcher = new Batcher(envelope(), 100, 1e6, 4);
    const batches = [...batcher.cut(rows), ...batcher.rest()];
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flatMap((b) => parse(b.body).data)).toEqual(rows.map((r) => JSON.parse(r.payload)));
    expect(batches[1].last()).toEqual({ event_id: rows[199].event_id, cursor: rows[199].cursor });

    const bytes = Buffer.byteLength(rows[0].payload) + 1;
    const bySize = new Batcher(envelope(), 100, bytes * 30, 4);
    expect([...bySize.cut(rows.slice(10, 100)), ...bySize.rest()].map((b) => b.length)).toEqual([30, 30, 30]);
  });

  it('cuts only full batches: rows after the last one wait for the next fetch, the rest at the end', () => {
    const rows = outboundRows(250);
    const batcher = new Batcher(envelope(), 100, 1e6, 4);
    expect(batcher.cut(rows.slice(0, 60))).toEqual([]);
    const [full] = batcher.cut(rows.slice(60, 130));
    expect(parse(full.body).data).toEqual(rows.slice(0, 100).map((r) => JSON.parse(r.payload)));
    expect(batcher.cut(rows.slice(130, 250)).map((b) => b.event(0).event_id)).toEqual([rows[100].event_id]);
    const [last] = batcher.rest();
    expect(parse(last.body).data).toEqual(rows.slice(200).map((r) => JSON.parse(r.payload)));
    expect(batcher.rest()).toEqual([]);
  });

  it('puts the test event code in the envelope and halves a batch into requests of their own', () => {
    const rows = outboundRows(5);
    const [batch] = new Batcher(envelope('TEST42'), 5, 1e6, 4).cut(rows);
    expect(parse(batch.body).test_event_code).toBe('TEST42');
    const right = batch.slice(2, 5);
    expect(parse(right.body)).toEqual({ data: rows.slice(2).map((r) => JSON.parse(r.payload)), test_event_code: 'TEST42' });
    expect(right.event(0)).toEqual({ event_id: rows[2].event_id, cursor: rows[2].cursor });
  });

  it('reuses a released body for a later batch without touching batches still held', () => {
    const batcher = new Batcher(envelope(), 10, 1e6, 1);
    const [first] = batcher.cut(outboundRows(10, 'a'));
    const [held] = batcher.cut(outboundRows(10, 'b'));
    const memory = first.body.buffer;
    first.release();
    const [reused] = batcher.cut(outboundRows(10, 'c'));
    expect(reused.body.buffer).toBe(memory);
    expect(held.body.buffer).not.toBe(memory);
    expect(parse(held.body).data).toEqual(outboundRows(10, 'b').map((r) => JSON.parse(r.payload)));
    expect(parse(reused.body).data).toEqual(outboundRows(10, 'c').map((r) => JSON.parse(r.payload)));
  });

  it('keeps of each event what the ledger records: its place, time, match keys and the SHA-256 of its JSON as posted', () => {
    const rows = outboundRows(3).map((r, i) => ({ ...r, event_time: 1_700_000_000 + i, match_keys: 'em,ph', past: i > 0 }));
    rows[1].payload = JSON.stringify({ ...JSON.parse(rows[1].payload), note: 'Zoë ☕' });
    const [batch] = new Batcher(envelope('T1'), 3, 1e6, 1).cut(rows);
    expect(batch.sent()).toEqual(rows.map((r) => ({
      event_id: r.event_id, cursor: r.cursor, event_time: r.event_time, match_keys: 'em,ph', past: r.past,
      payload_sha256: createHash('sha256').update(r.payload, 'utf8').digest('hex'),
    })));
    expect(batch.slice(1, 3).sent().map((e) => e.payload_sha256)).toEqual(batch.sent().slice(1).map((e) => e.payload_sha256));
  });

  it('an event larger than a request may carry goes alone, between full batches', () => {
    const rows = outboundRows(5);
    rows[2].payload = JSON.stringify({ ...JSON.parse(rows[2].payload), note: 'x'.repeat(5000) });
    const batcher = new Batcher(envelope(), 10, 2000, 2);
    const batches = [...batcher.cut(rows), ...batcher.rest()];
    expect(batches.map((b) => b.length)).toEqual([2, 1, 2]);
    expect(batches[1].event(0).event_id).toBe(rows[2].event_id);
    expect(batches.flatMap((b) => parse(b.body).data)).toEqual(rows.map((r) => JSON.parse(r.payload)));
  });

  it('a body past the first megabyte gets a buffer of its own size, reused for a batch that fits in it', () => {
    const rows = outboundRows(3).map((r, i) => ({ ...r, payload: JSON.stringify({ ...JSON.parse(r.payload), note: 'y'.repeat(700_000 + i) }) }));
    const batcher = new Batcher(envelope(), 3, 4e6, 2);
    const [big] = batcher.cut(rows);
    expect(big.body.length).toBeGreaterThan(2 ** 21);
    expect(big.body.buffer.byteLength).toBe(2 ** 22);
    expect(parse(big.body).data).toHaveLength(3);
    const memory = big.body.buffer;
    big.release();
    const [small] = batcher.cut(outboundRows(3, 's'));
    expect(small.body.buffer).toBe(memory);
  });
});
