import type { EventStore } from './store.ts';
import { schemaProblems } from './validate-schema.ts';
import { checkEvent, type EventIssue } from './validate.ts';

/** Snap's documented ceiling per request; more is answered 400. */
export const MAX_EVENTS_PER_REQUEST = 2000;
// fastAccept validates the events at these indexes only (the first, then every 100th).
const SAMPLE_EVERY = 100;

export interface ApiReply {
  status: number;
  body: unknown;
}

/** What `answerEvents` needs from the sandbox's options and state. */
export interface EventsApiContext {
  store: EventStore;
  token?: string;
  fastAccept: boolean;
  refuseEventIds?: ReadonlySet<string>;
  maxAgeDays?: number;
}

/** One `POST /v3/{pixel_id}/events[/validate]` request, body already read. */
export interface EventsRequest {
  pixelId: string;
  accessToken: string | null;
  validateOnly: boolean;
  body: Buffer;
}

/** Answers like Snap: 401 for the token, 400 for the request or its first bad event, else 200 VALID. */
export function answerEvents(context: EventsApiContext, request: EventsRequest): ApiReply {
  // The reasons never echo the token: callers log these bodies.
  if (!request.accessToken) return unauthorized('access_token query parameter is missing');
  if (context.token !== undefined && request.accessToken !== context.token) return unauthorized('access_token is not valid for this pixel');
  const parsed = parseBatch(request.body);
  if (typeof parsed === 'string') return invalidRequest(parsed);
  const data = parsed;
  context.store.seeBatch(data.length);
  if (data.length > MAX_EVENTS_PER_REQUEST) {
    return invalidRequest(`too many events: ${data.length}; at most ${MAX_EVENTS_PER_REQUEST} per request`);
  }
  const validateOptions = { now: Date.now(), maxAgeDays: context.maxAgeDays };
  if (request.validateOnly) return validationReport(data.map((event) => checkEvent(event, validateOptions)));
  const refused = context.refuseEventIds;
  for (let index = 0; index < data.length; index++) {
    const event = data[index];
    if (!context.fastAccept || index % SAMPLE_EVERY === 0) {
      const issues = checkEvent(event, validateOptions);
      if (issues.length > 0) return invalidEvent(index, issues);
    }
    const id = (event as { event_id?: unknown } | null)?.event_id;
    if (refused !== undefined && typeof id === 'string' && refused.has(id)) {
      return invalidEvent(index, [{ code: 'EVENT_REFUSED', message: `event_id ${id} was refused (sandbox refuseEventIds)` }]);
    }
  }
  context.store.accept(request.pixelId, data, !context.fastAccept);
  return { status: 200, body: { status: 'VALID', reason: 'Events have been processed successfully.' } };
}

function parseBatch(body: Buffer): unknown[] | string {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch {
    return 'request body is not valid JSON';
  }
  if (typeof root !== 'object' || root === null || !Array.isArray((root as { data?: unknown }).data)) {
    return 'request body must be an object with a "data" array of events';
  }
  const { data, test_event_code: testEventCode } = root as { data: unknown[]; test_event_code?: unknown };
  if (testEventCode !== undefined && typeof testEventCode !== 'string') return 'test_event_code must be a string';
  // The root's own keys against Snap's schema; each event is checked with its index (checkEvent).
  const rootProblems = schemaProblems({ ...root, data: [] });
  if (rootProblems.length > 0) return `Snap's v3 schema: ${rootProblems.join('; ')}`;
  if (data.length === 0) return '"data" holds no events';
  return data;
}

function validationReport(perEvent: EventIssue[][]): ApiReply {
  const logs = perEvent.map((issues, index) => ({
    event: index,
    status: issues.length === 0 ? 'VALID' : 'INVALID',
    errors: issues.map((issue) => issue.message),
    warnings: [],
  }));
  const status = logs.every((log) => log.status === 'VALID') ? 'VALID' : 'INVALID';
  return { status: 200, body: { status, test_event: true, event_logs: logs } };
}

function unauthorized(reason: string): ApiReply {
  return { status: 401, body: { status: 'UNAUTHORIZED', reason } };
}

function invalidRequest(reason: string): ApiReply {
  return { status: 400, body: { status: 'INVALID', reason } };
}

function invalidEvent(index: number, issues: EventIssue[]): ApiReply {
  const messages = issues.map((issue) => issue.message);
  return {
    status: 400,
    body: {
      status: 'INVALID',
      reason: `event ${index} is invalid: ${messages.join('; ')}`,
      event: index,
      errors: { codes: issues.map((issue) => issue.code), error_msgs: messages },
    },
  };
}
