import { conversationIdFrom, createClient, defaultClient } from 'foresight';

/** An earlier conversation of a user, recorded before the example's agent runs. */
export interface EarlierConversation {
  threadId: string;
  userId: string;
  /** Required by B2B tenants. */
  customerId?: string;
  turns: { role: 'user' | 'assistant'; content: string }[];
  /** A phrase the service must have remembered from the turns before the agent starts. */
  remembers: string;
  /** Bound of the wait for the service to extract it, ms. Default 20 000. */
  timeoutMs?: number;
}

/**
 * Records an earlier conversation through a client of its own (same env as the example's),
 * then waits (bounded) until the service has turned it into a memory: extraction runs in
 * the background, on any Synap service. Idempotency keys make a second run answer the
 * stored turns instead of adding copies. Prints and answers the remembered memory's text.
 */
export async function rememberEarlierConversation(
  earlier: EarlierConversation,
  options: { warmDefaultClient?: boolean } = {},
): Promise<string> {
  const client = createClient();
  try {
    // The default client's stream connects while the service extracts the earlier
    // conversation, as it would during a real app's start-up: the examples' scripted
    // models answer at once, where a real first request comes long after the process
    // started. An adapter made later finds it connected (the adapters start it themselves
    // either way). Only once the service took the recording: a refused key is then said
    // once, by the recording, not also by the stream.
    const warm = () => {
      if (options.warmDefaultClient !== false) defaultClient().instance.listenInBackground();
    };
    const memory = await recordAndWait(client, earlier, warm);
    console.log(`remembered from an earlier conversation of ${earlier.userId}: ${memory}`);
    return memory;
  } finally {
    await client.close();
  }
}

async function recordAndWait(
  client: ReturnType<typeof createClient>,
  earlier: EarlierConversation,
  recorded: () => void,
): Promise<string> {
  const conversationId = conversationIdFrom(earlier.threadId);
  const customer = earlier.customerId !== undefined ? { customerId: earlier.customerId } : {};
  const result = await client.conversation.recordMessages(
    earlier.turns.map((turn, at) => ({
      conversationId,
      userId: earlier.userId,
      ...customer,
      role: turn.role,
      content: turn.content,
      idempotencyKey: `example:${earlier.threadId}:${at}`,
    })),
  );
  const failed = result.results.find((outcome) => !outcome.ok);
  if (failed && !failed.ok) throw new Error(`recording ${earlier.threadId}: ${failed.message}`);
  recorded();

  const wanted = earlier.remembers.toLowerCase();
  const deadline = Date.now() + (earlier.timeoutMs ?? 20_000);
  for (;;) {
    const { context } = await client.context.fetch({
      scope: 'user',
      userId: earlier.userId,
      ...customer,
      searchQuery: earlier.remembers,
    });
    const found = Object.values(context)
      .flat()
      .find((item) => item.content.toLowerCase().includes(wanted));
    if (found) return found.content;
    if (Date.now() >= deadline) {
      throw new Error(
        `the service remembered nothing with "${earlier.remembers}" from ${earlier.threadId} ` +
          `within ${earlier.timeoutMs ?? 20_000} ms (is its extraction running?)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
