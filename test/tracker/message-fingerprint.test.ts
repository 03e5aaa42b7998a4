import { describe, expect, it } from 'vitest';
import { fingerprintMessages, messageText } from '../../src/tracker/message-fingerprint.js';

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
