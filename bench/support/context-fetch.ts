import { fetchQuery } from './chat-corpus.js';
import type { JsonClient } from './json-client.js';
import { type LatencySummary, summarize } from './latency-summary.js';
import { benchUserId } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

export interface ContextFetchOptions {
  client: JsonClient;
  /** Seeded users 0 .. users-1; each request asks for a random one of them. */
  users: number;
  warmup: number;
  requests: number;
}

export interface ContextFetchOutcome {
  latency: LatencySummary;
  /** Mean items per answer: a fetch that finds nothing would be fast for the wrong reason. */
  meanItems: number;
}

interface FetchAnswer {
  context: Record<string, unknown[]>;
}

/** POST /v1/context/user/fetch with a search_query, one request at a time. */
export async function measureContextFetch(
  options: ContextFetchOptions,
): Promise<ContextFetchOutcome> {
  const random = new SeededRandom(11);
  const fetchOnce = async () => {
    const answer = await options.client.post<FetchAnswer>('/v1/context/user/fetch', {
      user_id: benchUserId(random.integer(0, options.users - 1)),
      search_query: [fetchQuery(random)],
      max_results: 20,
      types: ['all'],
      mode: 'fast',
    });
    return Object.values(answer.context).reduce((sum, items) => sum + items.length, 0);
  };
  for (let index = 0; index < options.warmup; index++) await fetchOnce();
  const samples: number[] = [];
  let items = 0;
  for (let index = 0; index < options.requests; index++) {
    const started = performance.now();
    const found = await fetchOnce();
    samples.push(performance.now() - started);
    items += found;
  }
  return { latency: summarize(samples), meanItems: items / options.requests };
}
