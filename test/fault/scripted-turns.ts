import { expect } from 'vitest';
import type { RecordMessageInput } from '../../src/client/types.js';
import type { MessageRecord } from '../../src/store/records.js';

/** `count` alternating user and assistant turns of one conversation, each text unique. */
export function scriptedTurns(
  conversationId: string,
  count: number,
  userId = 'alice',
): RecordMessageInput[] {
  return Array.from({ length: count }, (_, index) => ({
    conversationId,
    userId,
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `turn ${String(index).padStart(4, '0')}: ${index % 2 === 0 ? 'book a flight to Lisbon' : 'looking at flights'}`,
  }));
}

/** 0 lost, 0 duplicated, in order: the stored contents are exactly the turns'. */
export function expectEachTurnOnce(
  stored: readonly Pick<MessageRecord, 'content'>[],
  turns: readonly RecordMessageInput[],
): void {
  const contents = stored.map((message) => message.content);
  const duplicated = contents.filter((content, index) => contents.indexOf(content) !== index);
  const lost = turns.filter((turn) => !contents.includes(turn.content));
  expect(duplicated, 'duplicated turns').toEqual([]);
  expect(
    lost.map((turn) => turn.content),
    'lost turns',
  ).toEqual([]);
  expect(contents).toEqual(turns.map((turn) => turn.content));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
