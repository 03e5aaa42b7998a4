import { tool as langChainTool } from '@langchain/core/tools';
import * as ai7 from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withForesight } from '../../../adapters/tools/index.js';
import { startToolServer } from './tool-server.js';

describe('withForesight with the server stopped', () => {
  it('runs the tool and answers its result at once, waiting on nothing', async () => {
    const s = await startToolServer();
    const { tracker } = s.newTracker();
    try {
      const aiTool = withForesight(
        ai7.tool({ inputSchema: z.object({ city: z.string() }), execute: async () => 'sunny' }),
        { tracker, toolName: 'weather' },
      );
      const lcTool = withForesight(
        langChainTool(async () => 'rainy', {
          name: 'weather',
          description: 'The weather',
          schema: z.object({ city: z.string() }),
        }),
        { tracker },
      );
      const both = async (id: string) => {
        const started = performance.now();
        expect(
          await aiTool.execute({ city: 'Lisbon' }, { toolCallId: id, messages: [], context: {} }),
        ).toBe('sunny');
        expect(await lcTool.invoke({ city: 'Porto' })).toBe('rainy');
        return performance.now() - started;
      };
      // Baseline: the same calls with the server up, warmed up, the slowest.
      let baselineMs = 0;
      for (let run = 0; run < 3; run++) baselineMs = Math.max(baselineMs, await both(`up-${run}`));

      await s.t.close();
      // Nothing waited on the unreachable server (its requests retry in the background):
      // a generous multiple of the baseline, where waiting would cost the client's timeout.
      expect(await both('down-1')).toBeLessThan(10 * baselineMs);

      // The client drops what it cannot send (and warns once); the tracker's calls settle.
      expect(await tracker.flush({ timeoutMs: 10_000 })).toMatchObject({ pending: 0 });
      expect(tracker.stats().failures.adapter).toBe(0);
    } finally {
      await s.client.close();
    }
    // It starts and stops a server of its own: seconds on a loaded machine.
  }, 90_000);
});
