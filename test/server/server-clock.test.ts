import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MemoryRecord } from '../../src/store/records.js';
import { memory } from '../support/memories.js';
import { daysFromNow } from '../support/relative-dates.js';
import { TestClock } from '../support/test-clock.js';
import { BACKENDS, call, startTestServer, type TestServer } from '../support/test-server.js';

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/**
 * The temporal behaviours, read with the server's clock a year away from the machine's:
 * if any of them were decided by the database's now() (or by Date.now()), the answers
 * would differ between a year ahead and a year behind. Each answer is relative to the
 * server's clock, so both runs must give exactly the answers below.
 */
const EXPECTED = {
  expiry: {
    before: ['Expires tomorrow', 'Never expires'],
    afterTwoDays: ['Never expires'],
  },
  supersession: {
    current: ['Lives in Lisbon'],
    supersededAtClockTime: true,
    supersededByTheNewOne: true,
  },
  extraction: {
    recordedAtClockTime: true,
    conversationAtClockTime: true,
    appointmentDaysAfterRecording: 1,
    appointmentServedNow: true,
    emotionTtlDays: 3,
    emotionServedNow: true,
    servedAfterFourDays: [],
  },
  jobs: {
    claimedFirst: [1],
    whileLeased: [],
    afterLease: [2],
    beforeRetry: [],
    afterRetry: [3],
  },
  compaction: {
    status: 'completed',
    completedAtClockTime: true,
    ageUnderAnHour: true,
    ageAfterAnHourAtLeastAnHour: true,
    compactedMessageCount: 2,
  },
  revocation: { revokedAtClockTime: true },
};

const OFFSETS = [
  ['a year ahead', YEAR_MS],
  ['a year behind', -YEAR_MS],
] as const;

describe.each(BACKENDS)('the server clock on %s', (backend) => {
  describe.each(OFFSETS)('set %s of the machine', (_label, offsetMs) => {
    const clock = new TestClock(offsetMs);
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(backend, { clock });
    });
    afterAll(() => t?.close());

    it('is the clock the store reads', () => {
      expect(t.server.store.clock).toBe(clock);
    });

    it('gives the same temporal answers as anywhere else in time', async () => {
      const answers = {
        expiry: await expiry(t, clock),
        supersession: await supersession(t, clock),
        extraction: await extraction(t, clock),
        jobs: await jobs(t, clock),
        compaction: await compaction(t, clock),
        revocation: await revocation(t, clock),
      };
      expect(answers).toEqual(EXPECTED);
    });
  });
});

/** Whether `date` was read from the clock between `before` and `after`. */
function within(date: Date | null | undefined, before: Date, after: Date): boolean {
  return !!date && date.getTime() >= before.getTime() && date.getTime() <= after.getTime();
}

/** Every read path agrees on what is current; answers the common view. */
async function visibleContents(t: TestServer, userId: string): Promise<string[]> {
  const { store } = t.server;
  const clientId = t.tenant.clientId;
  const scope = { userId, customerId: '', conversationId: null };
  const listed = (await store.listMemories(clientId, { userId })).map((m) => m.content).sort();
  const searched = (
    await store.searchMemories(clientId, { ...scope, query: '', types: [], limit: 50 })
  )
    .map((hit) => hit.memory.content)
    .sort();
  // In retrieval's order: it ranks every current memory, the matching ones first.
  const retrieved = (
    await store.retrieveMemories(clientId, {
      ...scope,
      queries: ['tomorrow', 'yesterday'],
      types: [],
      limit: 50,
    })
  ).map((hit) => hit.memory.content);
  const fetched = await call(t.server.restUrl, 'POST', '/v1/context/user/fetch', {
    key: t.tenant.key,
    body: { user_id: userId, search_query: null, max_results: 50, types: ['all'], mode: 'fast' },
  });
  const served = Object.values(fetched.body.context as Record<string, { content: string }[]>)
    .flatMap((items) => items.map((item) => item.content))
    .sort();
  expect(searched).toEqual(listed);
  expect(served).toEqual(listed);
  // Retrieval ranks every current memory (it does not filter), those matching the words
  // "tomorrow" or "yesterday" first.
  expect([...retrieved].sort()).toEqual(listed);
  const matching = listed.filter((content) => /tomorrow|yesterday/i.test(content));
  expect(retrieved.slice(0, matching.length).sort()).toEqual(matching);
  return listed;
}

async function expiry(t: TestServer, clock: TestClock) {
  const userId = `expiry-${randomUUID()}`;
  await t.server.store.insertMemories(t.tenant.clientId, [
    memory({ userId, content: 'Expires tomorrow', validUntil: daysFromNow(1, clock.now()) }),
    memory({ userId, content: 'Expired yesterday', validUntil: daysFromNow(-1, clock.now()) }),
    memory({ userId, content: 'Never expires' }),
  ]);
  const before = await visibleContents(t, userId);
  clock.advance(2 * DAY_MS);
  return { before, afterTwoDays: await visibleContents(t, userId) };
}

async function supersession(t: TestServer, clock: TestClock) {
  const userId = `supersession-${randomUUID()}`;
  const { store } = t.server;
  const [porto] = await store.insertMemories(t.tenant.clientId, [
    memory({ userId, content: 'Lives in Porto', subjectKey: 'home' }),
  ]);
  const before = clock.now();
  const [lisbon] = await store.insertMemories(t.tenant.clientId, [
    memory({ userId, content: 'Lives in Lisbon', subjectKey: 'home' }),
  ]);
  const after = clock.now();
  const all = await store.listMemories(t.tenant.clientId, { userId, includeSuperseded: true });
  const old = all.find((m) => m.id === porto?.id);
  return {
    current: await visibleContents(t, userId),
    supersededAtClockTime: within(old?.validUntil, before, after),
    supersededByTheNewOne: old?.supersededBy === lisbon?.id,
  };
}

async function extraction(t: TestServer, clock: TestClock) {
  const userId = `extraction-${randomUUID()}`;
  const conversation = randomUUID();
  const before = clock.now();
  for (const content of [
    'I have a dentist appointment tomorrow.',
    "I'm frustrated with the airline.",
  ]) {
    const response = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: { conversation_id: conversation, role: 'user', content, user_id: userId },
    });
    expect(response.status).toBe(200);
  }
  const after = clock.now();
  // Extraction runs as a background job, claimed against the server's clock.
  const extracted = await vi.waitFor(
    async () => {
      const found = await t.server.store.listMemories(t.tenant.clientId, { userId });
      const appointment = found.find((m) => m.memoryType === 'temporal_events');
      const emotion = found.find((m) => m.memoryType === 'emotions');
      if (!appointment || !emotion) throw new Error('not extracted yet');
      return { appointment, emotion };
    },
    { timeout: 20_000, interval: 50 },
  );
  const messages = await t.server.store.listMessages(t.tenant.clientId, conversation);
  const stored = await t.server.store.getConversation(t.tenant.clientId, conversation);
  const recordedAt = (source: MemoryRecord) =>
    messages.find((message) => source.sourceMessageIds.includes(message.id))?.recordedAt ??
    new Date(0);
  const startOfDay = (date: Date) =>
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const served = async () => servedContents(t, userId);
  const now = await served();
  clock.advance(4 * DAY_MS);
  return {
    recordedAtClockTime: messages.every((message) => within(message.recordedAt, before, after)),
    conversationAtClockTime:
      within(stored?.createdAt, before, after) && within(stored?.updatedAt, before, after),
    appointmentDaysAfterRecording: daysBetween(
      startOfDay(recordedAt(extracted.appointment)),
      extracted.appointment.eventDate,
    ),
    appointmentServedNow: now.includes(extracted.appointment.content),
    emotionTtlDays: daysBetween(
      recordedAt(extracted.emotion).getTime(),
      extracted.emotion.validUntil,
    ),
    emotionServedNow: now.includes(extracted.emotion.content),
    servedAfterFourDays: (await served()).filter((content) =>
      [extracted.appointment.content, extracted.emotion.content].includes(content),
    ),
  };
}

function daysBetween(from: number, to: Date | null): number | null {
  return to ? (to.getTime() - from) / DAY_MS : null;
}

async function servedContents(t: TestServer, userId: string): Promise<string[]> {
  const fetched = await call(t.server.restUrl, 'POST', '/v1/context/user/fetch', {
    key: t.tenant.key,
    body: { user_id: userId, search_query: null, max_results: 50, types: ['all'], mode: 'fast' },
  });
  return Object.values(fetched.body.context as Record<string, { content: string }[]>).flatMap(
    (items) => items.map((item) => item.content),
  );
}

async function jobs(t: TestServer, clock: TestClock) {
  // A kind no runner handles: only this test claims it.
  const kind = `clock-probe-${randomUUID()}`;
  const { store } = t.server;
  const attempts = async () =>
    (await store.claimJobs([kind], 10, 60_000)).map((job) => job.attempts);
  const id = await store.enqueueJob(t.tenant.clientId, kind, {});
  const claimedFirst = await attempts();
  const whileLeased = await attempts();
  clock.advance(61_000);
  const afterLease = await attempts();
  await store.failJob(id, 'retry later', 30_000, 5);
  const beforeRetry = await attempts();
  clock.advance(31_000);
  const afterRetry = await attempts();
  await store.completeJob(id);
  return { claimedFirst, whileLeased, afterLease, beforeRetry, afterRetry };
}

async function compaction(t: TestServer, clock: TestClock) {
  const conversation = randomUUID();
  const key = t.tenant.key;
  for (const content of ['I prefer aisle seats.', 'Book the 9am flight to Lisbon.']) {
    await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key,
      body: { conversation_id: conversation, role: 'user', content, user_id: 'compaction-user' },
    });
  }
  const before = clock.now();
  const started = await call(t.server.restUrl, 'POST', '/v1/conversations/compact', {
    key,
    body: { conversation_id: conversation, force: true },
  });
  const compactionId = String(started.body.compaction_id);
  const done = await vi.waitFor(
    async () => {
      const found = await t.server.store.getCompaction(t.tenant.clientId, compactionId);
      if (found?.status !== 'completed') throw new Error('not compacted yet');
      return found;
    },
    { timeout: 20_000, interval: 50 },
  );
  const after = clock.now();
  const age = async () =>
    Number(
      (
        await call(
          t.server.restUrl,
          'GET',
          `/v1/conversations/${conversation}/context-for-prompt`,
          { key },
        )
      ).body.compaction_age_seconds,
    );
  const ageNow = await age();
  clock.advance(3_600_000);
  const ageLater = await age();
  return {
    status: done.status,
    completedAtClockTime: within(done.completedAt, before, after),
    ageUnderAnHour: ageNow >= 0 && ageNow < 3600,
    ageAfterAnHourAtLeastAnHour: ageLater >= 3600 && ageLater < 7200,
    compactedMessageCount: done.compactedMessageCount,
  };
}

async function revocation(t: TestServer, clock: TestClock) {
  const { record: created } = await t.server.apiKeys.create({
    clientId: t.tenant.clientId,
    name: 'clock',
  });
  const keyId = created.id;
  const before = clock.now();
  await t.server.apiKeys.revoke(keyId);
  const after = clock.now();
  const record = await t.server.store.getApiKey(keyId);
  return { revokedAtClockTime: within(record?.revokedAt, before, after) };
}
