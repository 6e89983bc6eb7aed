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
  outbound: OutboundRow[] = [];
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
      match: /^select cursor, event_id from \S+ where activation = \?$/i,
      answer: ([activation]) => {
        const row = this.state.get(String(activation));
        return rows([['cursor', 'text'], ['event_id', 'text']], row ? [[row.cursor, row.event_id]] : []);
      },
    },
    {
      match: /^merge into \S+ as s using \(select \? as activation, \? as cursor, \? as event_id\) as w/i,
      answer: ([activation, cursor, eventId]) => {
        Object.assign(this.row(String(activation)), { cursor, event_id: eventId });
        return { kind: 'dml', statement: 'merge', count: 1 };
      },
    },
    { match: /^insert into \S*capi_sync_(runs|delivery_errors)\W/i, answer: () => ({ kind: 'dml', statement: 'insert', count: 1 }) },
    { match: /^update \S*capi_sync_runs\W/i, answer: () => ({ kind: 'dml', statement: 'update', count: 1 }) },
    {
      match: /^select \S+ as reason, count\(\*\) as n from \S+_rejected\W/i,
      answer: () => rows([['reason', 'text'], ['n', 'integer']], this.rejected.map((r) => [r.reason, r.n])),
    },
    {
      match: /\bfrom \S+_outbound\W/i,
      answer: (params) => rows([['event_id', 'text'], ['cursor', 'text'], ['payload', 'text']], this.outbound.filter(after(params)).map((r) => [r.event_id, r.cursor, r.payload])),
    },
    {
      // The sync's read with the held-back summary: the held-back rows (cursor 0, before the events) come too.
      match: /\bfrom \S+_prepared\W/i,
      answer: (params) => {
        const held = this.rejected.flatMap(({ reason, n }) => Array.from({ length: n }, (_, i) => ({ event_id: `held-${reason}-${i}`, cursor: '0', payload: null, reason })));
        const all = [...held, ...this.outbound.map((r) => ({ ...r, reason: null }))];
        return rows([['event_id', 'text'], ['cursor', 'text'], ['payload', 'text'], ['reason', 'text']], all.filter(after(params)).map((r) => [r.event_id, r.cursor, r.payload, r.reason]));
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

/** Rows past the watermark given as read_outbound's parameters (all rows without them). */
function after(params: unknown[]): (row: { cursor: string; event_id: string }) => boolean {
  const [cursor, , eventId] = params.map(String);
  return (r) => params.length === 0 || compare(r.cursor, cursor) > 0 || (compare(r.cursor, cursor) === 0 && r.event_id > eventId);
}

/** Cursors compare as numbers when both are numbers, else as text (enough for the tests' cursors). */
function compare(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
