import { connect, createServer, type Server, type Socket } from 'node:net';

/** How the proxy treats traffic from now on; each field is independent. */
export interface FaultMode {
  /** Share (0..1) of new connections closed as soon as they are accepted. Default 0. */
  dropShare?: number;
  /** Every chunk, both ways, is held this long before it is forwarded, ms. Default 0. */
  delayMs?: number;
  /** New connections are accepted and then ignored: nothing forwarded, nothing answered. */
  blackHole?: boolean;
}

/** What the proxy has done so far, for assertions. */
export interface FaultProxyStats {
  accepted: number;
  dropped: number;
  reset: number;
  blackHoled: number;
  open: number;
}

interface Relay {
  client: Socket;
  upstream: Socket | undefined;
  /** Settles once every delayed chunk accepted so far was written on. */
  drained: () => Promise<unknown>;
}

/**
 * A TCP relay between a client and a server on an ephemeral loopback port, for fault
 * tests. It works at the byte level, so it carries HTTP/1.1 and gRPC (http2) alike.
 * At run time a test can drop a share of new connections, delay bytes, reset open
 * connections, black-hole new ones, and restore normal relaying.
 *
 * Dropping draws from `random` (default `Math.random`), so a test can make it exact.
 */
export class FaultProxy {
  readonly #server: Server;
  readonly #relays = new Set<Relay>();
  readonly #random: () => number;
  #upstream: { host: string; port: number };
  #mode: Required<FaultMode> = { dropShare: 0, delayMs: 0, blackHole: false };
  #stats = { accepted: 0, dropped: 0, reset: 0, blackHoled: 0 };

  private constructor(server: Server, target: string, random: () => number) {
    this.#server = server;
    this.#upstream = parseTarget(target);
    this.#random = random;
  }

  /** Listens on `127.0.0.1:0` and relays to `target` (`host:port` or an `http://` url). */
  static async start(target: string, options: { random?: () => number } = {}): Promise<FaultProxy> {
    const server = createServer({ noDelay: true });
    const proxy = new FaultProxy(server, target, options.random ?? Math.random);
    server.on('connection', (socket) => proxy.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  /** `127.0.0.1:<port>`, for a gRPC channel. */
  get target(): string {
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('proxy is not listening');
    return `127.0.0.1:${address.port}`;
  }

  /** `http://127.0.0.1:<port>`, for a REST client. */
  get url(): string {
    return `http://${this.target}`;
  }

  stats(): FaultProxyStats {
    return { ...this.#stats, open: this.#relays.size };
  }

  /** Changes the fault mode for what comes next; fields left out keep their value. */
  set(mode: FaultMode): void {
    if (mode.dropShare !== undefined && !(mode.dropShare >= 0 && mode.dropShare <= 1)) {
      throw new RangeError(`dropShare: must be between 0 and 1, got ${mode.dropShare}`);
    }
    this.#mode = { ...this.#mode, ...mode };
  }

  /** New connections relay normally again, with no drop, delay or black hole. */
  restore(): void {
    this.#mode = { dropShare: 0, delayMs: 0, blackHole: false };
  }

  /** New connections go to `target` from now on (a server restarted on another port). */
  retarget(target: string): void {
    this.#upstream = parseTarget(target);
  }

  /** Resets every open connection (RST both ways): both ends see the socket fail at once. */
  resetAll(): number {
    const relays = [...this.#relays];
    for (const relay of relays) this.#reset(relay);
    return relays.length;
  }

  async close(): Promise<void> {
    this.resetAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    this.#stats.accepted++;
    client.on('error', () => undefined);
    if (this.#mode.dropShare > 0 && this.#random() < this.#mode.dropShare) {
      this.#stats.dropped++;
      client.destroy();
      return;
    }
    const relay: Relay = { client, upstream: undefined, drained: () => Promise.resolve() };
    this.#relays.add(relay);
    client.once('close', (hadError) => this.#end(relay, hadError));
    if (this.#mode.blackHole) {
      // Bytes are read and thrown away so the client's writes never block: a dead peer.
      this.#stats.blackHoled++;
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect({ ...this.#upstream, noDelay: true });
    relay.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.once('close', (hadError) => this.#end(relay, hadError));
    const drained = [this.#pipe(client, upstream), this.#pipe(upstream, client)];
    relay.drained = () => Promise.all(drained.map((pipe) => pipe()));
  }

  /**
   * Forwards `from` to `to`, each chunk after the delay in force when it arrived, in
   * order. Answers a function that gives the promise of the last chunk written.
   */
  #pipe(from: Socket, to: Socket): () => Promise<void> {
    let last = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const delayMs = this.#mode.delayMs;
      if (delayMs <= 0) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      from.pause();
      last = last.then(
        () =>
          new Promise<void>((resolve) => {
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              from.resume();
              resolve();
            }, delayMs).unref();
          }),
      );
    });
    from.on('end', () => {
      void last.then(() => to.end());
    });
    return () => last;
  }

  #reset(relay: Relay): void {
    if (!this.#relays.delete(relay)) return;
    this.#stats.reset++;
    relay.client.resetAndDestroy();
    relay.upstream?.resetAndDestroy();
  }

  /** One side closed: a failure ends the other at once, a clean close after the delayed bytes. */
  #end(relay: Relay, hadError: boolean): void {
    if (!this.#relays.delete(relay)) return;
    const finish = () => {
      relay.client.destroy();
      relay.upstream?.destroy();
    };
    if (hadError) finish();
    else void relay.drained().then(finish);
  }
}

function parseTarget(target: string): { host: string; port: number } {
  const bare = target.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  const separator = bare.lastIndexOf(':');
  return {
    host: bare.slice(0, separator).replace(/^\[|\]$/g, ''),
    port: Number(bare.slice(separator + 1)),
  };
}
