import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../validate.js';
import type { RouteDependencies } from './index.js';

export const telemetryBatch = z.object({
  events: z.array(z.record(z.string(), z.unknown())).max(1000),
  sdk_version: z.string().max(64).nullish(),
  batch_id: z.string().max(256).nullish(),
  created_at: z.string().max(64).nullish(),
});

/** Health, readiness, metrics, whoami and telemetry: the routes around the data. */
export function registerServiceRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready', store: deps.store.backend };
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check: store unreachable');
      reply.code(503);
      return { status: 'unavailable', detail: 'store unreachable', code: 'unavailable' };
    }
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/api/v1/auth/whoami', async (request) => ({
    client_id: request.auth.clientId,
    instance_id: request.auth.instanceId,
  }));

  app.post('/v1/telemetry/batch', async (request) => {
    const body = parseInput(telemetryBatch, request.body);
    const accepted = await deps.store.recordTelemetry(
      request.auth.clientId,
      body.events.map((event) => ({
        eventType:
          typeof event.event_type === 'string' ? event.event_type.slice(0, 128) : 'unknown',
        payload: event,
      })),
    );
    deps.metrics.telemetryEvents.inc(accepted);
    return { status: 'accepted', events_received: accepted, batch_id: body.batch_id ?? '' };
  });
}
