/** What the sandbox has seen since it started or was last reset; served at `GET /_sandbox/stats`. */
export interface SandboxStats {
  /** POST requests to `/v3/...`, whatever their answer (faults and rate-limited ones included). */
  requests: number;
  /** Events answered 200 VALID, duplicates included. */
  accepted: number;
  /** Distinct `event_id`s among the accepted events (0 when ids are not tracked). */
  unique_event_ids: number;
  /** Accepted events whose `event_id` had been accepted before; Snap would drop them as duplicates. */
  duplicates: number;
  /** Answers by HTTP status; faults without a status count as `reset` and `timeout`. */
  by_status: Record<string, number>;
  /** Largest `data` array seen in one request. */
  max_events_per_request: number;
  /** Largest request body seen, in bytes. */
  max_request_bytes: number;
  /** When the first and the last API request arrived, in ms since the epoch; null before any (how fast a run went, as Snap saw it). */
  first_request_at: number | null;
  last_request_at: number | null;
}

/** An event as accepted, with the pixel it was sent to. */
export interface AcceptedEvent {
  pixelId: string;
  event: unknown;
}

export interface EventStore {
  /** Records one API request and the size of its body. */
  seeRequest(bytes: number): void;
  seeBatch(eventCount: number): void;
  answered(status: number | 'reset' | 'timeout'): void;
  /** Keeps a whole batch; `keepObjects: false` only counts it (fastAccept). */
  accept(pixelId: string, events: readonly unknown[], keepObjects: boolean): void;
  events(pixelId?: string): unknown[];
  stats(): SandboxStats;
  reset(): void;
}

export function createStore(trackIds: boolean): EventStore {
  let kept: AcceptedEvent[] = [];
  let ids = new Set<string>();
  let stats = emptyStats();
  return {
    seeRequest(bytes) {
      stats.requests++;
      stats.last_request_at = Date.now();
      stats.first_request_at ??= stats.last_request_at;
      stats.max_request_bytes = Math.max(stats.max_request_bytes, bytes);
    },
    seeBatch(eventCount) {
      stats.max_events_per_request = Math.max(stats.max_events_per_request, eventCount);
    },
    answered(status) {
      const key = String(status);
      stats.by_status[key] = (stats.by_status[key] ?? 0) + 1;
    },
    accept(pixelId, events, keepObjects) {
      stats.accepted += events.length;
      for (const event of events) {
        if (keepObjects) kept.push({ pixelId, event });
        if (!trackIds) continue;
        const id = (event as { event_id?: unknown }).event_id;
        if (typeof id !== 'string') continue;
        if (ids.has(id)) stats.duplicates++;
        else ids.add(id);
      }
      stats.unique_event_ids = ids.size;
    },
    events(pixelId) {
      return kept.filter((record) => pixelId === undefined || record.pixelId === pixelId).map((record) => record.event);
    },
    stats() {
      return { ...stats, by_status: { ...stats.by_status } };
    },
    reset() {
      kept = [];
      ids = new Set();
      stats = emptyStats();
    },
  };
}

function emptyStats(): SandboxStats {
  return { requests: 0, accepted: 0, unique_event_ids: 0, duplicates: 0, by_status: {}, max_events_per_request: 0, max_request_bytes: 0, first_request_at: null, last_request_at: null };
}
