import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answer, Cell, ColumnType, FakeWarehouse } from './fake-warehouse.ts';

/**
 * BigQuery's REST API as @google-cloud/bigquery 8.x calls it, on 127.0.0.1: jobs.query (the first page
 * inline), getQueryResults (pages by token, maxResults rows each), jobs.insert (dry runs and jobs),
 * jobs.get, jobs.cancel; typed positional parameters; DML counts; errors as Google API errors.
 * Answers come from a FakeWarehouse.
 */
export interface BigQueryStandinOptions {
  engine: FakeWarehouse;
  project: string;
  /** Bytes each query would process, checked against maximumBytesBilled; default 10 MB. */
  bytesProcessed?: number;
  /** The first answer for each query says jobComplete: false, so the client polls. */
  slowJobs?: boolean;
}

export interface BigQueryStandin {
  url: string;
  /** Method and path (with query string) of every request, in order. */
  requests: string[];
  /** Request bodies of jobs.query and jobs.insert, in order. */
  bodies: Record<string, any>[];
  /** Authorization headers received (a stand-in must get none). */
  authorizations: string[];
  close(): Promise<void>;
}

// As the REST API names them in a result's schema: the legacy names, not GoogleSQL's INT64/FLOAT64/BOOL.
const TYPES: Record<ColumnType, string> = { text: 'STRING', integer: 'INTEGER', float: 'FLOAT', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', json: 'JSON' };

interface Job {
  answer: Answer;
  location?: string;
  polled: boolean;
}

export async function startBigQueryStandin(o: BigQueryStandinOptions): Promise<BigQueryStandin> {
  const jobs = new Map<string, Job>();
  const hanging = new Set<ServerResponse>();
  const requests: string[] = [];
  const bodies: Record<string, any>[] = [];
  const authorizations: string[] = [];
  const prefix = `/bigquery/v2/projects/${o.project}`;

  const run = (query: Record<string, any>): Answer => {
    const limit = query.maximumBytesBilled === undefined ? Infinity : Number(query.maximumBytesBilled);
    if ((o.bytesProcessed ?? 10_000_000) > limit) return { kind: 'error', message: `Query exceeded limit for bytes billed: ${limit}. ${o.bytesProcessed} or higher required.` };
    const params = (query.queryParameters ?? []).map((p: any) => decode(p.parameterValue?.value ?? null, p.parameterType.type));
    return o.engine.answer(String(query.query), params);
  };

  /** One page of a job's result, in the shape of jobs.query and getQueryResults. */
  const page = (res: ServerResponse, jobId: string, pageToken: string | null, maxResults: number | undefined) => {
    const job = jobs.get(jobId)!;
    const jobReference = { projectId: o.project, jobId, location: job.location };
    if (job.answer.kind === 'hang') return void hanging.add(res);
    if (job.answer.kind === 'error') {
      const reason = job.answer.message.startsWith('Query exceeded limit for bytes billed') ? 'bytesBilledLimitExceeded' : 'invalidQuery';
      return send(res, 400, { error: { code: 400, message: job.answer.message, errors: [{ reason, message: job.answer.message, domain: 'global' }], status: 'INVALID_ARGUMENT' } });
    }
    if (o.slowJobs && !job.polled) {
      job.polled = true;
      return send(res, 200, { kind: 'bigquery#queryResponse', jobReference, jobComplete: false });
    }
    if (job.answer.kind !== 'rows') {
      const dml = job.answer.kind === 'dml' ? { numDmlAffectedRows: String(job.answer.count), dmlStats: { [`${job.answer.statement === 'insert' ? 'inserted' : 'updated'}RowCount`]: String(job.answer.count) } } : {};
      const statementType = job.answer.kind === 'dml' ? job.answer.statement.toUpperCase() : 'CREATE_VIEW';
      return send(res, 200, { kind: 'bigquery#queryResponse', jobReference, jobComplete: true, statementType, totalBytesProcessed: '0', ...dml });
    }
    const { columns, rows } = job.answer.table;
    const start = Number(pageToken ?? 0);
    const end = Math.min(rows.length, start + (maxResults ?? 100_000));
    send(res, 200, {
      kind: 'bigquery#queryResponse',
      jobReference,
      jobComplete: true,
      schema: { fields: columns.map((c) => ({ name: c.name, type: TYPES[c.type], mode: 'NULLABLE' })) },
      rows: rows.slice(start, end).map((row) => ({ f: row.map((cell, i) => ({ v: encode(cell, columns[i].type) })) })),
      totalRows: String(rows.length),
      pageToken: end < rows.length ? String(end) : undefined,
      totalBytesProcessed: String(o.bytesProcessed ?? 10_000_000),
    });
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    const body = await readBody(req);
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
    const maxResults = url.searchParams.has('maxResults') ? Number(url.searchParams.get('maxResults')) : undefined;
    if (path === '/queries' && req.method === 'POST') {
      bodies.push(body);
      const jobId = randomUUID();
      jobs.set(jobId, { answer: run(body), location: body.location, polled: false });
      return page(res, jobId, null, body.maxResults);
    }
    const results = /^\/queries\/([^/]+)$/.exec(path ?? '')?.[1];
    if (results && jobs.has(results)) return page(res, results, url.searchParams.get('pageToken'), maxResults);
    if (path === '/jobs' && req.method === 'POST') {
      bodies.push(body);
      const query = body.configuration?.query ?? {};
      const jobReference = { projectId: o.project, jobId: body.jobReference?.jobId ?? randomUUID(), location: body.jobReference?.location };
      const answer = run(query);
      if (answer.kind === 'error') return send(res, 400, { error: { code: 400, message: answer.message, errors: [{ reason: 'invalidQuery', message: answer.message }] } });
      if (!body.configuration?.dryRun) jobs.set(jobReference.jobId, { answer, location: jobReference.location, polled: false });
      const fields = answer.kind === 'rows' ? answer.table.columns.map((c) => ({ name: c.name, type: TYPES[c.type] })) : [];
      return send(res, 200, { jobReference, configuration: body.configuration, status: { state: 'DONE' }, statistics: { query: { schema: { fields }, totalBytesProcessed: '0' } } });
    }
    const job = /^\/jobs\/([^/]+)(\/cancel)?$/.exec(path ?? '');
    if (job && jobs.has(job[1])) return send(res, 200, { jobReference: { projectId: o.project, jobId: job[1] }, status: { state: 'DONE' } });
    send(res, 404, { error: { code: 404, message: `the stand-in has no ${req.method} ${url.pathname}`, errors: [{ reason: 'notFound' }] } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    bodies,
    authorizations,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The REST result format: every value a string; TIMESTAMP as int64 microseconds (useInt64Timestamp). */
function encode(cell: Cell, type: ColumnType): string | null {
  if (cell === null) return null;
  if (type === 'timestamp') return String((cell as Date).getTime() * 1000);
  if (type === 'json') return JSON.stringify(cell);
  return String(cell);
}

function decode(value: string | null, type: string): unknown {
  if (value === null) return null;
  if (type === 'INT64' || type === 'FLOAT64') return Number(value);
  if (type === 'BOOL') return value === 'true';
  return value;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const raw = Buffer.concat(parts).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
