import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * An HTTP relay to a real server that can lose answers: the request reaches the
 * server and is handled, then the connection to the client is cut before the answer,
 * as when a network drops between a write and its acknowledgement. Only for tests.
 */
export class AnswerDroppingProxy {
  readonly #server: Server;
  readonly #target: string;
  /** Answers still to lose. */
  dropAnswers = 0;
  /** Requests relayed, answered or not. */
  relayed = 0;

  private constructor(server: Server, target: string) {
    this.#server = server;
    this.#target = target;
  }

  /** Relays to `target` (a base URL) from an ephemeral loopback port. */
  static async start(target: string): Promise<AnswerDroppingProxy> {
    const server = createServer();
    const proxy = new AnswerDroppingProxy(server, target);
    server.on('request', (request, response) => {
      void proxy.#relay(request).then(
        ({ status, headers, body }) => {
          if (proxy.dropAnswers > 0) {
            proxy.dropAnswers -= 1;
            request.socket.destroy();
            return;
          }
          response.writeHead(status, headers);
          response.end(body);
        },
        () => request.socket.destroy(),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get url(): string {
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #relay(
    request: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection')
        headers[name] = value;
    }
    const answer = await fetch(`${this.#target}${request.url}`, {
      method: request.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    this.relayed += 1;
    const body = Buffer.from(await answer.arrayBuffer());
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'connection')
        answerHeaders[name] = value;
    });
    return { status: answer.status, headers: answerHeaders, body };
  }
}
