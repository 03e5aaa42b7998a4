// With only FORESIGHT_URL and FORESIGHT_API_KEY set: import, wrap, generateText (ai@7).
import { generateText, stepCountIs, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { bookFlight, printOutcome, scriptedModelV4 } from './scripted-models.js';

const middleware = foresightMiddleware({
  identity: { userId: 'alice', threadId: 'three-lines-7' },
});
const model = wrapLanguageModel({ model: scriptedModelV4(), middleware });
const { text } = await generateText({
  model,
  prompt: 'Book me a flight to Lisbon.',
  tools: { book_flight: bookFlight },
  stopWhen: stepCountIs(3),
});
printOutcome(text);
