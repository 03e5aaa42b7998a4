// An edge runtime (Vercel Edge, Cloudflare Workers, Deno Deploy): no http2, so no gRPC.
// With `transport: 'http'` the client sends events with `POST /v1/events` and receives
// bundles by long-polling `GET /v1/bundles/next`, over plain fetch; grpc-js is never
// loaded. The handler below is what a route of such a runtime exports; it flushes
// before it returns, because the runtime may freeze the process right after. Prints
// the context the model received and the response the handler returned.
//
// Run: npm run example -- edge-http-transport
import { generateText, stepCountIs, tool, wrapLanguageModel } from 'ai';
import { createClient } from 'foresight';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('ines'), { warmDefaultClient: false });
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);
const tools = {
  book_flight: tool({
    description: 'Books a flight for the user.',
    inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
    execute: bookFlight,
  }),
};

// #region snippet
const client = createClient({ transport: 'http' }); // FORESIGHT_URL, FORESIGHT_API_KEY
const middleware = foresightMiddleware(client); // it starts the client's stream itself
const model = wrapLanguageModel({ model: yourModel, middleware });

export async function POST(request: Request): Promise<Response> {
  const { prompt, userId, chatId } = (await request.json()) as {
    prompt: string;
    userId: string;
    chatId: string;
  };
  const { text } = await generateText({
    model,
    system: SYSTEM_PROMPT,
    prompt,
    tools,
    stopWhen: stepCountIs(4),
    providerOptions: { foresight: { userId, threadId: chatId } },
  });
  await middleware.tracker.flush(); // before the runtime freezes the function
  return Response.json({ text });
}
// #endregion

const response = await POST(
  new Request('https://example.test/api/chat', {
    method: 'POST',
    body: JSON.stringify({
      prompt: 'Book me a flight to Lisbon.',
      userId: 'ines',
      chatId: 'edge-1',
    }),
  }),
);
console.log(`transport: ${client.options.transport}`);
console.log(`handler response: ${await response.text()}`);
printStats(middleware.tracker.stats());
await client.close();
