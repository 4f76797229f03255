import { connect, createServer, type Socket } from 'node:net';

export interface TcpBalancer {
  readonly port: number;
  /** Connections passed to each upstream port so far. */
  readonly passed: Map<number, number>;
  /** The upstream port a source address's connections go to now (sticky), if it has connected. */
  routeOf(address: string): number | undefined;
  close(): Promise<void>;
}

/**
 * A TCP load balancer on loopback, as a centre puts in front of its servers (HAProxy in TCP mode,
 * TLS passing through to the servers). A new connection goes to the first upstream that accepts
 * it, so when a server dies its browsers' next connections reach the next one. `sticky`: by source
 * address, as a balancer's stick table keeps a browser on one server (loopback has 127.0.0.0/8
 * for many sources): a new source starts at the upstream its address hashes to, and stays where
 * it last got through.
 */
export function tcpBalancer(upstreams: readonly number[], o: { sticky?: boolean } = {}): Promise<TcpBalancer> {
  const passed = new Map<number, number>();
  const stuck = new Map<string, number>();
  const open = new Set<Socket>();
  const orderFor = (address: string): number[] => {
    if (!o.sticky) return [...upstreams];
    const first = stuck.get(address) ?? upstreams[[...address].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % upstreams.length]!;
    return [first, ...upstreams.filter((p) => p !== first)];
  };
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const source = client.remoteAddress ?? '';
    const order = orderFor(source);
    const tryUpstream = (i: number): void => {
      const port = order[i];
      if (port === undefined) return void client.destroy();
      const upstream = connect({ host: '127.0.0.1', port });
      let connected = false;
      // Refused (the server is down): the next upstream; once connected, an error ends the client's connection too.
      upstream.on('error', () => (connected ? client.destroy() : tryUpstream(i + 1)));
      upstream.once('connect', () => {
        connected = true;
        passed.set(port, (passed.get(port) ?? 0) + 1);
        stuck.set(source, port);
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
        routeOf: (address) => stuck.get(address),
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
