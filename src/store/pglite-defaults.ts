/**
 * PostgreSQL's `shared_buffers` for PGlite when none is given, MiB: its page cache,
 * inside the WebAssembly heap. PGlite zeroes the whole pool at start, so all of it is
 * resident from the first second and never given back. PostgreSQL's own default (128)
 * was half the embedded server's memory at start; at 16, retrieval over 100k memories
 * measured no slower (pages beyond the pool come from the OS page cache) and batch
 * ingest no slower either (npm run bench -- anticipation, -- server).
 */
export const DEFAULT_SHARED_BUFFERS_MB = 16;
