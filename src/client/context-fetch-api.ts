import type { CallOptions, HttpClient } from './http-client.js';
import { fetchSchema, validateInput } from './input-schemas.js';
import type { FetchInput, FetchResult } from './types.js';
import { fetchResultFromWire, fetchToWire } from './wire-mapping.js';

/**
 * Memories of one scope over REST (`client.context.fetch`): `POST /v1/context/<scope>/fetch`.
 * The scope's id is required (conversation → `conversationId`, user → `userId`,
 * customer → `customerId`; client needs none) and checked before anything is sent,
 * like every other field. Defaults: 20 results, all five memory types, `fast` mode.
 *
 * @example
 * const { context } = await fetchContext(http, { scope: 'user', userId: 'alice', searchQuery: 'seat' });
 * context.preferences[0]?.content;
 */
export async function fetchContext(
  http: HttpClient,
  input: FetchInput,
  options?: CallOptions,
): Promise<FetchResult> {
  const valid = validateInput(fetchSchema, input);
  const body = await http.request('POST', `/v1/context/${valid.scope}/fetch`, {
    ...options,
    body: fetchToWire(valid),
  });
  return fetchResultFromWire(body, valid.scope);
}
