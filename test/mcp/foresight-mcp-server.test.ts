import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type ForesightClient } from '../../src/index.js';
import {
  createForesightMcpServer,
  type McpIdentity,
  serveMcpOverHttp,
} from '../../src/mcp/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const root = new URL('../..', import.meta.url).pathname;

let env: TestServer;
let foresight: ForesightClient;

beforeAll(async () => {
  env = await startTestServer('pglite');
  foresight = createClient({ url: env.server.restUrl, apiKey: env.tenant.key });
});
afterAll(async () => {
  await foresight?.close();
  await env?.close();
});

/** An MCP client from the SDK, linked in memory to a fresh Foresight MCP server. */
async function connect(identity?: McpIdentity): Promise<Client> {
  const server = createForesightMcpServer({ client: foresight, ...(identity ? { identity } : {}) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { isError: result.isError === true, text };
}

async function callJson(client: Client, name: string, args: Record<string, unknown>) {
  const { isError, text } = await call(client, name, args);
  if (isError) throw new Error(`${name} failed: ${text}`);
  return JSON.parse(text);
}

describe('createForesightMcpServer', () => {
  it('lists its three tools, each taking the identity as arguments when none is configured', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'fetch_context',
      'record_turn',
      'search_memories',
    ]);
    const record = tools.find((tool) => tool.name === 'record_turn');
    expect(Object.keys(record?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['role', 'content', 'userId', 'conversationId', 'customerId']),
    );
    expect(record?.inputSchema.required).toEqual(['role', 'content']);
    await client.close();
  });

  it('records a turn and gets it back through fetch_context for the conversation', async () => {
    const client = await connect();
    const recorded = await callJson(client, 'record_turn', {
      userId: 'mcp-alice',
      conversationId: 'mcp-thread-1',
      role: 'user',
      content: 'I always book an aisle seat when I fly to Lisbon.',
    });
    expect(recorded.messageId).toMatch(/^[0-9a-f-]{36}$/);

    const context = await callJson(client, 'fetch_context', { conversationId: 'mcp-thread-1' });
    expect(context.conversation.recentTurns).toEqual([
      expect.objectContaining({
        role: 'user',
        content: 'I always book an aisle seat when I fly to Lisbon.',
      }),
    ]);
    // The thread id maps to the UUID it was recorded under, as the adapters map it.
    expect(recorded.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await callJson(client, 'fetch_context', {
      conversationId: recorded.conversationId,
    });
    expect(again.conversation.recentTurns).toHaveLength(1);
    await client.close();
  });

  it('finds what a recorded turn taught through search_memories and the user scope', async () => {
    const client = await connect();
    await callJson(client, 'record_turn', {
      userId: 'mcp-bob',
      conversationId: 'mcp-thread-2',
      role: 'user',
      content: 'I prefer window seats on long flights.',
    });
    // Extraction runs in the background after the turn is recorded.
    const found = await vi.waitFor(
      async () => {
        const result = await callJson(client, 'search_memories', {
          userId: 'mcp-bob',
          query: 'window seats',
        });
        expect(result.memories.length).toBeGreaterThan(0);
        return result;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(found.memories[0]).toMatchObject({ content: expect.stringMatching(/window seat/i) });
    const context = await callJson(client, 'fetch_context', { userId: 'mcp-bob' });
    expect(context.memories.map((memory: { id: string }) => memory.id)).toContain(
      found.memories[0].id,
    );
    expect(context.conversation).toBeUndefined();
    await client.close();
  });

  it('answers bad arguments with tool errors that name the field', async () => {
    const client = await connect();
    const missingContent = await call(client, 'record_turn', {
      userId: 'mcp-alice',
      conversationId: 'mcp-thread-1',
      role: 'user',
    });
    expect(missingContent.isError).toBe(true);
    expect(missingContent.text).toMatch(/content/);

    const badRole = await call(client, 'record_turn', {
      userId: 'mcp-alice',
      conversationId: 'mcp-thread-1',
      role: 'system',
      content: 'hi',
    });
    expect(badRole).toMatchObject({ isError: true, text: expect.stringMatching(/role/) });

    const noUser = await call(client, 'record_turn', {
      conversationId: 'mcp-thread-1',
      role: 'user',
      content: 'hi',
    });
    expect(noUser).toEqual({ isError: true, text: 'userId: is required' });

    const noScopeId = await call(client, 'search_memories', { query: 'seats' });
    expect(noScopeId).toEqual({ isError: true, text: 'userId: is required' });

    const badType = await call(client, 'fetch_context', { userId: 'a', types: ['opinions'] });
    expect(badType).toMatchObject({ isError: true, text: expect.stringMatching(/types/) });

    const unknownConversation = await call(client, 'fetch_context', {
      conversationId: 'never-recorded',
    });
    expect(unknownConversation).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^context_not_found: /),
    });
    await client.close();
  });

  it('with a configured identity, offers no identity arguments and acts for that user only', async () => {
    const client = await connect({ userId: 'mcp-carol', conversationId: 'mcp-thread-3' });
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(Object.keys(tool.inputSchema.properties ?? {})).not.toContain('userId');
      expect(Object.keys(tool.inputSchema.properties ?? {})).not.toContain('conversationId');
    }
    await callJson(client, 'record_turn', {
      role: 'user',
      content: 'Carol speaks here.',
      // Not an argument of this server: dropped, the turn stays Carol's.
      userId: 'mcp-mallory',
      conversationId: 'mcp-thread-1',
    });
    const own = await callJson(client, 'fetch_context', {});
    expect(own.conversation.recentTurns.map((turn: { content: string }) => turn.content)).toEqual([
      'Carol speaks here.',
    ]);
    const unbound = await connect();
    const other = await callJson(unbound, 'fetch_context', { conversationId: 'mcp-thread-1' });
    expect(
      other.conversation.recentTurns.map((turn: { content: string }) => turn.content),
    ).not.toContain('Carol speaks here.');
    await Promise.all([client.close(), unbound.close()]);
  });

  it('serves the same tools over streamable HTTP', async () => {
    const http = await serveMcpOverHttp({
      createMcpServer: () => createForesightMcpServer({ client: foresight }),
      port: 0,
    });
    try {
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      const recorded = await callJson(client, 'record_turn', {
        userId: 'mcp-dave',
        conversationId: 'mcp-thread-4',
        role: 'assistant',
        content: 'Your flight is booked.',
      });
      expect(recorded.messageId).toBeTruthy();
      const bad = await call(client, 'record_turn', { role: 'user', content: 'x' });
      expect(bad).toEqual({ isError: true, text: 'userId: is required' });
      await client.close();

      // fetch cannot set Host; node:http can, as a rebinding browser's request would carry.
      const rebinding = await new Promise<{ status: number | undefined }>((resolve, reject) => {
        const request = httpRequest(
          http.url,
          {
            method: 'POST',
            headers: {
              host: 'attacker.example',
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode });
          },
        );
        request.once('error', reject);
        request.end('{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
      });
      expect(rebinding.status).toBe(403);
    } finally {
      await http.close();
    }
  });
});

describe('foresight mcp', { timeout: 90_000 }, () => {
  it('speaks MCP on stdio to a client of the SDK', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/cli.ts', 'mcp', '--user-id', 'mcp-erin'],
      cwd: root,
      env: {
        ...(process.env as Record<string, string>),
        FORESIGHT_URL: env.server.restUrl,
        FORESIGHT_API_KEY: env.tenant.key,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      await callJson(client, 'record_turn', {
        conversationId: 'mcp-thread-5',
        role: 'user',
        content: 'Erin over stdio.',
      });
      const context = await callJson(client, 'fetch_context', { conversationId: 'mcp-thread-5' });
      expect(context.conversation.recentTurns[0].content).toBe('Erin over stdio.');
    } finally {
      await client.close();
    }
  });
});
