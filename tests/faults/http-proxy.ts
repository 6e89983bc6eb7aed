import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 in front of a stand-in, to fail chosen calls of a warehouse's REST protocol
 * the way a network does: `hold` leaves matching requests without an answer (a slow query, a black
 * hole), `reset` ends their connection. Everything else is passed on unchanged.
 */
export interface HttpProxyOptions {
  target: string;
  hold?: (method: string, path: string) => boolean;
  reset?: (method: string, path: string) => boolean;
}

export interface HttpProxy {
  url: string;
  /** Method and path of every request, in order. */
  requests: string[];
  /** Requests held so far. */
  held(): number;
  close(): Promise<void>;
}

export async function startHttpProxy(o: HttpProxyOptions): Promise<HttpProxy> {
  const target = new URL(o.target);
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let held = 0;
  const pass = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${method} ${path}`);
    if (o.reset?.(method, path)) return void req.socket.resetAndDestroy();
    if (o.hold?.(method, path)) {
      held++;
      return void req.resume();
    }
    pass(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    held: () => held,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
