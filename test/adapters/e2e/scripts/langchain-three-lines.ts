// With only FORESIGHT_URL and FORESIGHT_API_KEY set: import, createAgent with the
// middleware, invoke (LangChain v1).
import { HumanMessage } from '@langchain/core/messages';
import { foresightMiddleware } from 'foresight/langchain';
import { createAgent } from 'langchain';
import { bookFlightTool, scriptedChatModel } from './scripted-chat-model.js';
import { printOutcome } from './scripted-models.js';

const agent = createAgent({
  model: scriptedChatModel(),
  tools: [bookFlightTool],
  middleware: [foresightMiddleware({ identity: { userId: 'alice', threadId: 'three-lines-lc' } })],
});
const result = await agent.invoke({ messages: [new HumanMessage('Book me a flight to Lisbon.')] });
printOutcome(result.messages.at(-1)?.text ?? '');
