/**
 * What the Snowflake and BigQuery stand-ins answer: not a SQL engine, but the handful of statements the
 * runner sends (lease, watermark, runs, the outbound and rejected views), recognised by their text and
 * answered from small in-memory tables, plus rules a test adds. Every statement is logged, so a test
 * can count the queries a run made. The stand-ins only put these answers on each driver's wire format.
 */

export type ColumnType = 'text' | 'integer' | 'float' | 'boolean' | 'timestamp' | 'json';
export type Cell = string | number | boolean | Date | null | Record<string, unknown>;
export interface Table {
  columns: { name: string; type: ColumnType }[];
  rows: Cell[][];
}
export type Answer =
  | { kind: 'rows'; table: Table }
  | { kind: 'dml'; statement: 'insert' | 'update' | 'merge'; count: number }
  | { kind: 'ddl' }
  | { kind: 'error'; message: string }
  /** Never answered: for timeouts. */
  | { kind: 'hang' };

export interface Rule {
  match: RegExp;
  answer(params: unknown[], sql: string): Answer;
}

interface StateRow {
  cursor: string | null;
  event_id: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  views_fingerprint?: string | null;
  alert_status?: string | null;
}

/** A row of the ledger, as the runner's MERGE writes it. */
export interface LedgerRow {
  activation: string;
  event_id: string;
  cursor: string;
  status: string;
  run_id: string;
  payload_sha256: string | null;
}

export interface OutboundRow {
  event_id: string;
  cursor: string;
  payload: string;
}

export class FakeWarehouse {
  /** Every statement received, in order, whitespace collapsed. */
  readonly log: { sql: string; params: unknown[]; at: number }[] = [];
  readonly state = new Map<string, StateRow>();
  readonly ledger: LedgerRow[] = [];
  outbound: OutboundRow[] = [];
  /** The type of the prepared view's cursor column, as the runner's probe of it is answered. */
  cursorType: ColumnType = 'text';
  rejected: { reason: string; n: number }[] = [];
  /** Checked before the built-in statements. */
  readonly rules: Rule[] = [];
  clock = () => Date.now();

  answer(rawSql: string, params: unknown[]): Answer {
    const sql = rawSql.replace(/\s+/g, ' ').trim();
    this.log.push({ sql, params, at: this.clock() });
    for (const rule of [...this.rules, ...this.builtIn]) {
      if (rule.match.test(sql)) return rule.answer(params, sql);
    }
    return { kind: 'error', message: `SQL compilation error: the stand-in does not know this statement: ${sql.slice(0, 80)}` };
  }

  /** Statements whose text matches `pattern`. */
  count(pattern: RegExp): number {
    return this.log.filter((s) => pattern.test(s.sql)).length;
  }

  private row(activation: string): StateRow {
    let row = this.state.get(activation);
    if (!row) this.state.set(activation, (row = { cursor: null, event_id: null, lease_owner: null, lease_expires_at: null }));
    return row;
  }

  private readonly builtIn: Rule[] = [
    {
      match: /^update \S+ set lease_owner = \?, lease_expires_at = .* where activation = \? and \(lease_owner is null or lease_expires_at < current_timestamp\(\)\)$/i,
      answer: ([owner, activation], sql) => {
        const row = this.state.get(String(activation));
        const free = row && (row.lease_owner === null || (row.lease_expires_at ?? 0) < this.clock());
        if (row && free) Object.assign(row, { lease_owner: owner, lease_expires_at: this.clock() + leaseSeconds(sql) * 1000 });
        return { kind: 'dml', statement: 'update', count: free ? 1 : 0 };
      },
    },
    {
      match: /^merge into \S+ as s using \(select \? as activation\) as w on s.activation = w.activation when not matched then insert \(activation, lease_owner, lease_expires_at\)/i,
      answer: ([activation, owner], sql) => {
        if (this.state.has(String(activation))) return { kind: 'dml', statement: 'merge', count: 0 };
        Object.assign(this.row(String(activation)), { lease_owner: owner, lease_expires_at: this.clock() + leaseSeconds(sql) * 1000 });
        return { kind: 'dml', statement: 'merge', count: 1 };
      },
    },
    {
      match: /^update \S+ set lease_expires_at = .* where activation = \? and lease_owner = \?$/i,
      answer: ([activation, owner], sql) => {
        const row = this.state.get(String(activation));
        const mine = row?.lease_owner === owner;
        if (mine) row!.lease_expires_at = this.clock() + leaseSeconds(sql) * 1000;
        return { kind: 'dml', statement: 'update', count: mine ? 1 : 0 };
      },
    },
    {
      match: /^update \S+ set lease_owner = null, lease_expires_at = null where activation = \? and lease_owner = \?$/i,
      answer: ([activation, owner]) => {
        const row = this.state.get(String(activation));
        const mine = row?.lease_owner === owner;
        if (mine) Object.assign(row!, { lease_owner: null, lease_expires_at: null });
        return { kind: 'dml', statement: 'update', count: mine ? 1 : 0 };
      },
    },
    {
      match: /^select cursor, event_id, views_fingerprint, ledger_pruned_at from \S+ where activation = \?$/i,
      answer: ([activation]) => {
        const row = this.state.get(String(activation));
        return rows([['cursor', 'text'], ['event_id', 'text'], ['views_fingerprint', 'text'], ['ledger_pruned_at', 'timestamp']], row ? [[row.cursor, row.event_id, row.views_fingerprint ?? null, null]] : []);
      },
    },
    {
      match: /^merge into \S+ as s using \(select \? as activation, \? as cursor, \? as event_id\) as w/i,
      answer: ([activation, cursor, eventId]) => {
        Object.assign(this.row(String(activation)), { cursor, event_id: eventId });
        return { kind: 'dml', statement: 'merge', count: 1 };
      },
    },
    {
      match: /^merge into \S+ as s using \(select \? as activation, \? as views_fingerprint\) as w/i,
      answer: ([activation, fingerprint]) => {
        this.row(String(activation)).views_fingerprint = String(fingerprint);
        return { kind: 'dml', statement: 'merge', count: 1 };
      },
    },
    {
      // The warning rules' facts from the runs: none is kept here, so no earlier run is known.
      match: /^select .* as now_seconds, min\(.*\) as first_run_at, max\(.*\) as last_sent_at from \S*capi_sync_runs\W/i,
      answer: () => rows([['now_seconds', 'integer'], ['first_run_at', 'integer'], ['last_sent_at', 'integer']], [[Math.floor(this.clock() / 1000), null, null]]),
    },
    {
      match: /^select alert_status, .* as changed_at from \S+ where activation = \?$/i,
      answer: ([activation]) => {
        const row = this.state.get(String(activation));
        return rows([['alert_status', 'text'], ['changed_at', 'integer']], row ? [[row.alert_status ?? null, null]] : []);
      },
    },
    {
      match: /^merge into \S+ as s using \(select \? as activation, \? as alert_status\) as w/i,
      answer: ([activation, status]) => {
        this.row(String(activation)).alert_status = String(status);
        return { kind: 'dml', statement: 'merge', count: 1 };
      },
    },
    // The ledger prune's time stamp, and the prune itself.
    { match: /^merge into \S+ as s using \(select \? as activation\) as w on s.activation = w.activation when matched then update set ledger_pruned_at/i, answer: () => ({ kind: 'dml', statement: 'merge', count: 1 }) },
    { match: /^delete from \S*capi_sync_ledger\W.* sent_at < /i, answer: () => ({ kind: 'dml', statement: 'update', count: 0 }) },
    {
      // The checkpoint's ledger rows: parameters events (JSON), activation, activation, run_id.
      match: /^merge into \S*capi_sync_ledger\W/i,
      answer: ([events, activation, , runId]) => {
        const fresh = (JSON.parse(String(events)) as LedgerRow[]).filter((e) => !this.ledger.some((l) => l.activation === activation && l.event_id === e.event_id));
        this.ledger.push(...fresh.map((e) => ({ ...e, activation: String(activation), run_id: String(runId) })));
        return { kind: 'dml', statement: 'merge', count: fresh.length };
      },
    },
    { match: /^insert into \S*capi_sync_(runs|delivery_errors)\W/i, answer: () => ({ kind: 'dml', statement: 'insert', count: 1 }) },
    { match: /^update \S*capi_sync_runs\W/i, answer: () => ({ kind: 'dml', statement: 'update', count: 1 }) },
    {
      match: /^select \S+ as reason, count\(\*\) as n from \S+_rejected\W/i,
      answer: () => rows([['reason', 'text'], ['n', 'integer']], this.rejected.map((r) => [r.reason, r.n])),
    },
    {
      // The adapters' own tests read the outbound view whole.
      match: /\bfrom \S+_outbound\W/i,
      answer: () => rows([['event_id', 'text'], ['cursor', 'text'], ['payload', 'text']], this.outbound.map((r) => [r.event_id, r.cursor, r.payload])),
    },
    {
      // The runner's probe of the cursor's type (a BigQuery dry run, a Snowflake select of no rows).
      match: /^select (\* from \(select )?\W?cursor\W? from \S+_prepared\W/i,
      answer: () => rows([['cursor', this.cursorType]], []),
    },
    {
      // The sync's read: the events (and the held-back rows, cursor 0, before them) past the saved
      // watermark, or from the scan start its look-back filter names, that the ledger does not hold;
      // `past` says which are past the watermark. The activation is its last parameter.
      match: /\bfrom \S+_prepared\W/i,
      answer: (params, sql) => {
        const activation = String(params.at(-1));
        const mark = after(this.state.get(activation));
        const start = scanStartOf(sql, params);
        const held = this.rejected.flatMap(({ reason, n }) => Array.from({ length: n }, (_, i) => ({ event_id: `held-${reason}-${i}`, cursor: '0', payload: null, reason })));
        const sent = new Set(this.ledger.filter((l) => l.activation === activation).map((l) => l.event_id));
        const all = [...held, ...this.outbound.map((r) => ({ ...r, reason: null }))]
          .filter((r) => (start === undefined ? mark(r) : compare(r.cursor, start) >= 0) && !sent.has(r.event_id))
          .sort((x, y) => compare(x.cursor, y.cursor) || (x.event_id < y.event_id ? -1 : 1));
        const columns: [string, ColumnType][] = [['event_id', 'text'], ['cursor', 'text'], ['payload', 'text'], ['reason', 'text'], ['event_time', 'integer'], ['match_keys', 'text'], ['past', 'integer']];
        return rows(columns, all.map((r) => [r.event_id, r.cursor, r.payload, r.reason, 1, 'em', mark(r) ? 1 : 0]));
      },
    },
    { match: /^(create|drop|alter) /i, answer: () => ({ kind: 'ddl' }) },
  ];
}

export function rows(columns: [string, ColumnType][], data: Cell[][]): Answer {
  return { kind: 'rows', table: { columns: columns.map(([name, type]) => ({ name, type })), rows: data } };
}

function leaseSeconds(sql: string): number {
  return Number(/(?:dateadd\(second, |interval )(\d+)/i.exec(sql)?.[1] ?? 0);
}

/** Rows past a saved watermark (all rows without one). */
function after(mark: { cursor: string | null; event_id: string | null } | undefined): (row: { cursor: string; event_id: string }) => boolean {
  if (!mark || mark.cursor === null) return () => true;
  const [cursor, eventId] = [String(mark.cursor), String(mark.event_id)];
  return (r) => compare(r.cursor, cursor) > 0 || (compare(r.cursor, cursor) === 0 && r.event_id > eventId);
}

/**
 * The scan start of a read with the look-back (`where v.cursor >= <the value, typed as the cursor>
 * and ...`): the parameter at that `?`. Undefined for a read past the watermark.
 */
function scanStartOf(sql: string, params: unknown[]): string | undefined {
  const filter = /\swhere v\.\S+ >= (cast\(\? as \w+\)|to_\w+\(\?, 'AUTO'\)|\?) and /i.exec(sql);
  if (!filter) return undefined;
  const at = filter.index + filter[0].indexOf('?');
  return String(params[sql.slice(0, at).split('?').length - 1]);
}

/** Cursors compare as numbers when both are numbers, else as text (enough for the tests' cursors). */
function compare(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
