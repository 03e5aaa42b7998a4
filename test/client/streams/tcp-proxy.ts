import { connect, createServer, type Server, type Socket } from 'node:net';

interface Connection {
  client: Socket;
  upstream: Socket;
  /** Drops whatever it carries, both ways, until it closes. */
  blackHoled: boolean;
}

/**
 * A TCP relay between a client and a server that a test can make misbehave:
 * black-hole the connections (bytes vanish, nothing closes — a dead peer behind a
 * NAT), or reset them. Only for tests.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #connections = new Set<Connection>();
  #upstream: { host: string; port: number };
  #blackHoling = false;

  private constructor(server: Server, target: string) {
    this.#server = server;
    this.#upstream = parseTarget(target);
  }

  /** Listens on an ephemeral loopback port and relays to `target` (`host:port`). */
  static async start(target: string): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    server.on('connection', (client) => proxy.#relay(client, connect(proxy.#upstream)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** New connections go to `target` from now on (a load balancer moving to another replica). */
  retarget(target: string): void {
    this.#upstream = parseTarget(target);
  }

  /** `127.0.0.1:<port>`, for a gRPC channel. */
  get target(): string {
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy is not listening');
    return `127.0.0.1:${address.port}`;
  }

  /** Open connections, and those opened until resume(), drop every byte from now on. */
  blackHole(): void {
    this.#blackHoling = true;
    for (const connection of this.#connections) connection.blackHoled = true;
  }

  /** New connections relay again; black-holed ones stay so (their framing is broken anyway). */
  resume(): void {
    this.#blackHoling = false;
  }

  /** Resets every open connection: both ends see the socket fail at once. */
  reset(): void {
    for (const { client, upstream } of this.#connections) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(client: Socket, upstream: Socket): void {
    const connection: Connection = { client, upstream, blackHoled: this.#blackHoling };
    this.#connections.add(connection);
    client.on('data', (chunk) => {
      if (!connection.blackHoled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!connection.blackHoled) client.write(chunk);
    });
    const end = () => {
      this.#connections.delete(connection);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      // A reset is what these tests provoke: the close that follows is the signal.
      socket.on('error', () => undefined);
      socket.on('close', end);
    }
  }
}

function parseTarget(target: string): { host: string; port: number } {
  const separator = target.lastIndexOf(':');
  return {
    host: target.slice(0, separator).replace(/^\[|\]$/g, ''),
    port: Number(target.slice(separator + 1)),
  };
}
