import type { CachedBundle, ForesightClient } from 'foresight';

/**
 * The cached bundle for a conversation once one has arrived, waiting at most `timeoutMs`
 * (default 2000). The bundle answering a tool call comes over the stream while the tool
 * runs; a real tool and a real model call take long enough for it, but the examples'
 * tools are instant (the adapters wait the same way, bounded by `awaitContextMs`).
 */
export async function cachedContext(
  client: ForesightClient,
  key: { conversationId: string; userId: string },
  timeoutMs = 2000,
): Promise<CachedBundle | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = client.context.peek(key);
    if (found?.bundle.anticipationConversationId === key.conversationId) return found;
    if (Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
