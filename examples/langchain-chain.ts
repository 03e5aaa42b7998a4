// A plain LangChain chain (prompt | model | parser), no agent. `withForesightContext`
// wraps the chat model so each call gets the anticipated context in its system message,
// and records the turns through a `ForesightCallbackHandler` on the same tracker. The
// handler alone records and sends events but cannot change a prompt (callbacks never
// can): use it on its own where you only want recording. Prints the context the model
// received, the answer, and what was recorded.
//
// Run: npm run example -- langchain-chain
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ForesightCallbackHandler, withForesightContext } from 'foresight/langchain';
import { scriptedChatModel } from './support/langchain-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { earlierTrip, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('emma'));
const chatModel = scriptedChatModel({ withTool: false, destination: 'Porto' });

// #region snippet
const handler = new ForesightCallbackHandler(); // records turns, sends events
// One tracker: nothing is recorded twice.
const model = withForesightContext(chatModel, { tracker: handler.tracker });
const prompt = ChatPromptTemplate.fromMessages([
  ['system', SYSTEM_PROMPT],
  ['human', '{request}'],
]);
const chain = prompt.pipe(model).pipe(new StringOutputParser());

const answer = await chain.invoke(
  { request: 'Book me a flight to Porto on Friday.' },
  { callbacks: [handler], metadata: { thread_id: 'chat-9', user_id: 'emma' } },
);
// #endregion

console.log(`chain answer: ${answer}`);
await handler.tracker.flush();
printStats(handler.tracker.stats());
