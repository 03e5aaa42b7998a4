import { z } from 'zod';
import { SDK_VERSION } from '../../version.js';
import { REST_ROUTES, type RestRoute } from './rest-routes.js';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the routes
 * validate with (zod 4's `toJSONSchema`, whose draft 2020-12 output is OpenAPI 3.1's
 * schema dialect). Input shapes only: what a client may send. Served at
 * `/openapi.json` and rendered as docs/api.md by `scripts/generate-api-docs.mjs`.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Foresight context server',
      version: SDK_VERSION,
      description:
        'REST half of the Synap protocol as the Foresight context server speaks it (snake_case JSON). ' +
        'Events and pushed bundles also travel over gRPC (synap.v1.SynapService/Listen, proto/synap/v1/).',
    },
    servers: [{ url: 'http://127.0.0.1:8420' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key, fsk_...' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Every error: a stable code, what went wrong, and the bad field when there is one.',
  properties: {
    code: { type: 'string', examples: ['invalid_input', 'authentication_failed', 'not_found'] },
    detail: { type: 'string', examples: ['messages.2.content: must be at least 1 characters'] },
    field: { type: 'string', examples: ['messages.2.content'] },
  },
  required: ['code', 'detail'],
};

function operation(route: RestRoute): Record<string, unknown> {
  const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
  const takesInput = Boolean(route.params || route.query || route.body);
  const errors: Record<string, unknown> = {
    ...(route.body ? { '400': errorResponse('the body is not JSON') } : {}),
    ...(takesInput
      ? { '422': errorResponse('invalid input: `field` names the bad field, `detail` the rule') }
      : {}),
    ...(route.auth
      ? {
          '401': errorResponse('missing, invalid or revoked API key'),
          '429': errorResponse('rate limited: see `Retry-After`'),
        }
      : {}),
  };
  const responses: Record<string, unknown> = {};
  for (const [status, description] of Object.entries(route.responses)) {
    responses[status] = status.startsWith('2')
      ? {
          description,
          content: { [route.produces ?? 'application/json']: {} },
        }
      : errorResponse(description);
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    security: route.auth ? [{ bearer: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(route.body) } },
          },
        }
      : {}),
    responses: { ...responses, ...errors },
  };
}

function errorResponse(description: string): Record<string, unknown> {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

/** A schema of what a client sends: transforms and refinements are the server's business. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = inputSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}
