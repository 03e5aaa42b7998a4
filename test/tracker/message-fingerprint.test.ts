import { describe, expect, it } from 'vitest';
import {
  contentHash,
  fingerprintMessages,
  memoizedContentHash,
  messageText,
} from '../../src/tracker/message-fingerprint.js';

const CONVERSATION = '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab';

describe('fingerprintMessages', () => {
  it('counts positions over user and assistant messages with text only', () => {
    const prints = fingerprintMessages(CONVERSATION, [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'book a flight' },
      { role: 'assistant', content: [{ type: 'tool-call', toolName: 'book' }] },
      { role: 'tool', content: [{ type: 'tool-result' }] },
      { role: 'assistant', content: 'booked' },
    ]);
    expect(
      prints.map((print) => [print.role, print.position, print.text, print.endsHistory]),
    ).toEqual([
      ['user', 0, 'book a flight', false],
      ['assistant', 1, 'booked', true],
    ]);
  });

  it('derives the same idempotency key from the same turn, and another from another position', () => {
    const [first] = fingerprintMessages(CONVERSATION, [{ role: 'user', content: 'hi' }]);
    const [again] = fingerprintMessages(CONVERSATION, [{ role: 'user', content: 'hi', id: 'x' }]);
    const [, later] = fingerprintMessages(CONVERSATION, [
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'hi' },
    ]);
    expect(again?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(again?.key).toBe(`${CONVERSATION}:id:x`);
    expect(later?.idempotencyKey).not.toBe(first?.idempotencyKey);
    expect(first?.idempotencyKey.length).toBeLessThanOrEqual(256);
  });
});

describe('messageText', () => {
  it('joins the text parts of a part list and ignores the rest', () => {
    expect(
      messageText([{ type: 'text', text: 'a' }, { type: 'image' }, { type: 'text', text: 'b' }]),
    ).toBe('a\nb');
    expect(messageText(undefined)).toBe('');
  });
});

describe('memoizedContentHash', () => {
  it('answers what contentHash answers, before and after its memory fills and empties', () => {
    const hashOf = memoizedContentHash(2);
    const pairs = [
      ['user', 'book a flight'],
      ['assistant', 'booked'],
      ['user', 'book a flight'],
      ['user', 'and a hotel'],
      ['assistant', 'booked'],
      ['user', 'book a flight'],
    ] as const;
    for (const [role, text] of pairs) expect(hashOf(role, text)).toBe(contentHash(role, text));
    // The role is part of the key: the same text in another role hashes apart.
    expect(hashOf('user', 'booked')).not.toBe(hashOf('assistant', 'booked'));
  });

  it('keys keep the same fingerprints as the plain hash', () => {
    const messages = [
      { role: 'user', content: 'book a flight' },
      { role: 'assistant', content: 'booked' },
    ];
    expect(fingerprintMessages(CONVERSATION, messages, memoizedContentHash(8))).toEqual(
      fingerprintMessages(CONVERSATION, messages),
    );
  });
});
