// A long-running process on the default client: one model call, then it idles (as a
// server would) until a signal ends it. Prints `ready` once the call answered.
import { generateText, stepCountIs, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { bookFlight, scriptedModelV4 } from './scripted-models.js';

const middleware = foresightMiddleware({ identity: { userId: 'alice', threadId: 'signal' } });
const model = wrapLanguageModel({ model: scriptedModelV4(), middleware });
await generateText({
  model,
  prompt: 'Book me a flight to Lisbon.',
  tools: { book_flight: bookFlight },
  stopWhen: stepCountIs(3),
});
// Keeps the process alive, as an application's server would.
setInterval(() => undefined, 60_000);
console.log('ready');
