// The AI SDK's `ToolLoopAgent` (ai@7's agent class) on a model wrapped with Foresight: the
// agent runs its own tool loop, and every step goes through the middleware, so tool calls
// go out as events and the anticipated context lands in the next step's system prompt.
// Prints the context each model call received, the agent's answer, and what was recorded.
//
// Run: npm run example -- ai-sdk-agent
import { stepCountIs, ToolLoopAgent, tool, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('carla'));
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);

// #region snippet
const middleware = foresightMiddleware({
  identity: { userId: 'carla', threadId: 'agent-session-1' },
});

const agent = new ToolLoopAgent({
  model: wrapLanguageModel({ model: yourModel, middleware }),
  instructions: SYSTEM_PROMPT,
  tools: {
    book_flight: tool({
      description: 'Books a flight for the user.',
      inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
      execute: bookFlight,
    }),
  },
  stopWhen: stepCountIs(4),
});
const { text, steps } = await agent.generate({ prompt: REQUEST });
// #endregion

console.log(`agent answer after ${steps.length} steps: ${text}`);
await middleware.tracker.flush();
printStats(middleware.tracker.stats());
