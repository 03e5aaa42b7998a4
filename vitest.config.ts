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
    hookTimeout: 120_000,
    // expect.poll waits for an event; its bound is for a test that would otherwise hang,
    // not a timing claim, so it is generous for a loaded machine (default 1 s).
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', new SummaryReporter()],
  },
});
