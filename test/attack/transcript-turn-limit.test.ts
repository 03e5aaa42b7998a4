import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 6 (MEDIUM): the ingest route refused a list of more than 5,000 turns, but a
 * string transcript of 150k turns (2 MB) was accepted and held the store for seconds.
 * One limit whatever the transcript's form.
 */
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer('pglite');
});

afterAll(async () => {
  await t?.close();
});

const ingest = (conversationId: string, transcript: unknown) =>
  call(t.server.restUrl, 'POST', '/v1/conversations/ingest', {
    key: t.tenant.key,
    body: { conversation_id: conversationId, user_id: 'alice', transcript },
  });

describe('transcript turn limit (finding 6)', () => {
  it('a string transcript of 150k turns is refused naming the field and the limit', async () => {
    const lines = Array.from(
      { length: 150_000 },
      (_, at) => `${at % 2 ? 'assistant' : 'user'}: ok`,
    );
    const answer = await ingest('huge-string', lines.join('\n'));
    expect(answer.status).toBe(422);
    expect(answer.body.field).toBe('transcript');
    expect(answer.body.detail).toMatch(/^transcript: .*5000/);
  });

  it('5001 turns are refused as a string and as a list alike; 5000 are accepted', async () => {
    const turns = (count: number) =>
      Array.from({ length: count }, (_, at) => ({
        role: at % 2 ? 'assistant' : 'user',
        content: 'ok',
      }));
    const text = (count: number) =>
      turns(count)
        .map((turn) => `${turn.role}: ${turn.content}`)
        .join('\n');
    expect((await ingest('over-string', text(5001))).status).toBe(422);
    expect((await ingest('over-list', turns(5001))).status).toBe(422);
    const accepted = await ingest('at-limit', text(5000));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.turns_recorded).toBe(5000);
  });
});
