import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the listener received. */
export interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  raw: string;
  body: any;
}

/** A local HTTP endpoint standing in for a Slack incoming webhook, recording every request. */
export interface Listener {
  /** Base URL, http://127.0.0.1:PORT. */
  url: string;
  received: Received[];
  /** Statuses to answer the next requests with, in order; 200 once they are used up. */
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  const received: Received[] = [];
  const queue: number[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as raw text
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], raw, body });
      const status = queue.shift() ?? 200;
      // Slack answers "ok" as plain text, and an error as a short text such as "invalid_token".
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (...statuses) => queue.push(...statuses),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
