/**
 * `foresight/server`: the self-hostable context server (REST + gRPC over PGlite or
 * PostgreSQL), and its store for tools that need it.
 */
export type { Clock } from '../clock.js';
export { createServer, DEFAULT_CLIENT_ID, type ForesightServer } from './create-server.js';
export type { CompactionOptions, ExtractionOptions, ModelPluginOptions } from './model-plugins.js';
export type { EmbeddingOptions, ServerOptions } from './server-options.js';
