import type { z } from 'zod';
import { conversationEventSchema } from '../events/conversation-event.js';
import { DEFAULT_WAIT_MS, MAX_WAIT_MS, nextBundlesQuerySchema } from '../events/http-event-path.js';
import { compactBody, conversationParams } from './routes/compaction.js';
import { FETCH_SCOPES, fetchBody } from './routes/context-fetch.js';
import { ingest, statusParams } from './routes/ingest.js';
import { memoryIngest } from './routes/memory-ingest.js';
import { message, messageBatch } from './routes/messages.js';
import { profileParams, profileQuery } from './routes/profile.js';
import { telemetryBatch } from './routes/service.js';

/** One REST route as the API document shows it. */
export interface RestRoute {
  method: 'get' | 'post';
  /** OpenAPI form: `{id}` where Fastify has `:id`. */
  path: string;
  operationId: string;
  summary: string;
  /** False for the routes anyone may call (no bearer key). */
  auth: boolean;
  /** The zod schemas the route parses its input with: the document is generated from them. */
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Status codes the route answers besides the errors every route may give. */
  responses: Record<string, string>;
  /** Not JSON: `/metrics` answers the Prometheus text format. */
  produces?: string;
}

/**
 * Every REST route of the server, with the schemas its handler validates with. A test
 * compares this list with the routes Fastify registers, so a new route cannot be
 * left out of the document.
 */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness: the process answers.',
    auth: false,
    responses: { '200': '`{"status": "ok"}`' },
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'ready',
    summary: 'Readiness: the store answers a ping.',
    auth: false,
    responses: {
      '200': '`{"status": "ready", "store": "pglite" | "postgres"}`',
      '503': 'the store is unreachable',
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics.',
    auth: false,
    produces: 'text/plain',
    responses: { '200': 'the Prometheus text format' },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document.',
    auth: false,
    responses: { '200': 'the OpenAPI document' },
  },
  {
    method: 'get',
    path: '/api/v1/auth/whoami',
    operationId: 'whoami',
    summary: 'The tenant and instance of the API key.',
    auth: true,
    responses: { '200': '`client_id`, `instance_id`' },
  },
  {
    method: 'post',
    path: '/v1/telemetry/batch',
    operationId: 'telemetryBatch',
    summary: 'SDK telemetry: counted, not stored.',
    auth: true,
    body: telemetryBatch,
    responses: { '200': '`status`, `events_received`, `batch_id`' },
  },
  {
    method: 'post',
    path: '/v1/conversations/messages',
    operationId: 'recordMessage',
    summary:
      'Record one turn, idempotently (`Idempotency-Key` header or `client_token`). Extraction runs in the background.',
    auth: true,
    body: message,
    responses: { '200': '`message_id`, `conversation_id`, `session_id`, `recorded_at`' },
  },
  {
    method: 'post',
    path: '/v1/conversations/messages/batch',
    operationId: 'recordMessages',
    summary: 'Record up to 500 turns; each row succeeds or fails on its own.',
    auth: true,
    body: messageBatch,
    responses: { '200': '`total`, `succeeded`, `failed`, `results[]` (one per row, in order)' },
  },
  {
    method: 'post',
    path: '/v1/conversations/ingest',
    operationId: 'ingestConversation',
    summary:
      'A whole transcript at once; the same id with another transcript answers 409 `transcript_conflict`.',
    auth: true,
    body: ingest,
    responses: {
      '200': '`conversation_id`, `messages_ingested`, ...',
      '409': 'transcript_conflict',
    },
  },
  {
    method: 'get',
    path: '/api/v1/memories/status/{id}',
    operationId: 'getIngestionStatus',
    summary:
      "A transcript ingestion's state, in the shape Synap's Python client polls (`status`: queued, processing, completed, failed).",
    auth: true,
    params: statusParams,
    responses: {
      '200': '`ingestion_id`, `document_id`, `status`, `memories_created`, `memory_ids`, ...',
      '404': 'no ingestion with this id for this key',
    },
  },
  {
    method: 'post',
    path: '/v1/memories/ingest',
    operationId: 'ingestMemories',
    summary:
      "The turn writes of Synap's TypeScript adapter: the whole transcript so far, each turn recorded once and in order.",
    auth: true,
    body: memoryIngest,
    responses: {
      '200': '`conversation_id`, counts and one id per message',
      '409': 'the conversation belongs to another user',
    },
  },
  ...FETCH_SCOPES.map(
    (scope): RestRoute => ({
      method: 'post',
      path: `/v1/context/${scope}/fetch`,
      operationId: `fetch${scope[0]?.toUpperCase()}${scope.slice(1)}Context`,
      summary: `Memories of the ${scope} scope, ranked for the search query.`,
      auth: true,
      body: fetchBody,
      responses: { '200': 'memories by type (`facts`, `preferences`, ...), `ttl_seconds`' },
    }),
  ),
  {
    method: 'post',
    path: '/v1/conversations/compact',
    operationId: 'compactConversation',
    summary: 'Start a compaction of the conversation (runs in the background).',
    auth: true,
    body: compactBody,
    responses: { '200': 'the compaction and its status', '409': 'compaction_in_progress' },
  },
  {
    method: 'get',
    path: '/v1/conversations/{id}/compacted',
    operationId: 'getCompacted',
    summary: 'The latest completed compaction: summary, facts, decisions, state.',
    auth: true,
    params: conversationParams,
    responses: { '200': 'the compaction', '404': 'no completed compaction' },
  },
  {
    method: 'get',
    path: '/v1/conversations/{id}/compaction/status',
    operationId: 'getCompactionStatus',
    summary: 'Status of the latest compaction (`none` when there is none).',
    auth: true,
    params: conversationParams,
    responses: { '200': '`status`, `has_compaction`, ...', '404': 'unknown conversation' },
  },
  {
    method: 'get',
    path: '/v1/conversations/{id}/context-for-prompt',
    operationId: 'getContextForPrompt',
    summary: 'The latest compaction and the turns since, formatted for a prompt.',
    auth: true,
    params: conversationParams,
    responses: {
      '200': '`formatted_context`, `recent_messages`, ...',
      '404': 'unknown conversation',
    },
  },
  {
    method: 'get',
    path: '/v1/users/{user_id}/profile',
    operationId: 'getUserProfile',
    summary: "The user's current preferences and facts.",
    auth: true,
    params: profileParams,
    query: profileQuery,
    responses: { '200': 'the profile' },
  },
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'postEvent',
    summary:
      'Send a conversation event (the HTTP event path, for runtimes without http2); its bundle comes from /v1/bundles/next.',
    auth: true,
    body: conversationEventSchema,
    responses: { '200': '`event_id`', '429': 'too many events in flight (throttled)' },
  },
  {
    method: 'get',
    path: '/v1/bundles/next',
    operationId: 'nextBundles',
    summary: `Bundles after \`cursor\`, or a long-poll of at most \`wait_ms\` (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS}) for one.`,
    auth: true,
    query: nextBundlesQuerySchema(MAX_WAIT_MS, DEFAULT_WAIT_MS),
    responses: { '200': '`bundles[]`, `next_cursor`' },
  },
];
