import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import { type ApiKeys, type AuthContext, bearerKey } from '../api-keys.js';
import { AuthGuard } from '../auth-guard.js';
import type { ForegroundLoad } from '../foreground-load.js';
import {
  INSPECTOR_PREFIX,
  type InspectorDependencies,
  registerInspectorRoutes,
} from '../inspector/index.js';
import type { ServerMetrics } from '../metrics.js';
import { assertNestingDepth } from '../nesting-depth.js';
import { ServerError } from '../server-error.js';
import { KeyedRateLimiter } from '../token-bucket.js';
import { assertStorableText } from '../unstorable-text.js';

/** Routes whose rows are validated one by one, so the app-wide body check skips them. */
const ROW_CHECKED_ROUTES = new Set(['/v1/conversations/messages/batch']);

import { type RouteDependencies, registerRoutes } from './routes/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of this request; set by the auth hook on every route but the public ones. */
    auth: AuthContext;
  }
}

export interface RestAppOptions extends Omit<RouteDependencies, 'logger'> {
  store: Store;
  apiKeys: ApiKeys;
  metrics: ServerMetrics;
  logger: Logger;
  /** Largest accepted request body. */
  maxBodyBytes: number;
  /** How long headers and body may take to arrive, ms; past it the socket is closed. */
  requestTimeoutMs: number;
  /** Open connections at most; past it, new ones are closed at once. */
  maxConnections: number;
  /** Failed authentications an address or key id may make in a burst (AuthGuard). */
  authFailureBurst: number;
  /** Per-key token bucket: sustained requests per second and burst size. */
  rateLimit: { requestsPerSecond: number; burst: number };
  /** The web inspector under /inspect, when enabled; it signs its users in itself. */
  inspector?: InspectorDependencies;
  /** Counts each authenticated request while it runs (background jobs yield to them). */
  foreground?: ForegroundLoad;
}

/** Past this, a request refused before its body is read closes its connection. */
const KEEP_ALIVE_REFUSAL_BYTES = 64 * 1024;

/** Content-Length, or Infinity for a chunked body of unknown length. */
function declaredBodyBytes(headers: FastifyRequest['headers']): number {
  if (headers['transfer-encoding'] !== undefined) return Number.POSITIVE_INFINITY;
  const length = Number(headers['content-length'] ?? 0);
  return Number.isFinite(length) ? length : Number.POSITIVE_INFINITY;
}

/** A long-poll costs nothing while it waits for a bundle: it is not foreground load. */
const LONG_POLL_ROUTE = '/v1/bundles/next';

/** Routes anyone may call: liveness, readiness, metrics, the API document. */
const PUBLIC_ROUTES = new Set(['/health', '/ready', '/metrics', '/openapi.json']);

/**
 * The REST half of the server: every route of wire.md on Fastify. Authentication and
 * rate limits run in `onRequest`, before the body is read: a caller without a valid key
 * never gets a body buffered (Node discards what it still sends, which keeps a
 * keep-alive connection clean for the next request), and every request, body included,
 * must arrive within `requestTimeoutMs`.
 */
export function createRestApp(options: RestAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Request logs would carry ids and paths of every call; errors are logged on their own.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxBodyBytes,
    // User ids travel in paths (profile route): room for the 256 characters ids may have.
    routerOptions: { maxParamLength: 512 },
    return503OnClosing: true,
    // Synap clients keep idle sockets for up to 300 s; closing sooner turns their next
    // request into a transport error that they retry, which can duplicate a write.
    keepAliveTimeout: 310_000,
    requestTimeout: options.requestTimeoutMs,
    http: {
      // Headers are part of the request: never more time for them than for the whole.
      headersTimeout: Math.min(60_000, options.requestTimeoutMs),
      // Node looks for requests past their deadline on this interval (default 30 s, as
      // long as the default timeout itself): a tenth of the timeout closes a slow
      // sender's socket within about 10 % of it.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, options.requestTimeoutMs / 10)),
    },
  });
  app.server.maxConnections = options.maxConnections;
  acceptEmptyJsonBodies(app);
  const guard = new AuthGuard({
    apiKeys: options.apiKeys,
    surface: 'rest_auth',
    failureBurst: options.authFailureBurst,
    metrics: options.metrics,
    logger: options.logger,
  });
  const limiter = new KeyedRateLimiter({
    capacity: options.rateLimit.burst,
    refillPerSecond: options.rateLimit.requestsPerSecond,
  });

  app.decorateRequest('auth', null as unknown as AuthContext);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    options.metrics.httpRequests.inc({ method: request.method, route, status: reply.statusCode });
    options.metrics.httpDuration.observe(
      { method: request.method, route },
      reply.elapsedTime / 1000,
    );
  });

  // Before the body: an unauthenticated or rate-limited caller is answered at once.
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === undefined || PUBLIC_ROUTES.has(route)) return;
    // The inspector's pages check their own session cookie (a browser sends no bearer key).
    if (options.inspector && isInspectorRoute(route)) return;
    try {
      request.auth = await guard.authenticate(bearerKey(request.headers.authorization), request.ip);
    } catch (error) {
      // A small body is read and dropped after the answer (Node does), keeping the
      // connection for the next request as Synap clients expect; a big one is not
      // worth reading for a caller without a key: the connection closes after the 401.
      if (declaredBodyBytes(request.headers) > KEEP_ALIVE_REFUSAL_BYTES)
        reply.header('connection', 'close');
      throw error;
    }
    const verdict = limiter.take(request.auth.keyId);
    if (!verdict.ok) {
      options.metrics.rateLimited.inc({ surface: 'rest' });
      throw new ServerError({
        code: 'rate_limited',
        detail: 'rate limit exceeded for this API key',
        retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      });
    }
    // 'close' comes once the answer is sent or the connection is gone, whichever first.
    if (options.foreground && route !== LONG_POLL_ROUTE)
      reply.raw.once('close', options.foreground.enter());
  });

  app.addHook('preHandler', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined || PUBLIC_ROUTES.has(route)) return;
    // Path and query parameters reach the store too (ids, filters).
    assertStorableText(request.params);
    assertStorableText(request.query);
    // Every route at once, before its own schema: nesting and text the store cannot
    // hold. A batch checks each row itself, so one bad row fails alone.
    if (!ROW_CHECKED_ROUTES.has(route)) {
      assertNestingDepth(request.body);
      assertStorableText(request.body);
    }
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) =>
    sendError(error, request, reply, options.logger),
  );
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      detail: `no route ${request.method} ${request.url.split('?')[0]}`,
      code: 'not_found',
    });
  });

  registerRoutes(app, { ...options, logger: options.logger });
  if (options.inspector) registerInspectorRoutes(app, options.inspector);
  return app;
}

function isInspectorRoute(route: string): boolean {
  return route === INSPECTOR_PREFIX || route.startsWith(`${INSPECTOR_PREFIX}/`);
}

/**
 * Python Synap clients send `Content-Type: application/json` on body-less GET and
 * DELETE requests, which Fastify's JSON parser refuses; an empty body parses as none.
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const known = toServerError(error);
  if (!known) {
    logger.error({ err: error, route: request.routeOptions.url }, 'unhandled error in REST route');
    reply.code(500).send({ detail: 'internal server error', code: 'internal' });
    return;
  }
  if (known.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(known.retryAfterSeconds));
  const body: Record<string, unknown> = { detail: known.message, code: known.code };
  if (known.field) body.field = known.field;
  // The reference client recognizes an ingest conflict by `detail.code`.
  if (known.code === 'transcript_conflict')
    body.detail = { code: known.code, message: known.message };
  reply.code(known.status).send(body);
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) become ServerErrors. */
function toServerError(error: unknown): ServerError | null {
  if (error instanceof ServerError) return error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, statusCode, message } = error as {
    code?: string;
    statusCode?: number;
    message?: string;
  };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ServerError({
      code: 'payload_too_large',
      detail: 'body: larger than the server accepts',
    });
  }
  if (
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (error instanceof SyntaxError && statusCode === 400)
  ) {
    return new ServerError({
      code: 'invalid_input',
      status: 400,
      field: 'body',
      detail: 'body: must be valid JSON',
    });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ServerError({
      code: 'invalid_input',
      status: 415,
      field: 'content-type',
      detail: 'content-type: must be application/json',
    });
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new ServerError({
      code: 'invalid_input',
      status: statusCode,
      detail: message ?? 'invalid request',
    });
  }
  return null;
}
