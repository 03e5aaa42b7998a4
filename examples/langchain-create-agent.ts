// LangChain v1 `createAgent` with Foresight's agent middleware: it records the turns,
// sends each tool call as an event when the model asks for it (`afterModel`), and
// injects the anticipated context into every model call (`wrapModelCall`). Prints the
// context each model call received, the agent's answer, and what was recorded.
//
// Run: npm run example -- langchain-create-agent
import { HumanMessage } from '@langchain/core/messages';
import { foresightMiddleware } from 'foresight/langchain';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import { scriptedChatModel } from './support/langchain-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('dora'));
const model = scriptedChatModel({ withTool: true, destination: 'Lisbon' });
const bookFlightTool = tool(async (input) => JSON.stringify(await bookFlight(input)), {
  name: 'book_flight',
  description: 'Books a flight for the user.',
  schema: z.object({ destination: z.string(), seat: z.string().optional() }),
});

// #region snippet
const foresight = foresightMiddleware({ identity: { userId: 'dora' } }); // FORESIGHT_URL, FORESIGHT_API_KEY

const agent = createAgent({
  model,
  tools: [bookFlightTool],
  systemPrompt: SYSTEM_PROMPT,
  middleware: [foresight], // last: closest to the model, so it sees the prompt as sent
});
const result = await agent.invoke(
  { messages: [new HumanMessage(REQUEST)] },
  { configurable: { thread_id: 'chat-43' } }, // the conversation
);
// #endregion

console.log(`agent answer: ${result.messages.at(-1)?.text ?? ''}`);
await foresight.tracker.flush();
printStats(foresight.tracker.stats());
