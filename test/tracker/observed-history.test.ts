import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentHash,
  fingerprintMessages,
  type TrackedMessage,
} from '../../src/tracker/message-fingerprint.js';
import { ObservedHistories } from '../../src/tracker/observed-history.js';

const CONVERSATION = 'c0ffee00-0000-4000-8000-000000000001';

const user = (text: string): TrackedMessage => ({ role: 'user', content: text });
const assistant = (text: string): TrackedMessage => ({
  role: 'assistant',
  content: [{ type: 'text', text }],
});

/** Observes a history the way the tracker does: the known head, then the new tail noted. */
function observe(histories: ObservedHistories, messages: readonly TrackedMessage[]) {
  const mark = histories.knownUntil(CONVERSATION, messages);
  const tail = fingerprintMessages(CONVERSATION, messages, contentHash, mark);
  histories.remember(CONVERSATION, messages, mark);
  return { mark, tail };
}

describe('ObservedHistories', () => {
  it('knows nothing of a conversation it has not seen', () => {
    expect(new ObservedHistories(10).knownUntil(CONVERSATION, [user('hi')])).toEqual({
      index: 0,
      position: 0,
    });
  });

  it('recognises a re-sent history and fingerprints only the messages added to it', () => {
    const histories = new ObservedHistories(10);
    const first = [{ role: 'system', content: 'Be brief.' }, user('Book Lisbon')];
    observe(histories, first);
    const next = [...first, assistant('Which day?'), user('Friday')];
    const { mark, tail } = observe(histories, next);
    expect(mark).toEqual({ index: 2, position: 1 });
    expect(tail.map((print) => [print.role, print.text, print.position])).toEqual([
      ['assistant', 'Which day?', 1],
      ['user', 'Friday', 2],
    ]);
    expect(observe(histories, next).tail).toEqual([]);
  });

  it('keeps what it saw past a shorter history that repeats it', () => {
    const histories = new ObservedHistories(10);
    const prompt = [user('Book Lisbon')];
    const withReply = [...prompt, assistant('Booked.')];
    observe(histories, withReply);
    // The next call's prompt, then the same prompt with the same reply.
    expect(observe(histories, prompt).tail).toEqual([]);
    expect(observe(histories, withReply)).toEqual({ mark: { index: 2, position: 2 }, tail: [] });
    // A different reply at that place is new.
    expect(observe(histories, [...prompt, assistant('Sold out.')]).tail).toHaveLength(1);
  });

  it('reads a history again from its first changed message', () => {
    const histories = new ObservedHistories(10);
    observe(histories, [user('a'), assistant('b'), user('c')]);
    expect(histories.knownUntil(CONVERSATION, [user('a'), assistant('B'), user('c')])).toEqual({
      index: 1,
      position: 1,
    });
    // A message id that appears or changes is a change too.
    expect(
      histories.knownUntil(CONVERSATION, [{ ...user('a'), id: 'm1' }, assistant('b')]).index,
    ).toBe(0);
  });

  it('reads past a system prompt that changed: it is not a turn (injected context changes it)', () => {
    const histories = new ObservedHistories(10);
    observe(histories, [{ role: 'system', content: 'You are a travel agent.' }, user('a')]);
    const injected = [{ role: 'system', content: 'You are a travel agent.\n\n<ctx>' }, user('a')];
    expect(histories.knownUntil(CONVERSATION, injected)).toEqual({ index: 2, position: 1 });
  });

  it('forgets a conversation, and the oldest one past its bound', () => {
    const histories = new ObservedHistories(2);
    const history = [user('hello')];
    histories.remember('one', history, { index: 0, position: 0 });
    histories.remember('two', history, { index: 0, position: 0 });
    histories.remember('three', history, { index: 0, position: 0 });
    expect(histories.knownUntil('one', history).index).toBe(0);
    expect(histories.knownUntil('three', history).index).toBe(1);
    histories.forget('three');
    expect(histories.knownUntil('three', history).index).toBe(0);
  });

  it('gives the same fingerprints as fingerprinting each history whole', () => {
    const message = fc.record({
      role: fc.constantFrom('user', 'assistant', 'system', 'tool'),
      content: fc.oneof(
        fc.constantFrom('', '  ', 'yes', 'no', 'Lisbon on Friday'),
        fc.array(
          fc.record({
            type: fc.constantFrom('text', 'image'),
            text: fc.constantFrom('a', 'b', ''),
          }),
          { maxLength: 3 },
        ),
      ),
    });
    // Each step re-sends the last history, sometimes edited, with a few messages added.
    const step = fc.record({
      keep: fc.nat(),
      added: fc.array(message, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        const histories = new ObservedHistories(4);
        let history: TrackedMessage[] = [];
        for (const { keep, added } of steps) {
          history = [...history.slice(0, keep % (history.length + 1)), ...added];
          const whole = fingerprintMessages(CONVERSATION, history);
          const { mark, tail } = observe(histories, history);
          expect(tail).toEqual(whole.filter((print) => print.position >= mark.position));
          expect(whole.filter((print) => print.position < mark.position)).toHaveLength(
            mark.position,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
