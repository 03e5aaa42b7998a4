import { Agent, request } from 'node:http';

/**
 * POSTs JSON over node:http with a keep-alive agent. Lighter than `fetch` (undici adds
 * a few hundred microseconds of its own per call), so a latency measured through it is
 * mostly the server's.
 */
export class JsonClient {
  readonly #baseUrl: URL;
  readonly #key: string;
  readonly #agent: Agent;

  constructor(options: { baseUrl: string; key: string; maxSockets?: number }) {
    this.#baseUrl = new URL(options.baseUrl);
    this.#key = options.key;
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  }

  /** Answers the parsed body of a 200; any other status throws with the body's text. */
  post<T>(path: string, body: unknown): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const call = request(
        {
          agent: this.#agent,
          host: this.#baseUrl.hostname,
          port: this.#baseUrl.port,
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            authorization: `Bearer ${this.#key}`,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) {
              reject(new Error(`POST ${path} answered ${response.statusCode}: ${text}`));
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
