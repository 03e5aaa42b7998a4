// Pointing Foresight at the hosted Synap platform instead of the bundled server: the
// client speaks the Synap protocol, so only the connection changes. Every option below
// also comes from its env variable when left out (that is what `createClient()` does);
// they are spelled out here to show which ones a hosted service needs. Prints the
// connection in force (never the key), the context the model received, and the answer.
//
//   FORESIGHT_URL          REST base URL of the service (https://... for Synap)
//   FORESIGHT_API_KEY      your API key
//   FORESIGHT_GRPC_TARGET  host:port of its gRPC endpoint (default: the URL's host, 8421)
//   FORESIGHT_GRPC_TLS     true/false (default: true when the URL is https)
//   FORESIGHT_INSTANCE_ID  inst_ + 16 hex digits, when the service gave you one
//   FORESIGHT_CLIENT_ID    your client id, when the service asks for one
//
// Run: FORESIGHT_URL=https://... FORESIGHT_API_KEY=... npm run example -- hosted-synap
//      (without FORESIGHT_URL it runs against an embedded server, the same way)
import { generateText, stepCountIs, tool, wrapLanguageModel } from 'ai';
import { createClient } from 'foresight';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('hana'), { warmDefaultClient: false });
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);

// #region snippet
const env = process.env;
const client = createClient({
  url: env.FORESIGHT_URL,
  apiKey: env.FORESIGHT_API_KEY,
  grpcTarget: env.FORESIGHT_GRPC_TARGET,
  grpcTls: env.FORESIGHT_GRPC_TLS === undefined ? undefined : env.FORESIGHT_GRPC_TLS === 'true',
  instanceId: env.FORESIGHT_INSTANCE_ID,
  clientId: env.FORESIGHT_CLIENT_ID,
});
// #endregion
const { url, grpcTarget, grpcTls, transport } = client.options;
console.log(`connected: ${url}, gRPC ${grpcTarget} (tls ${grpcTls}), transport ${transport}`);

const middleware = foresightMiddleware(client, {
  identity: { userId: 'hana', threadId: 'hosted-1' },
});
const { text } = await generateText({
  model: wrapLanguageModel({ model: yourModel, middleware }),
  system: SYSTEM_PROMPT,
  prompt: REQUEST,
  tools: {
    book_flight: tool({
      description: 'Books a flight for the user.',
      inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
      execute: bookFlight,
    }),
  },
  stopWhen: stepCountIs(4),
});
console.log(`answer: ${text}`);
await middleware.tracker.flush();
printStats(middleware.tracker.stats());
await client.close();
