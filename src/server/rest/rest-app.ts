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
import {
  INSPECTOR_PREFIX,
  type InspectorDependencies,
  registerInspectorRoutes,
} from '../inspector/index.js';
import type { ServerMetrics } from '../metrics.js';
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
  /** Per-key token bucket: sustained requests per second and burst size. */
  rateLimit: { requestsPerSecond: number; burst: number };
  /** The web inspector under /inspect, when enabled; it signs its users in itself. */
  inspector?: InspectorDependencies;
}

/** Routes anyone may call: liveness, readiness, metrics. */
const PUBLIC_ROUTES = new Set(['/health', '/ready', '/metrics']);

/**
 * The REST half of the server: every route of wire.md on Fastify. Authentication and
 * rate limits run in `preHandler`, after the body was read, so a refused request
 * still leaves a keep-alive connection clean for the next one.
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
  });
  acceptEmptyJsonBodies(app);
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

  app.addHook('preHandler', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined || PUBLIC_ROUTES.has(route)) return;
    // The inspector's pages check their own session cookie (a browser sends no bearer key).
    if (options.inspector && isInspectorRoute(route)) return;
    request.auth = await options.apiKeys.authenticate(bearerKey(request.headers.authorization));
    // Every route at once, before its own schema: text the store cannot hold. A batch
    // checks each row itself, so one bad row fails alone.
    if (!ROW_CHECKED_ROUTES.has(route)) assertStorableText(request.body);
    const verdict = limiter.take(request.auth.keyId);
    if (!verdict.ok) {
      options.metrics.rateLimited.inc({ surface: 'rest' });
      throw new ServerError({
        code: 'rate_limited',
        detail: 'rate limit exceeded for this API key',
        retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      });
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
