import type { FastifyInstance } from 'fastify';
import type { RouteDependencies } from './index.js';

/**
 * The HTTP event path (our extension, wire.md) for runtimes without http2: events in,
 * bundles out by bounded long-poll. The logic is shared with gRPC in src/server/events.
 */
export function registerEventRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.post('/v1/events', async (request) => deps.events.postEvent(request.auth, request.body));

  app.get('/v1/bundles/next', async (request, reply) => {
    // A client that gives up must not leave the long-poll holding a hub listener.
    const controller = new AbortController();
    const abort = () => controller.abort();
    request.raw.once('close', abort);
    reply.raw.once('close', abort);
    try {
      return await deps.events.nextBundles(request.auth, request.query, controller.signal);
    } finally {
      request.raw.off('close', abort);
      reply.raw.off('close', abort);
    }
  });
}
