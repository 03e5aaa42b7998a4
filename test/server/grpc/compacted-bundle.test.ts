import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SynapServiceClient } from '../../../src/gen/synap/v1/synap.js';
import { KEY_EXTRACTION_CONFIDENCE } from '../../../src/protocol/index.js';
import { call, startTestServer, type TestServer } from '../../support/test-server.js';
import { ListenProbe, synapClient } from './listen-probe.js';

/**
 * What Synap's Python client (0.4.4) does with a pushed bundle's key extractions: it
 * parses `key_extractions_json` and, for facts, decisions, preferences and constraints,
 * reads `entry.get("content")` and `float(entry.get("confidence", 1.0))` off every
 * entry. A string entry has no `.get`: the handler raises and the bundle is dropped.
 * Answers the entries it would index, or throws as the client would.
 */
function indexAsPythonClient(
  keyExtractionsJson: string,
): { content: string; confidence: number }[] {
  const parsed: unknown = keyExtractionsJson ? JSON.parse(keyExtractionsJson) : {};
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('key_extractions is not an object');
  const indexed: { content: string; confidence: number }[] = [];
  for (const kind of ['facts', 'decisions', 'preferences', 'constraints']) {
    const entries = (parsed as Record<string, unknown>)[kind] ?? [];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new Error(`AttributeError: ${kind} entry ${JSON.stringify(entry)} has no .get`);
      const { content, confidence = 1 } = entry as { content?: unknown; confidence?: unknown };
      if (typeof content !== 'string' || content === '') continue;
      const value = Number(confidence);
      if (typeof confidence === 'boolean' || !Number.isFinite(value))
        throw new Error(`ValueError: float(${JSON.stringify(confidence)})`);
      indexed.push({ content, confidence: value });
    }
  }
  return indexed;
}

describe('a bundle pushed for a compacted conversation', () => {
  let t: TestServer;
  let client: SynapServiceClient;
  const conversation = randomUUID();
  beforeAll(async () => {
    t = await startTestServer('pglite');
    client = synapClient(Number(t.server.grpcTarget.split(':').pop()));
    for (const [role, content] of [
      ['user', 'I want to book a flight to Lisbon.'],
      ['assistant', 'Sure, which dates?'],
      ['user', 'I prefer morning flights. Let us go with December 3.'],
    ] as const) {
      const recorded = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
        key: t.tenant.key,
        body: { conversation_id: conversation, role, content, user_id: 'ana' },
      });
      expect(recorded.status).toBe(200);
    }
    const started = await call(t.server.restUrl, 'POST', '/v1/conversations/compact', {
      key: t.tenant.key,
      body: { conversation_id: conversation },
    });
    expect(started.status).toBe(200);
    await vi.waitFor(
      async () => {
        const status = await call(
          t.server.restUrl,
          'GET',
          `/v1/conversations/${conversation}/compaction/status`,
          { key: t.tenant.key },
        );
        expect(status.body.status).toBe('completed');
      },
      { timeout: 10_000, interval: 50 },
    );
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('carries key_extractions_json entries as objects with content and a numeric confidence', async () => {
    const probe = new ListenProbe(client, t.tenant.key);
    probe.send({
      $case: 'conversationEvent',
      value: {
        eventType: 'user_message',
        conversationId: conversation,
        userId: 'ana',
        role: 'user',
        content: 'Which flight did I want?',
        customerId: '',
        sessionId: '',
        metadata: {},
        timestampMs: Date.now(),
        toolName: '',
        toolArgsJson: '',
        searchQueries: [],
        contextTypes: [],
      },
    });
    const bundle = await probe.nextBundle(
      (candidate) => candidate.conversationContext?.compactionId !== '',
    );
    const indexed = indexAsPythonClient(bundle.conversationContext?.keyExtractionsJson ?? '');
    expect(indexed).toContainEqual({
      content: 'I prefer morning flights.',
      confidence: KEY_EXTRACTION_CONFIDENCE,
    });
    expect(indexed.every((entry) => entry.confidence >= 0 && entry.confidence <= 1)).toBe(true);
    probe.call.end();
    await probe.status;
  });

  it('a list of strings, as bundles carried before, is what the client drops', () => {
    expect(() => indexAsPythonClient('{"facts":["Ana flies on December 3"]}')).toThrow(
      /AttributeError/,
    );
  });
});
