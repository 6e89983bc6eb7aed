import { createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Answer, Cell, ColumnType, FakeWarehouse } from './fake-warehouse.ts';

/**
 * Snowflake's REST protocol as snowflake-sdk 3.x speaks it, on 127.0.0.1: login (password or key-pair
 * JWT), query-request with binds, results inline or in chunks downloaded separately, the 333333
 * "still running" answer, session delete. Answers come from a FakeWarehouse.
 */
export interface SnowflakeStandinOptions {
  engine: FakeWarehouse;
  account: string;
  user: string;
  password?: string;
  /** Accept key-pair logins signed by this key's private half. */
  publicKey?: KeyObject | string;
  /** Rows in the query answer itself and in each chunk after it; default 1,000. */
  chunkRows?: number;
  /** Answer each query first with 333333 (still running), so the driver polls. */
  slowQueries?: boolean;
}

export interface SnowflakeStandin {
  url: string;
  /** Method and path of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<ColumnType, string> = { text: 'text', integer: 'fixed', float: 'real', boolean: 'boolean', timestamp: 'timestamp_ltz', json: 'variant' };
const STATEMENT_TYPE = { select: 0x1000, insert: 0x3100, update: 0x3200, merge: 0x3400, ddl: 0x6100 };

export async function startSnowflakeStandin(o: SnowflakeStandinOptions): Promise<SnowflakeStandin> {
  const tokens = new Set<string>();
  const chunks = new Map<string, string>();
  const pending = new Map<string, Answer>();
  const hanging = new Set<ServerResponse>();
  const requests: string[] = [];
  let base = '';

  const login = (data: Record<string, string>): boolean => {
    if (data.ACCOUNT_NAME?.toUpperCase() !== o.account.toUpperCase() || data.LOGIN_NAME !== o.user) return false;
    if (data.AUTHENTICATOR === 'SNOWFLAKE_JWT') return o.publicKey !== undefined && validJwt(data.TOKEN, o.publicKey, `${o.account}.${o.user}`.toUpperCase());
    return o.password !== undefined && data.PASSWORD === o.password;
  };

  const result = (answer: Answer, res: ServerResponse) => {
    const queryId = randomUUID();
    if (answer.kind === 'hang') return void hanging.add(res);
    if (answer.kind === 'error') {
      return send(res, { success: false, code: '002003', message: answer.message, data: { sqlState: '42S02', queryId } });
    }
    const common = { queryId, queryResultFormat: 'json', version: 1, parameters: [{ name: 'TIMEZONE', value: 'UTC' }] };
    if (answer.kind === 'ddl') {
      return send(res, { success: true, data: { ...common, statementTypeId: STATEMENT_TYPE.ddl, rowtype: [column('status', 'text')], rowset: [['Statement executed successfully.']], total: 1, returned: 1 } });
    }
    if (answer.kind === 'dml') {
      const names = answer.statement === 'merge' ? ['number of rows inserted', 'number of rows updated'] : [`number of rows ${answer.statement}d`];
      const rowset = [names.map((_, i) => String(i === 0 ? answer.count : 0))];
      return send(res, { success: true, data: { ...common, statementTypeId: STATEMENT_TYPE[answer.statement], rowtype: names.map((n) => column(n, 'integer')), rowset, total: 1, returned: 1 } });
    }
    const { columns, rows } = answer.table;
    const size = o.chunkRows ?? 1000;
    const wire = rows.map((row) => row.map((cell, i) => encode(cell, columns[i].type)));
    const chunkList: { url: string; rowCount: number; uncompressedSize: number; compressedSize: number }[] = [];
    for (let start = size; start < wire.length; start += size) {
      const id = `${queryId}/${chunkList.length}`;
      const text = wire.slice(start, start + size).map((r) => JSON.stringify(r)).join(',');
      chunks.set(id, text);
      chunkList.push({ url: `${base}/chunks/${id}`, rowCount: Math.min(size, wire.length - start), uncompressedSize: text.length, compressedSize: text.length });
    }
    send(res, {
      success: true,
      data: { ...common, statementTypeId: STATEMENT_TYPE.select, rowtype: columns.map((c) => column(c.name, c.type)), rowset: wire.slice(0, size), total: wire.length, returned: wire.length, chunks: chunkList.length > 0 ? chunkList : undefined },
    });
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const body = await readBody(req);
    if (url.pathname === '/session/v1/login-request') {
      if (!login(body.data ?? {})) return send(res, { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: null });
      const token = randomUUID();
      tokens.add(token);
      return send(res, { success: true, data: { token, masterToken: randomUUID(), validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: 1, parameters: [{ name: 'TIMEZONE', value: 'UTC' }] } });
    }
    if (url.pathname.startsWith('/chunks/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(chunks.get(url.pathname.slice('/chunks/'.length)) ?? '');
    }
    const token = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token)) return send(res, { success: false, code: '390104', message: 'Authentication token has expired or is invalid.', data: null });
    if (url.pathname === '/session') return send(res, { success: true, data: null });
    if (url.pathname === '/telemetry/send') return send(res, { success: true, data: null });
    if (url.pathname === '/queries/v1/query-request') {
      const params = Object.keys(body.bindings ?? {}).sort((a, b) => Number(a) - Number(b)).map((k) => decodeBind(body.bindings[k]));
      const answer = o.engine.answer(String(body.sqlText), params);
      if (!o.slowQueries) return result(answer, res);
      const id = randomUUID();
      pending.set(id, answer);
      return send(res, { success: true, code: '333333', message: 'still running', data: { queryId: id, getResultUrl: `/queries/${id}/result` } });
    }
    const polled = /^\/queries\/([^/]+)\/result$/.exec(url.pathname)?.[1];
    if (polled && pending.has(polled)) return result(pending.get(polled)!, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function column(name: string, type: ColumnType) {
  return { name, type: TYPES[type], nullable: true, scale: type === 'timestamp' ? 9 : 0, precision: 38, length: null, byteLength: null };
}

/** Snowflake's JSON result format: every value a string; timestamps as epoch seconds with 9 decimals. */
function encode(cell: Cell, type: ColumnType): string | null {
  if (cell === null) return null;
  if (type === 'timestamp') {
    const ms = (cell as Date).getTime();
    return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
  }
  if (type === 'boolean') return cell ? '1' : '0';
  if (type === 'json') return JSON.stringify(cell);
  return String(cell);
}

function decodeBind(bind: { type: string; value: string | null }): unknown {
  if (bind.value === null) return null;
  if (bind.type === 'FIXED' || bind.type === 'REAL') return Number(bind.value);
  if (bind.type === 'BOOLEAN') return bind.value === 'true';
  return bind.value;
}

function validJwt(token: string | undefined, key: KeyObject | string, subject: string): boolean {
  const [header, payload, signature] = (token ?? '').split('.');
  if (!signature) return false;
  const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), typeof key === 'string' ? createPublicKey(key) : key, Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub?: string; exp?: number };
  return ok && claims.sub === subject && (claims.exp ?? 0) * 1000 > Date.now();
}

async function readBody(req: IncomingMessage): Promise<any> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  let raw = Buffer.concat(parts);
  if (raw.length === 0) return {};
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  return JSON.parse(raw.toString('utf8'));
}

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
