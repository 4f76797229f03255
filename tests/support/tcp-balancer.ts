import { connect, createServer, type Socket } from 'node:net';

export interface TcpBalancer {
  readonly port: number;
  /** Connections passed to each upstream port so far. */
  readonly passed: Map<number, number>;
  close(): Promise<void>;
}

/**
 * A TCP load balancer on loopback, as a centre puts in front of its servers (HAProxy in TCP mode,
 * TLS passing through to the servers): each new connection goes to the first upstream that
 * accepts it, so when the first server dies its browsers' next connections reach the next one.
 */
export function tcpBalancer(upstreams: readonly number[]): Promise<TcpBalancer> {
  const passed = new Map<number, number>();
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const tryUpstream = (i: number): void => {
      const port = upstreams[i];
      if (port === undefined) return void client.destroy();
      const upstream = connect({ host: '127.0.0.1', port });
      let connected = false;
      // Refused (the server is down): the next upstream; once connected, an error ends the client's connection too.
      upstream.on('error', () => (connected ? client.destroy() : tryUpstream(i + 1)));
      upstream.once('connect', () => {
        connected = true;
        passed.set(port, (passed.get(port) ?? 0) + 1);
        open.add(upstream);
        upstream.once('close', () => open.delete(upstream));
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryUpstream(0);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        port,
        passed,
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
