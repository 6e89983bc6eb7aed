import { USER_DATA_KEYS } from '../render/fields.ts';
import type { Renderer } from '../render/render.ts';
import type { Row, Warehouse } from '../warehouse/types.ts';
import { numberOrNull } from './state.ts';

/** What an activation's runs of a period add up to (one bucket of start times, or the whole period). */
export interface RunFigures {
  /** The bucket's start, Unix seconds (a series only). */
  bucket_start?: number;
  runs: number;
  failed: number;
  /** Events Snap accepted. */
  sent: number;
  /** Rows the views held back past the watermark. */
  held_back: number;
  /** Events Snap refused on their own. */
  refused: number;
  retries: number;
  /** Seconds a run took, mean and longest (null: no run finished). */
  mean_seconds: number | null;
  max_seconds: number | null;
  /** Starts of the first and the last run, Unix seconds (null: no run). */
  first_start: number | null;
  last_start: number | null;
}

/** Match-key coverage of the events Snap accepted in a period, and the lag. */
export interface Coverage {
  /** Events accepted in the period (by when they were sent). */
  sent: number;
  /** Of those, how many carried each user_data key (every key of USER_DATA_KEYS, in its order). */
  keys: Record<string, number>;
  /** The newest event_time among them, Unix seconds; null when none was sent. */
  newest_event_time: number | null;
  /** The warehouse's clock, Unix seconds. */
  now: number;
}

/** One answer Snap gave to refused events. */
export interface Refusal {
  http_status: number | null;
  message: string;
  events: number;
  /** Unix seconds. */
  last_at: number | null;
  example_event_id: string | null;
}

export interface Refusals {
  /** Events refused in the period, all answers counted. */
  events: number;
  /** Distinct answers in the period; `top` holds the most frequent. */
  answers: number;
  top: Refusal[];
}

/**
 * What the runs, the ledger and the refused-events table tell of an activation over the last `days`
 * days, aggregated in the warehouse (macros/report_*): for `capi-sync report` and `status`.
 */
export class History {
  constructor(private readonly wh: Warehouse, private readonly r: Renderer) {}

  private async rows(macro: string, activation: string, context: Record<string, unknown>): Promise<Row[]> {
    const s = this.r.statement(macro, { schema: this.wh.schema, ...context }, { activation });
    return this.wh.query(s.sql, s.params);
  }

  /** The period's runs, all together. */
  async runTotals(activation: string, days: number): Promise<RunFigures> {
    const [row] = await this.rows('report_runs', activation, { days: wholeDays(days) });
    return runFigures(row ?? {});
  }

  /** The period's runs in buckets of `bucket` seconds of start time, oldest first (1: one run each). */
  async runSeries(activation: string, days: number, bucket: number): Promise<RunFigures[]> {
    const rows = await this.rows('report_runs', activation, { days: wholeDays(days), bucket: Math.max(1, Math.round(bucket)) });
    return rows.map(runFigures);
  }

  async coverage(activation: string, days: number): Promise<Coverage> {
    const [row] = await this.rows('report_coverage', activation, { days: wholeDays(days), keys: USER_DATA_KEYS });
    return {
      sent: Number(row.sent),
      keys: Object.fromEntries(USER_DATA_KEYS.map((key) => [key, Number(row[`has_${key}`] ?? 0)])),
      newest_event_time: numberOrNull(row.newest_event_time),
      now: Number(row.now_seconds),
    };
  }

  /** The most frequent `limit` answers Snap gave to the events it refused. */
  async refusals(activation: string, days: number, limit = 20): Promise<Refusals> {
    const rows = await this.rows('report_refusals', activation, { days: wholeDays(days), limit: Math.max(1, Math.round(limit)) });
    return {
      events: Number(rows[0]?.events_in_all ?? 0),
      answers: Number(rows[0]?.answers ?? 0),
      top: rows.map((row) => ({
        http_status: numberOrNull(row.http_status), message: String(row.message ?? ''), events: Number(row.events),
        last_at: numberOrNull(row.last_at), example_event_id: row.example_event_id == null ? null : String(row.example_event_id),
      })),
    };
  }
}

/** The lag: how old the newest sent event is, in seconds (null: none sent in the period). */
export function lagSeconds(c: Coverage): number | null {
  return c.newest_event_time === null ? null : c.now - c.newest_event_time;
}

function runFigures(row: Row): RunFigures {
  const n = (key: string) => Number(row[key] ?? 0);
  return {
    ...(row.bucket_start === undefined ? {} : { bucket_start: Number(row.bucket_start) }),
    runs: n('runs'), failed: n('failed'), sent: n('sent'), held_back: n('held_back'), refused: n('refused'), retries: n('retries'),
    mean_seconds: numberOrNull(row.mean_seconds), max_seconds: numberOrNull(row.max_seconds),
    first_start: numberOrNull(row.first_start), last_start: numberOrNull(row.last_start),
  };
}

/** `days` goes into the SQL as written: a whole number of days, 1 or more. */
function wholeDays(days: number): number {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days: ${days} is not a whole number of days (1 or more)`);
  return days;
}
