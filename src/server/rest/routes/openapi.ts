import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi-document.js';

/** GET /openapi.json: the API document, built once from the routes' own schemas. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', async () => {
    document ??= openApiDocument();
    return document;
  });
}
