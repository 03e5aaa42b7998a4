// Recording from a serverless function: the handler answers first and hands the flush
// to the platform (`waitUntil` on Vercel and Cloudflare, `after` in Next.js), so the
// user never waits on the context service and no turn is lost when the instance is
// frozen. Turns go through the client's outbox: queued without any network on the
// handler's path, batched, retried with the same idempotency keys. Prints what the
// flush reports (delivered, undelivered, dropped) and what the service then holds.
//
// Run: npm run example -- serverless-outbox
import { randomUUID } from 'node:crypto';
import { createClient } from 'foresight';

/** What Vercel and Cloudflare Workers hand a function: work to finish after the answer. */
interface PlatformContext {
  waitUntil(promise: Promise<unknown>): void;
}

// #region snippet
const client = createClient({ outbox: { maxBatchSize: 100, flushIntervalMs: 100 } });

export async function handler(request: Request, context: PlatformContext): Promise<Response> {
  const { userId, chatId, question, answer } = (await request.json()) as {
    userId: string;
    chatId: string;
    question: string;
    answer: string;
  };
  client.outbox.enqueue([
    { conversationId: chatId, userId, role: 'user', content: question },
    { conversationId: chatId, userId, role: 'assistant', content: answer },
  ]);
  // Answer now; the platform keeps the instance alive until the flush settles.
  context.waitUntil(
    client.flush({ timeoutMs: 2_000 }).then(({ delivered, undelivered, dropped }) => {
      console.log(`flush: delivered ${delivered}, undelivered ${undelivered}, dropped ${dropped}`);
    }),
  );
  return Response.json({ ok: true });
}
// Next.js (app router): `after(() => client.flush({ timeoutMs: 2_000 }))` instead.
// #endregion

// The platform's part, played here: run the handler, then await what it left behind.
const pending: Promise<unknown>[] = [];
const chatId = randomUUID();
const response = await handler(
  new Request('https://example.test/api/chat', {
    method: 'POST',
    body: JSON.stringify({
      userId: 'rafael',
      chatId,
      question: 'Can you book me a window seat to Porto?',
      answer: 'Booked: window seat to Porto on Friday.',
    }),
  }),
  { waitUntil: (promise) => pending.push(promise) },
);
console.log(`handler answered ${response.status} before the flush`);
await Promise.all(pending);
const stored = await client.conversation.contextForPrompt(chatId);
console.log(`the service holds ${stored.totalMessageCount} turns of this chat`);
await client.close();
