import type { Logger } from 'pino';
import { z } from 'zod';
import {
  type ContextBundleJson,
  contextBundleFromJson,
  contextBundleToJson,
} from '../../protocol/bundle-codec.js';
import type { BundleRecord } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { AuthContext } from '../api-keys.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import type { BundleHub } from './bundle-hub.js';
import type { EventAdmission } from './event-admission.js';
import type { EventProcessor } from './event-processor.js';

export interface HttpEventPathOptions {
  processor: EventProcessor;
  store: Store;
  hub: BundleHub;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Bundles answered by one poll at most; the rest wait for the next cursor. Default 50. */
  maxBundlesPerPoll?: number;
  /** Upper bound of `wait_ms`. Default 30 000. */
  maxWaitMs?: number;
  /** `wait_ms` when none is given. Default 20 000. */
  defaultWaitMs?: number;
  /** The server-wide bound on events in flight; past it, `POST /v1/events` answers 429. */
  admission?: EventAdmission;
}

/**
 * `GET /v1/bundles/next` query, as strings (a query string) or numbers. `nextBundles`
 * takes `unknown` and validates, so a raw parsed query string can be passed as is.
 */
export interface NextBundlesQuery {
  conversation_id?: unknown;
  user_id?: unknown;
  /** Required for a B2B client, as on events: a user id names a person within a customer. */
  customer_id?: unknown;
  cursor?: unknown;
  wait_ms?: unknown;
}

export interface NextBundlesResult {
  bundles: ContextBundleJson[];
  /** Pass back as `cursor`; unchanged when nothing new arrived. */
  next_cursor: string;
}

/**
 * The HTTP fallback of the event path (wire.md, "Our extensions") for runtimes
 * without http2, free of any web framework: the REST layer parses the request,
 * authenticates, and calls these.
 */
export interface HttpEventPath {
  /** `POST /v1/events`: one event, snake_case, `tool_args` as an object. */
  postEvent(auth: AuthContext, body: unknown): Promise<{ event_id: string }>;
  /**
   * `GET /v1/bundles/next`: bundles after `cursor` at once if there are any, else a
   * wait of at most `wait_ms` for one, then a last read of the store (which finds a
   * bundle saved by another replica). `query` has the shape of `NextBundlesQuery` and
   * is validated here. `signal` ends the wait when the client leaves.
   */
  nextBundles(auth: AuthContext, query: unknown, signal?: AbortSignal): Promise<NextBundlesResult>;
}

/** The longest `wait_ms` a long-poll may ask for, and its value when left out. */
export const MAX_WAIT_MS = 30_000;
export const DEFAULT_WAIT_MS = 20_000;

export function createHttpEventPath(options: HttpEventPathOptions): HttpEventPath {
  const { processor, store, hub, metrics, logger } = options;
  const limit = options.maxBundlesPerPoll ?? 50;
  const querySchema = nextBundlesQuerySchema(
    options.maxWaitMs ?? MAX_WAIT_MS,
    options.defaultWaitMs ?? DEFAULT_WAIT_MS,
  );

  const read = async (auth: AuthContext, query: ParsedQuery): Promise<NextBundlesResult> => {
    const records = await store.listBundlesSince(auth.clientId, {
      conversationId: query.conversation_id,
      userId: query.user_id,
      customerId: query.customer_id,
      afterSeq: query.cursor,
      limit,
    });
    const last = records.at(-1);
    if (records.length > 0) metrics?.bundlesPushed.inc({ transport: 'http' }, records.length);
    return {
      bundles: records.flatMap((record) => bundleJson(record, logger)),
      next_cursor: String(last ? last.seq : query.cursor),
    };
  };

  return {
    async postEvent(auth, body) {
      const admission = options.admission;
      if (admission && !admission.tryAcquire()) {
        metrics?.eventsShed.inc();
        throw new ServerError({
          code: 'rate_limited',
          detail: 'server is behind; retry shortly',
          retryAfterSeconds: 1,
        });
      }
      try {
        const { eventId } = await processor.handle(auth, body, 'http');
        return { event_id: eventId };
      } finally {
        admission?.release();
      }
    },

    async nextBundles(auth, rawQuery, signal) {
      const query = parseQuery(querySchema, rawQuery);
      if (auth.clientMode === 'b2b' && query.customer_id === '') {
        throw ServerError.invalid('customer_id', 'is required for a B2B client');
      }
      const deadline = Date.now() + query.wait_ms;
      for (;;) {
        // Subscribed before the read, so a bundle saved in between still wakes us.
        const subscription =
          query.wait_ms > 0
            ? hub.subscribe(auth.clientId, query.conversation_id, query.user_id)
            : null;
        try {
          const result = await read(auth, query);
          // A moved cursor counts even when every payload was skipped: never re-read it.
          if (result.next_cursor !== String(query.cursor) || !subscription) return result;
          metrics?.longPollsWaiting.inc();
          const outcome = await subscription
            .wait(deadline - Date.now(), signal)
            .finally(() => metrics?.longPollsWaiting.dec());
          if (outcome === 'aborted') return result;
          if (outcome === 'timeout') return await read(auth, query);
        } finally {
          subscription?.close();
        }
      }
    },
  };
}

type ParsedQuery = z.output<ReturnType<typeof nextBundlesQuerySchema>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function nextBundlesQuerySchema(maxWaitMs: number, defaultWaitMs: number) {
  const optional = z
    .union([z.string(), z.number()], { error: 'must be a string or number' })
    .nullish()
    .transform((value) =>
      value === null || value === undefined || value === '' ? null : String(value),
    );
  return z.object({
    conversation_id: z
      .string({ error: 'is required' })
      .regex(UUID, { error: 'must be a UUID' })
      .transform((value) => value.toLowerCase()),
    user_id: z
      .string({ error: 'is required' })
      .min(1, { error: 'is required' })
      .max(256, { error: 'must be at most 256 characters' }),
    customer_id: z
      .string({ error: 'must be a string' })
      .max(256, { error: 'must be at most 256 characters' })
      .nullish()
      .transform((value) => value ?? ''),
    cursor: optional
      .refine((value) => value === null || /^\d{1,18}$/.test(value), {
        error: 'must be a cursor from next_cursor',
      })
      .transform((value) => (value === null ? 0 : Number(value))),
    wait_ms: optional
      .refine((value) => value === null || /^\d{1,9}$/.test(value), {
        error: 'must be a whole number of milliseconds',
      })
      .transform((value) => Math.min(maxWaitMs, value === null ? defaultWaitMs : Number(value))),
  });
}

function parseQuery(schema: ReturnType<typeof nextBundlesQuerySchema>, raw: unknown): ParsedQuery {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw ServerError.invalid(issue?.path.join('.') || 'query', issue?.message ?? 'is invalid');
}

/** A stored payload in its wire form; one that no longer parses is skipped and logged. */
function bundleJson(record: BundleRecord, logger: Logger | undefined): ContextBundleJson[] {
  try {
    return [contextBundleToJson(contextBundleFromJson(record.payload))];
  } catch (error) {
    logger?.warn(
      { err: error, bundleId: record.id },
      'stored bundle payload does not parse; skipped',
    );
    return [];
  }
}
