import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { scriptedTurns } from './scripted-turns.js';

/**
 * A long outage compressed in time: `OUTAGE_SECONDS` of an agent recording
 * `RATE` messages a second (default 10 minutes at 100/s: 60 000 messages) into a
 * black-holed service (connections accepted, never answered). The outbox holds at
 * most its bounds at every sample, and `dropped` is exactly what went over them.
 * `FORESIGHT_FAULT_OUTAGE_SECONDS` shortens or lengthens the simulated outage.
 */
const OUTAGE_SECONDS = Number(process.env.FORESIGHT_FAULT_OUTAGE_SECONDS ?? 600);
const RATE = 100;
const TOTAL = OUTAGE_SECONDS * RATE;

let proxy: FaultProxy;

beforeAll(async () => {
  // Nothing listens behind it: a black hole never connects upstream anyway.
  proxy = await FaultProxy.start('127.0.0.1:9');
  proxy.set({ blackHole: true });
});

afterAll(async () => {
  await proxy?.close();
});

describe.each([
  { bound: 'count', maxQueued: 5_000, maxQueuedBytes: 64 * 1024 * 1024 },
  { bound: 'bytes', maxQueued: 1_000_000, maxQueuedBytes: 512 * 1024 },
])('the outbox during a $bound-bound outage', ({ maxQueued, maxQueuedBytes }) => {
  it(`holds at most its bounds over ${TOTAL} messages, and drops exactly the excess`, async () => {
    const client = createClient({
      url: proxy.url,
      apiKey: 'fsk_blackhole0001_abcdefghijklmnopqrstuvwxyz012345',
      env: {},
      timeoutMs: 500,
      logger: { warn: () => undefined },
      outbox: {
        maxQueued,
        maxQueuedBytes,
        maxBatchSize: 100,
        flushIntervalMs: 10,
        baseRetryDelayMs: 50,
        maxRetryDelayMs: 200,
      },
    });
    const turns = scriptedTurns(randomUUID(), RATE);
    let peakQueued = 0;
    let peakBytes = 0;
    try {
      for (let second = 0; second < OUTAGE_SECONDS; second++) {
        client.outbox.enqueue(
          turns.map((turn) => ({ ...turn, content: `${turn.content} @${second}` })),
        );
        const sample = client.outbox.stats();
        peakQueued = Math.max(peakQueued, sample.queued);
        peakBytes = Math.max(peakBytes, sample.queuedBytes);
        expect(sample.queued).toBeLessThanOrEqual(maxQueued);
        expect(sample.queuedBytes).toBeLessThanOrEqual(maxQueuedBytes);
        // A turn of the event loop each simulated second: sends and their timeouts run.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const stats = client.outbox.stats();
      // Sends went out and vanished into the black hole.
      expect(proxy.stats().blackHoled).toBeGreaterThan(0);
      expect(stats.delivered).toBe(0);
      expect(stats.failed).toBe(0);
      // The outbox filled up to its bound, and every message beyond it was counted.
      expect(stats.dropped).toBe(TOTAL - stats.queued);
      expect(stats.dropped).toBeGreaterThan(0);
      if (maxQueued < TOTAL && maxQueuedBytes > 1024 * 1024) expect(peakQueued).toBe(maxQueued);
      else expect(peakBytes).toBeGreaterThan(maxQueuedBytes * 0.9);
      const closed = await client.close({ timeoutMs: 200 });
      // Nothing could be delivered: what was held is reported undelivered.
      expect(closed.delivered).toBe(0);
      expect(closed.undelivered).toBe(stats.queued);
      expect(closed.dropped).toBe(stats.dropped);
    } finally {
      await client.close({ timeoutMs: 200 });
    }
  }, 60_000);
});
