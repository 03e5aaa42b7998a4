import { errorFromHttp, errorFromNetwork } from './error-mapping.js';
import { InvalidInputError } from './errors.js';

/** Transport options of the REST client, resolved once by createClient. */
export interface HttpClientOptions {
  /** REST base URL; a path prefix is kept (`https://host/synap` + `/v1/...`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Sent as `X-Client-ID` when set. */
  clientId?: string;
  /** Sent as `X-Instance-ID` when set. */
  instanceId?: string;
  /** Default bound of each call, ms, from sending the request to reading the whole answer. */
  timeoutMs: number;
  /** Default `globalThis.fetch`; inject one to record calls in tests. */
  fetch?: typeof fetch;
  /** A fresh `X-Correlation-ID` per call. Default `crypto.randomUUID()`. */
  newCorrelationId?: () => string;
}

/** Per-call options, apart from the transport's: abort and a tighter or looser bound. */
export interface CallOptions {
  /** Aborting it rejects the call with the signal's reason (not a SynapError). */
  signal?: AbortSignal;
  /** Bound of this call, ms. Default: the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** What one `request` sends besides method and path. */
export interface HttpRequestOptions extends CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
}

/** The methods the Synap REST routes use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * JSON over HTTP with the Synap headers, one bound per call, and every failure as a
 * Synap error (error-mapping.ts). It never retries: a retry policy belongs to the
 * caller (the outbox), which knows whether a write is idempotent.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #newCorrelationId: () => string;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#newCorrelationId = options.newCorrelationId ?? (() => globalThis.crypto.randomUUID());
  }

  /**
   * Sends one request to `path` (starting with `/`) and answers the parsed JSON body
   * (`undefined` for an empty one). Non-2xx answers throw the mapped Synap error;
   * unreachable or too slow throw `ServiceUnavailableError` or `NetworkTimeoutError`.
   */
  async request(
    method: HttpMethod,
    path: string,
    options: HttpRequestOptions = {},
  ): Promise<unknown> {
    const payload = options.body === undefined ? undefined : serialize(options.body);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.#options.apiKey}`,
      'x-correlation-id': this.#newCorrelationId(),
      ...(this.#options.clientId ? { 'x-client-id': this.#options.clientId } : {}),
      ...(this.#options.instanceId ? { 'x-instance-id': this.#options.instanceId } : {}),
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    let status: number;
    let retryAfter: string | null;
    let text: string;
    try {
      const response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers,
        signal,
        ...(payload !== undefined ? { body: payload } : {}),
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      // Read inside the bound: a service that sends headers and then stalls times out too.
      text = await response.text();
    } catch (error) {
      // The caller's own abort is not a service failure: it keeps its reason.
      if (options.signal?.aborted) throw options.signal.reason;
      throw errorFromNetwork(error, timeout.aborted);
    }
    const body = parseJson(text);
    if (status < 200 || status >= 300)
      throw errorFromHttp(status, body.ok ? body.value : text, retryAfter);
    if (!body.ok) {
      // A 2xx that is not JSON is a broken answer, not a success.
      throw errorFromHttp(status, `answer to ${method} ${path} is not JSON`, null);
    }
    return body.value;
  }
}

function serialize(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    // A cycle or a BigInt: the caller's input, not the service, is at fault.
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError({
      message: `body: must be serializable as JSON (${reason})`,
      field: 'body',
      cause: error,
    });
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
