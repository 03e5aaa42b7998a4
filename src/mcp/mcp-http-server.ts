import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** A running streamable-HTTP MCP endpoint. */
export interface McpHttpServer {
  /** `http://host:port/mcp`. */
  readonly url: string;
  /** Stops accepting requests and ends open ones. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves MCP over streamable HTTP at `/mcp`, stateless: each POST gets a fresh server
 * from `createMcpServer` and answers in JSON, so there are no sessions to keep or
 * expire. Requests must name this server in `Host` (a guard against DNS rebinding:
 * a web page cannot reach it through a name of its own).
 */
export async function serveMcpOverHttp(options: {
  createMcpServer: () => McpServer;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 for any free port. */
  port: number;
}): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  let allowedHosts: string[] = [];
  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
      else response.destroy();
    });
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/mcp') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: use /mcp');
      return;
    }
    if (request.method !== 'POST') {
      // No sessions, so no server-initiated stream (GET) and nothing to end (DELETE).
      response.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'method not allowed: this server is stateless' },
          id: null,
        }),
      );
      return;
    }
    const server = options.createMcpServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      enableDnsRebindingProtection: true,
      allowedHosts,
    });
    // allSettled: closing a finished exchange has nothing to report, and never rejects.
    response.on('close', () => {
      void Promise.allSettled([transport.close(), server.close()]);
    });
    await server.connect(transport);
    await transport.handleRequest(request, response);
  }
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/mcp`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return closing;
    },
  };
}
