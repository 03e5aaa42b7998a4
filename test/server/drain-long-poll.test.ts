import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { startTestServer } from '../support/test-server.js';

describe('ForesightServer.close', () => {
  it('answers a waiting long-poll at once instead of holding the drain for its wait_ms', async () => {
    const test = await startTestServer('postgres');
    try {
      const url = new URL(`${test.server.restUrl}/v1/bundles/next`);
      url.searchParams.set('conversation_id', randomUUID());
      url.searchParams.set('user_id', 'ana');
      url.searchParams.set('wait_ms', '20000');
      const poll = fetch(url, { headers: { authorization: `Bearer ${test.tenant.key}` } });
      // The poll has reached its wait.
      await vi.waitFor(
        async () =>
          expect((await test.server.metrics.longPollsWaiting.get()).values[0]?.value).toBe(1),
        { timeout: 10_000, interval: 20 },
      );
      const started = performance.now();
      // A grace far longer than the answer may take: only the hub close can make it quick.
      const graceMs = 15_000;
      const closed = test.server.close({ graceMs });
      const response = await poll;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ bundles: [], next_cursor: '0' });
      await closed;
      // Held for its wait_ms (20 s) or the grace, it would take all of it.
      expect(performance.now() - started).toBeLessThan(graceMs / 3);
    } finally {
      await test.close();
    }
  });
});
