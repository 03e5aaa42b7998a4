/** The MCP server of `foresight mcp`: tools over a Foresight client. */
export {
  createForesightMcpServer,
  type ForesightMcpServerOptions,
} from './foresight-mcp-server.js';
export { type McpHttpServer, serveMcpOverHttp } from './mcp-http-server.js';
export { type McpIdentity, resolveMcpIdentity } from './mcp-identity.js';
