import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerLogger } from '../../src/server/server-logger.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { ListenProbe, synapClient } from './grpc/listen-probe.js';

/** Every line the server's pino logger wrote. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const CONTENT = 'zebra-quartz-7731 my passport number is X1234567';
const TOOL_SECRET = 'tool-arg-nebula-5520';
const FORGED_SECRET = 'forgedsecretforgedsecretforgedsecret99';

describe('server logs', () => {
  const capture = new LogCapture();
  let test: TestServer;

  beforeAll(async () => {
    // Debug, below the default info: if content stays out of debug, it stays out of info.
    test = await startTestServer('postgres', { logger: createServerLogger('debug', capture) });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('carry neither API keys nor message content, even at debug level, through REST, the event path and gRPC', async () => {
    const { restUrl, grpcTarget } = test.server;
    const key = test.tenant.key;
    const conversationId = randomUUID();
    const post = (path: string, body: unknown, bearer = key) =>
      fetch(`${restUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const recorded = await post('/v1/conversations/messages', {
      conversation_id: conversationId,
      role: 'user',
      content: CONTENT,
      user_id: 'ana',
    });
    expect(recorded.status).toBe(200);
    const event = await post('/v1/events', {
      event_type: 'tool_call',
      conversation_id: conversationId,
      user_id: 'ana',
      tool_name: 'lookup_passport',
      tool_args: { query: TOOL_SECRET },
    });
    expect(event.status).toBe(200);
    // Refusals are where secrets leak most often: a forged key, a malformed body.
    const forged = await post('/v1/events', {}, `fsk_forgedkey001_${FORGED_SECRET}`);
    expect(forged.status).toBe(401);
    const malformed = await post('/v1/conversations/messages', {
      conversation_id: conversationId,
      role: 'narrator',
      content: CONTENT,
    });
    expect(malformed.status).toBe(422);

    const client = synapClient(Number(grpcTarget.split(':').at(-1)));
    try {
      const probe = new ListenProbe(client, key);
      probe.send({
        $case: 'conversationEvent',
        value: {
          eventType: 'user_message',
          conversationId,
          userId: 'ana',
          role: 'user',
          content: CONTENT,
          customerId: '',
          sessionId: '',
          metadata: {},
          timestampMs: 0,
          toolName: '',
          toolArgsJson: '',
          searchQueries: [],
          contextTypes: [],
        },
      });
      await probe.nextBundle();
      probe.call.end();
      await probe.status;
    } finally {
      client.close();
    }
    await test.server.close({ graceMs: 1000 });

    // The capture must have seen the run, or the assertions below prove nothing.
    expect(capture.lines.length).toBeGreaterThan(0);
    const secretOfKey = key.split('_').slice(2).join('_');
    for (const forbidden of [key, secretOfKey, FORGED_SECRET, CONTENT, 'X1234567', TOOL_SECRET]) {
      expect(capture.text, `log contains ${forbidden}`).not.toContain(forbidden);
    }
  });

  it('masks bearer headers and key-named fields whoever logs them', () => {
    const sink = new LogCapture();
    const logger = createServerLogger('info', sink);
    logger.warn(
      {
        req: { headers: { authorization: `Bearer ${FORGED_SECRET}` } },
        call: { apiKey: FORGED_SECRET, api_key: FORGED_SECRET },
      },
      'refused',
    );
    // A database error as PGlite throws it: the bound values ride along on the error.
    const failed = Object.assign(new Error('could not determine data type of parameter $7'), {
      query: 'SELECT $1',
      params: [CONTENT, FORGED_SECRET],
    });
    logger.warn({ err: failed }, 'anticipation source failed');
    expect(sink.lines).toHaveLength(2);
    expect(sink.text).toContain('could not determine data type');
    expect(sink.text).not.toContain(CONTENT);
    expect(sink.text).toContain('[redacted]');
    expect(sink.text).not.toContain(FORGED_SECRET);
  });
});
