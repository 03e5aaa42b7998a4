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
    await s.t.close();
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
      const started = performance.now();
      expect(
        await aiTool.execute(
          { city: 'Lisbon' },
          { toolCallId: 'down-1', messages: [], context: {} },
        ),
      ).toBe('sunny');
      expect(await lcTool.invoke({ city: 'Porto' })).toBe('rainy');
      // Nothing waited on the unreachable server (its requests retry in the background).
      expect(performance.now() - started).toBeLessThan(500);

      // The client drops what it cannot send (and warns once); the tracker's calls settle.
      expect(await tracker.flush({ timeoutMs: 10_000 })).toMatchObject({ pending: 0 });
      expect(tracker.stats().failures.adapter).toBe(0);
    } finally {
      await s.client.close();
    }
  });
});
