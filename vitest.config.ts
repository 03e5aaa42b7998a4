import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // Most files wait on servers, timers and child processes, not on the CPU: on a
    // 2-core machine the default (one worker) left a core idle and ran them in series.
    maxWorkers: 3,
    // A worker runs file after file instead of starting afresh for each: importing the
    // server's module graph (Fastify, grpc-js, PGlite, the AI SDK, LangChain) cost 1 to
    // 3 s of CPU per file. Files leave nothing behind that the next one could see: each
    // closes its servers and stores, and restores the env and globals it changes
    // (auto-listen's env, tracing's tracer provider, reconnect-backoff's fake timers).
    isolate: false,
    hookTimeout: 120_000,
    // expect.poll waits for an event; its bound is for a test that would otherwise hang,
    // not a timing claim, so it is generous for a loaded machine (default 1 s).
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', new SummaryReporter()],
  },
});
