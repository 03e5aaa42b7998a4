import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConversationEvent,
  StreamEvent,
  SynapServiceClient,
} from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { junkString, junkValue, nestedJson, storable } from './junk.js';

/**
 * Random Listen events on a real grpc-js stream to a real server (PostgreSQL): field
 * values of random lengths and contents, unknown event types and roles, bad UUIDs,
 * arguments that are not JSON, not an object, or too big, junk session controls. The
 * stream must answer each refused event with an `error` signal naming the field, never
 * an internal error, and keep going; the server must stay up.
 *
 * Events go in batches of `BATCH`, each closed by a valid sentinel `tool_call`: the
 * stream handles events in order, so its bundle marks the end of the batch's answers.
 * `FORESIGHT_PROPERTY_GRPC_INPUTS` scales the total (default 10 000).
 */
const TOTAL_INPUTS = Number(process.env.FORESIGHT_PROPERTY_GRPC_INPUTS ?? 10_000);
const BATCH = 50;

type Payload = NonNullable<StreamEvent['payload']>;

let t: TestServer;
let grpc: SynapServiceClient;
let sent = 0;

// Each field stays under 100 kB so an event stays under the server's 1 MiB message
// limit; a bigger message is its own case below (grpc-js ends the call).
const junk = junkString.map((value) =>
  Buffer.byteLength(value) > 100_000 ? value.slice(0, 25_000) : value,
);

const uuidish = fc.oneof(
  fc.uuid().map(String),
  fc.constantFrom('', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{uuid}'),
  junk,
);
const shortText = fc.oneof(
  fc.constantFrom('', 'alice', 'acme'),
  fc.string({ maxLength: 300 }).map(storable),
  junk,
);
const toolArgsJson = fc.oneof(
  fc.constant('{"destination":"Lisbon"}'),
  junkValue.map((value) => (JSON.stringify(value) ?? '').slice(0, 100_000)),
  junk,
  fc.constantFrom('{', '[]', 'null', '"x"', '1', `{"a":"${'x'.repeat(70_000)}"}`),
  // Nesting from a few levels to thousands (the server allows 32).
  fc
    .tuple(
      fc.integer({ min: 1, max: 10_000 }),
      fc.constantFrom('object' as const, 'array' as const),
    )
    .map(([depth, kind]) => `{"a":${nestedJson(depth, kind)}}`),
);

const conversationEvent: fc.Arbitrary<ConversationEvent> = fc.record({
  eventType: fc.oneof(
    fc.constantFrom('tool_call', 'user_message', 'tool_result', 'context_request', 'session_end'),
    fc.constantFrom('', ' ', 'TOOL_CALL', 'x'.repeat(65), 'mystery'),
    shortText,
  ),
  conversationId: uuidish,
  userId: shortText,
  role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'robot', ''), shortText),
  content: fc.oneof(shortText, junk),
  customerId: shortText,
  sessionId: shortText,
  metadata: fc.dictionary(
    fc.oneof(fc.constantFrom('event_id', 'x'), fc.string({ maxLength: 300 }).map(storable)),
    fc.oneof(shortText, fc.constant('v'.repeat(5000))),
    { maxKeys: 70 },
  ),
  timestampMs: fc.oneof(
    fc.constantFrom(0, -1, Date.now(), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
    // The last millisecond of year 9999 and the first after it, the largest Date.
    fc.constantFrom(253_402_300_799_999, 253_402_300_800_000, 8_640_000_000_000_000),
    fc.integer(),
  ),
  toolName: shortText,
  toolArgsJson,
  searchQueries: fc.array(fc.oneof(shortText, fc.constant('q'.repeat(1100))), { maxLength: 40 }),
  contextTypes: fc.array(fc.oneof(fc.constantFrom('facts', 'bogus', ''), shortText), {
    maxLength: 20,
  }),
});

/** A valid tool_call with one or two fields taken from a random event: mostly accepted. */
const nearlyValid: fc.Arbitrary<ConversationEvent> = fc
  .tuple(
    fc.subarray(
      [
        'conversationId',
        'userId',
        'role',
        'content',
        'metadata',
        'timestampMs',
        'toolName',
        'toolArgsJson',
        'searchQueries',
        'contextTypes',
      ] as const,
      { minLength: 1, maxLength: 2 },
    ),
    conversationEvent,
    fc.constantFrom('tool_call', 'user_message', 'tool_result', 'agent_thinking'),
  )
  .map(([keys, random, eventType]) => {
    const base = sentinel('');
    const event = { ...(base.$case === 'conversationEvent' ? base.value : random), eventType };
    event.metadata = {};
    event.toolName = 'book_flight';
    for (const key of keys) Object.assign(event, { [key]: random[key] });
    return event;
  });

const payload: fc.Arbitrary<Payload> = fc.oneof(
  {
    weight: 4,
    arbitrary: nearlyValid.map((value) => ({ $case: 'conversationEvent' as const, value })),
  },
  {
    weight: 4,
    arbitrary: conversationEvent.map((value) => ({ $case: 'conversationEvent' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        action: fc.oneof(fc.constantFrom('start', 'end', 'pause', ''), shortText),
        sessionId: shortText,
        conversationId: uuidish,
        userId: shortText,
        customerId: shortText,
      })
      .map((value) => ({ $case: 'sessionControl' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        bundleId: shortText,
        conversationId: uuidish,
        userId: shortText,
        customerId: shortText,
        servedItemIds: fc.array(shortText, { maxLength: 5 }),
        timestampMs: fc.integer(),
        scope: shortText,
        sourceBundleIds: fc.array(shortText, { maxLength: 3 }),
      })
      .map((value) => ({ $case: 'contextUsed' as const, value })),
  },
);

function sentinel(eventId: string): Payload {
  return {
    $case: 'conversationEvent',
    value: {
      eventType: 'context_request',
      conversationId: randomUUID(),
      userId: 'alice',
      role: '',
      content: 'sentinel',
      customerId: '',
      sessionId: '',
      metadata: { event_id: eventId },
      timestampMs: Date.now(),
      toolName: '',
      toolArgsJson: '',
      searchQueries: [],
      contextTypes: [],
    },
  };
}

beforeAll(async () => {
  t = await startTestServer('postgres', {
    streamEventsPerSecond: 1_000_000,
    requestsPerSecond: 1_000_000,
    requestBurst: 1_000_000,
  });
  grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
});

afterAll(async () => {
  grpc?.close();
  await t?.close();
});

describe('Listen under random events', () => {
  it(`answers ${TOTAL_INPUTS} random events with field-naming errors or silence, never an internal error`, async () => {
    const probe = new ListenProbe(grpc, t.tenant.key);
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(payload, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        for (const item of batch) probe.send(item);
        const marker = `sentinel-${randomUUID()}`;
        probe.send(sentinel(marker));
        await probe.nextBundle((bundle) => bundle.inReplyToEventId === marker);
        sent += batch.length;
        const answers = probe.received.slice(seen);
        seen = probe.received.length;
        for (const answer of answers) {
          if (answer.$case !== 'signal') continue;
          const { signalType, reason, metadata } = answer.value;
          if (signalType !== 'error') throw new Error(`unexpected ${signalType} signal: ${reason}`);
          const field = metadata.field;
          if (metadata.code !== 'invalid_input' || !field || !reason.startsWith(`${field}:`)) {
            throw new Error(
              `error signal names no field: ${JSON.stringify(answer.value)} in batch ${JSON.stringify(batch).slice(0, 2000)}`,
            );
          }
        }
      }),
      { numRuns: Math.ceil(TOTAL_INPUTS / BATCH), endOnFailure: true },
    );
    const signals = probe.signals().length;
    const bundles = probe.received.filter((answer) => answer.$case === 'contextBundle').length;
    process.stdout.write(
      `Listen property inputs sent: ${sent}; error signals: ${signals}; bundles: ${bundles} (${sent / BATCH} sentinels)\n`,
    );
    // Both outcomes were exercised: refused events, and accepted ones answered with a bundle.
    expect(signals).toBeGreaterThan(sent / 10);
    expect(bundles).toBeGreaterThan(sent / BATCH);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_INPUTS);
    // The stream is still open and the server still serves a new one.
    probe.ping(42);
    expect((await probe.nextPong()).timestampMs).toBe(42);
    probe.call.end();
    const fresh = new ListenProbe(grpc, t.tenant.key);
    fresh.send(sentinel('after'));
    expect((await fresh.nextBundle()).inReplyToEventId).toBe('after');
    fresh.call.end();
  }, 180_000);

  // U+0000 in a text field, or the escape of a lone surrogate in tool_args_json, would
  // fail in PostgreSQL: the stream refuses them with an error signal naming the field.
  const unstorable: [string, Partial<ConversationEvent>][] = [
    ['tool_name', { toolName: 'book\u0000' }],
    ['tool_args_json', { toolArgsJson: '{"seat":"\\ud800"}' }],
  ];
  for (const [field, fields] of unstorable) {
    it(`refuses ${field} that PostgreSQL cannot store with an error signal naming it`, async () => {
      const probe = new ListenProbe(grpc, t.tenant.key);
      const event = sentinel(`unstorable-${field}`);
      if (event.$case === 'conversationEvent')
        Object.assign(event.value, { eventType: 'tool_call', toolName: 'book' }, fields);
      probe.send(event);
      const signal = await probe.nextSignal('error');
      probe.call.end();
      expect(signal.metadata.field).toBe(field);
    });
  }

  it('ends a stream whose message is over 1 MiB with RESOURCE_EXHAUSTED, and serves the next', async () => {
    const probe = new ListenProbe(grpc, t.tenant.key);
    const big = sentinel('too-big');
    if (big.$case === 'conversationEvent') big.value.content = 'x'.repeat(1_100_000);
    probe.send(big);
    const ended = await probe.status;
    expect(ended.code).toBe(8);
    expect(ended.details).toMatch(/larger than max/);
    const fresh = new ListenProbe(grpc, t.tenant.key);
    fresh.send(sentinel('after-big'));
    expect((await fresh.nextBundle()).inReplyToEventId).toBe('after-big');
    fresh.call.end();
  });
});
