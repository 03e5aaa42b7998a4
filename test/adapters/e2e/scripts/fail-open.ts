// Fail-open in a short script: generateText, then streamText, on the default client,
// whatever state the service is in. Prints how long each took; the process must end by
// itself (exit 0), with the default client's flush at exit.
import { generateText, stepCountIs, streamText, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { bookFlight, scriptedModelV4 } from './scripted-models.js';

const middleware = foresightMiddleware({ identity: { userId: 'alice', threadId: 'fail-open' } });
const model = wrapLanguageModel({ model: scriptedModelV4(), middleware });
const request = {
  model,
  prompt: 'Book me a flight to Lisbon.',
  tools: { book_flight: bookFlight },
  stopWhen: stepCountIs(3),
};
let started = performance.now();
const generated = await generateText(request);
const generateMs = performance.now() - started;
started = performance.now();
const streamed = streamText(request);
let streamedText = '';
for await (const delta of streamed.textStream) streamedText += delta;
const streamMs = performance.now() - started;
console.log(
  JSON.stringify({
    generated: generated.text,
    streamed: streamedText,
    generateMs,
    streamMs,
    calls: (generated.steps.length ?? 0) + (await streamed.steps).length,
    endedAt: Date.now(),
  }),
);
