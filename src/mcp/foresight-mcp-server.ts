import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ForesightClient } from '../client/create-client.js';
import type { FetchResult, MemoryType } from '../client/types.js';
import { MEMORY_TYPES } from '../protocol/memory-types.js';
import { SDK_VERSION } from '../version.js';
import { identityOf, type McpIdentity } from './mcp-identity.js';
import { errorResult, jsonResult } from './mcp-tool-result.js';

/** Options of `createForesightMcpServer`. */
export interface ForesightMcpServerOptions {
  /** The Foresight client the tools call (its url and key decide the service and tenant). */
  client: ForesightClient;
  /** Identity fixed for every call; fields left out become tool arguments. Default: none. */
  identity?: McpIdentity;
}

const identityShape = {
  userId: z.string().min(1).max(256).optional().describe('The user the call is about.'),
  customerId: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe("The user's customer (required by B2B tenants)."),
  conversationId: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe('The conversation: a UUID, or any thread id (mapped to a stable UUID).'),
};
const memoryTypes = z
  .array(z.enum(MEMORY_TYPES))
  .max(MEMORY_TYPES.length)
  .optional()
  .describe('Memory types to include; default all five.');
const maxResults = z
  .number()
  .int()
  .min(1)
  .max(200)
  .optional()
  .describe('Most memories to answer; default 20.');
const scope = z
  .enum(['user', 'conversation'])
  .optional()
  .describe("Whose context: the user's, or the conversation's (memories and recent turns).");

const recordTurnSchema = z.object({
  role: z.enum(['user', 'assistant']).describe('Who said it.'),
  content: z.string().min(1).max(262_144).describe('The text of the turn.'),
  sessionId: z.string().min(1).max(256).optional(),
  ...identityShape,
});
const fetchContextSchema = z.object({
  scope,
  query: z.string().max(2000).optional().describe('Ranks memories by relevance to this text.'),
  types: memoryTypes,
  maxResults,
  ...identityShape,
});
const searchMemoriesSchema = z.object({
  query: z.string().min(1).max(2000).describe('What to look for.'),
  scope,
  types: memoryTypes,
  maxResults,
  ...identityShape,
});

/**
 * An MCP server whose tools record turns into, and read context from, a Foresight
 * (or Synap) service through `client`: `record_turn`, `fetch_context` and
 * `search_memories`. Connect it to a transport (stdio, streamable HTTP, in-memory).
 * Failures, bad arguments included, come back as tool errors naming the field.
 *
 * @example
 * const server = createForesightMcpServer({ client: createClient(), identity: { userId: 'alice' } });
 * await server.connect(new StdioServerTransport());
 */
export function createForesightMcpServer(options: ForesightMcpServerOptions): McpServer {
  const { client } = options;
  const configured = options.identity ?? {};
  const bound = <S extends z.ZodObject>(schema: S): S => withoutConfigured(schema, configured);
  const server = new McpServer({ name: 'foresight', version: SDK_VERSION });
  const guarded =
    <A>(run: (args: A) => Promise<unknown>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return jsonResult(await run(args));
      } catch (error) {
        return errorResult(error);
      }
    };

  server.registerTool(
    'record_turn',
    {
      description:
        'Record one turn of a conversation (a user message or an assistant reply) so that Foresight learns from it.',
      inputSchema: bound(recordTurnSchema),
      annotations: { readOnlyHint: false, idempotentHint: false },
    },
    guarded(async (args: z.output<typeof recordTurnSchema>) => {
      const who = identityOf(configured, args, ['userId', 'conversationId']);
      const recorded = await client.conversation.recordMessage({
        conversationId: who.conversationId as string,
        userId: who.userId as string,
        ...(who.customerId ? { customerId: who.customerId } : {}),
        ...(args.sessionId ? { sessionId: args.sessionId } : {}),
        role: args.role,
        content: args.content,
      });
      return {
        messageId: recorded.messageId,
        conversationId: recorded.conversationId,
        recordedAt: recorded.recordedAt.toISOString(),
      };
    }),
  );

  server.registerTool(
    'fetch_context',
    {
      description:
        'Fetch what Foresight knows for a user or a conversation: memories by type (facts, preferences, episodes, emotions, temporal events) and, for a conversation, its summary and recent turns.',
      inputSchema: bound(fetchContextSchema),
      annotations: { readOnlyHint: true },
    },
    guarded(async (args: z.output<typeof fetchContextSchema>) => {
      const result = await fetchFor(client, configured, args);
      return {
        memories: memoriesOf(result),
        ...(result.conversationContext
          ? {
              conversation: {
                summary: result.conversationContext.summary,
                recentTurns: result.conversationContext.recentTurns.map((turn) => ({
                  role: turn.role,
                  content: turn.content,
                  timestamp: turn.timestamp.toISOString(),
                })),
              },
            }
          : {}),
      };
    }),
  );

  server.registerTool(
    'search_memories',
    {
      description:
        "Search a user's (or a conversation's) memories for a query; answers the best matches first.",
      inputSchema: bound(searchMemoriesSchema),
      annotations: { readOnlyHint: true },
    },
    guarded(async (args: z.output<typeof searchMemoriesSchema>) => {
      const result = await fetchFor(client, configured, args);
      return { memories: memoriesOf(result) };
    }),
  );
  return server;
}

interface FetchArguments {
  scope?: 'user' | 'conversation' | undefined;
  query?: string | undefined;
  types?: MemoryType[] | undefined;
  maxResults?: number | undefined;
  userId?: string | undefined;
  customerId?: string | undefined;
  conversationId?: string | undefined;
}

/** The conversation scope when one is named (or asked for), else the user's. */
function fetchFor(
  client: ForesightClient,
  configured: McpIdentity,
  args: FetchArguments,
): Promise<FetchResult> {
  const scope =
    args.scope ?? (configured.conversationId || args.conversationId ? 'conversation' : 'user');
  const who = identityOf(configured, args, [scope === 'user' ? 'userId' : 'conversationId']);
  return client.context.fetch({
    scope,
    ...(scope === 'user'
      ? { userId: who.userId as string, ...(who.customerId ? { customerId: who.customerId } : {}) }
      : { conversationId: who.conversationId as string }),
    ...(args.query ? { searchQuery: args.query } : {}),
    ...(args.types ? { types: args.types } : {}),
    ...(args.maxResults ? { maxResults: args.maxResults } : {}),
  });
}

/** One list of memories, each with its type, in the service's order within a type. */
function memoriesOf(result: FetchResult) {
  return MEMORY_TYPES.flatMap((type) =>
    (result.context[type] ?? []).map((memory) => ({
      id: memory.id,
      type,
      content: memory.content,
      confidence: memory.confidence,
      ...(memory.eventDate ? { eventDate: memory.eventDate.toISOString() } : {}),
      ...(memory.validUntil ? { validUntil: memory.validUntil.toISOString() } : {}),
    })),
  );
}

/**
 * The schema without the configured identity fields: they are not arguments, so a
 * server bound to one user serves only that user (zod drops unknown keys on parse).
 */
function withoutConfigured<S extends z.ZodObject>(schema: S, configured: McpIdentity): S {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).filter(([key]) => !Object.hasOwn(configured, key)),
  );
  return z.object(shape) as unknown as S;
}
