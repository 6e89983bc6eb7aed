import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (Postgres, a stand-in), to break the network
 * between the runner and its warehouse the ways networks break: `blackhole()` stops forwarding bytes in
 * both directions and keeps every socket open (a firewall dropping packets: no error, no answer, new
 * connections accepted and never answered); `reset()` ends every connection at once.
 */
export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  blackhole(): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let holes = false;
  let accepted = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };
  const server = createServer((client) => {
    accepted++;
    track(client);
    if (holes) return; // accepted, never answered
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.on('data', (chunk) => {
      if (!holes) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!holes) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!holes) client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    blackhole: () => {
      holes = true;
    },
    reset: () => {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
