import type { Command } from 'commander';
import { createClient } from '../client/create-client.js';

interface McpFlags {
  url?: string;
  apiKey?: string;
  userId?: string;
  customerId?: string;
  conversationId?: string;
  http?: boolean;
  port?: string;
  host?: string;
}

/**
 * `foresight mcp`: an MCP server (stdio by default, streamable HTTP with `--http`)
 * whose tools record turns into and read context from a Foresight server. Standard
 * output belongs to the MCP protocol on stdio, so everything else goes to stderr.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(
      'Run an MCP server (stdio, or streamable HTTP) with tools over a Foresight server.',
    )
    .option(
      '--url <url>',
      'the Foresight server (env FORESIGHT_URL, default http://127.0.0.1:8420)',
    )
    .option('--api-key <key>', 'its API key (env FORESIGHT_API_KEY)')
    .option('--user-id <id>', 'act for this user only (env FORESIGHT_MCP_USER_ID)')
    .option(
      '--customer-id <id>',
      'and this customer, for B2B tenants (env FORESIGHT_MCP_CUSTOMER_ID)',
    )
    .option(
      '--conversation-id <id>',
      'and this conversation: a UUID or a thread id (env FORESIGHT_MCP_CONVERSATION_ID)',
    )
    .option('--http', 'serve streamable HTTP at /mcp instead of stdio')
    .option('--port <port>', 'HTTP port with --http, 0 for any free one (default 8422)')
    .option('--host <host>', 'HTTP interface with --http (default 127.0.0.1)')
    .addHelpText(
      'after',
      `
Tools: record_turn, fetch_context, search_memories. Identity fields given here are fixed
for every call and are not offered to the MCP client as arguments; those left out are
arguments of each tool. Tool failures (a bad argument, an unknown conversation, an
unreachable server) come back as MCP tool errors naming the field or the error code.

Example (a client's MCP configuration):
  { "command": "npx", "args": ["foresight", "mcp", "--user-id", "alice"],
    "env": { "FORESIGHT_URL": "http://127.0.0.1:8420", "FORESIGHT_API_KEY": "fs_..." } }`,
    )
    .action(async (flags: McpFlags) => {
      const client = createClient({
        ...(flags.url ? { url: flags.url } : {}),
        ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
      });
      // Loaded here: the other commands never load the MCP SDK.
      const { createForesightMcpServer, resolveMcpIdentity, serveMcpOverHttp } = await import(
        '../mcp/index.js'
      );
      const identity = resolveMcpIdentity(flags);
      const createMcpServer = () => createForesightMcpServer({ client, identity });
      let stop: () => Promise<void>;
      if (flags.http) {
        const http = await serveMcpOverHttp({
          createMcpServer,
          port: flags.port === undefined ? 8422 : parsePort(flags.port),
          ...(flags.host ? { host: flags.host } : {}),
        });
        console.error(`MCP   ${http.url}`);
        stop = () => http.close();
      } else {
        const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
        const server = createMcpServer();
        await server.connect(new StdioServerTransport());
        stop = () => server.close();
        // The client hanging up (stdin closed) ends the session.
        process.stdin.once('end', () => shutdown());
      }
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        stop()
          .then(() => client.close({ timeoutMs: 2000 }))
          .then(
            () => process.exit(0),
            (error: unknown) => {
              console.error(`foresight mcp: ${error instanceof Error ? error.message : error}`);
              process.exit(1);
            },
          );
      };
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: must be an integer from 0 to 65535, got ${value}`);
  return port;
}
