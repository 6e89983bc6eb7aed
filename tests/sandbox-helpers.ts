import { createHash } from 'node:crypto';
import { request } from 'undici';

export const TOKEN = 'test-token-not-a-secret';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A valid offline PURCHASE; `overrides` replace whole top-level fields. */
export function purchase(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_name: 'PURCHASE',
    event_time: nowSeconds() - 3600,
    action_source: 'OFFLINE',
    event_id: id,
    user_data: { em: [sha256('test123@gmail.com')] },
    custom_data: { value: 12.5, currency: 'EUR', order_id: `order-${id}` },
    ...overrides,
  };
}

export function batch(size: number, prefix = 'e'): Record<string, unknown>[] {
  return Array.from({ length: size }, (_, i) => purchase(`${prefix}${i}`));
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

/** POSTs to /v3/{pixel}/events (or `suffix`) over a real socket. */
export async function send(
  baseUrl: string,
  body: unknown,
  init: { pixel?: string; token?: string | null; suffix?: string; headersTimeout?: number } = {},
): Promise<Reply> {
  const token = init.token === undefined ? TOKEN : init.token;
  const query = token === null ? '' : `?access_token=${encodeURIComponent(token)}`;
  const url = `${baseUrl}/v3/${init.pixel ?? 'pixel-1'}/events${init.suffix ?? ''}${query}`;
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headersTimeout: init.headersTimeout,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

export async function getJson(baseUrl: string, path: string): Promise<any> {
  const response = await request(`${baseUrl}${path}`);
  return response.body.json();
}
