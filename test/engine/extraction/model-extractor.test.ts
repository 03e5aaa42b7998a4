import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ModelExtractor } from '../../../src/engine/index.js';
import { promptText, scriptedModel } from './scripted-model.js';
import { userTurn } from './user-turn.js';

const silent = pino({ level: 'silent' });

describe('ModelExtractor', () => {
  it('turns the model answer into memories owned by the source message, one per memory type', async () => {
    const turn = userTurn(
      "I'm Ana, I live in Lisbon. I love aisle seats. Last year I flew to Tokyo with my sister. " +
        "I'm nervous about my dentist appointment on December 3.",
      { userId: 'ana', customerId: 'acme' },
    );
    const model = scriptedModel(([message]) => ({
      memories: [
        {
          memory_type: 'facts',
          content: 'Lives in Lisbon',
          confidence: 0.95,
          scope: 'user',
          subject_key: 'home_city',
          entity: 'Lisbon',
          source_message_ids: [message?.id],
        },
        {
          memory_type: 'preferences',
          content: 'Loves aisle seats',
          confidence: 0.9,
          scope: 'user',
          subject_key: 'preference:seat_position',
          category: 'travel',
          strength: 0.9,
          source_message_ids: [message?.id],
        },
        {
          memory_type: 'episodes',
          content: 'Flew to Tokyo with her sister last year',
          confidence: 0.8,
          scope: 'user',
          subject_key: '',
          significance: 0.6,
          participants: ['her sister'],
          source_message_ids: [message?.id],
        },
        {
          memory_type: 'emotions',
          content: 'Feels nervous about the dentist appointment',
          confidence: 0.7,
          scope: 'conversation',
          subject_key: '',
          emotion: 'nervous',
          source_message_ids: [message?.id],
        },
        {
          memory_type: 'temporal_events',
          content: 'Dentist appointment on December 3',
          confidence: 0.85,
          scope: 'customer',
          subject_key: 'event:dentist_appointment',
          event_date: '2026-12-03',
          valid_until: null,
          source_message_ids: [message?.id],
        },
      ],
    }));
    const extractor = new ModelExtractor({ model, logger: silent });
    const memories = await extractor.extract({ messages: [turn] });

    expect(memories.map((memory) => [memory.memoryType, memory.content])).toEqual([
      ['facts', 'Lives in Lisbon'],
      ['preferences', 'Loves aisle seats'],
      ['episodes', 'Flew to Tokyo with her sister last year'],
      ['emotions', 'Feels nervous about the dentist appointment'],
      ['temporal_events', 'Dentist appointment on December 3'],
    ]);
    const [fact, preference, episode, emotion, event] = memories;
    expect(fact).toMatchObject({ userId: 'ana', customerId: 'acme', subjectKey: 'home_city' });
    expect(fact?.sourceMessageIds).toEqual([turn.id]);
    expect(preference).toMatchObject({ category: 'travel', strength: 0.9 });
    expect(episode).toMatchObject({ significance: 0.6, temporalCategory: 'episode' });
    expect(emotion).toMatchObject({
      scope: 'conversation',
      conversationId: turn.conversationId,
      metadata: { emotion: 'nervous', extractor: 'model' },
    });
    // Emotions expire like the rules' do: three days after the message.
    expect(emotion?.validUntil).toEqual(new Date(turn.recordedAt.getTime() + 3 * 86_400_000));
    expect(event).toMatchObject({
      scope: 'customer',
      userId: '',
      customerId: 'acme',
      eventDate: new Date('2026-12-03T00:00:00Z'),
      validUntil: new Date('2026-12-04T00:00:00Z'),
    });
    expect(extractor.dropped).toEqual({});

    // The model saw the message with its id and time, and the JSON schema it must follow.
    const [call] = model.doGenerateCalls;
    expect(promptText(call as never)).toContain(turn.id);
    expect(promptText(call as never)).toContain(turn.recordedAt.toISOString());
    expect(JSON.stringify(call?.responseFormat)).toContain('source_message_ids');
  });

  it('drops each invalid item with a counted reason and keeps the valid ones', async () => {
    const turn = userTurn('I prefer trains. My flight is on Friday.', { customerId: '' });
    const valid = {
      memory_type: 'preferences',
      content: 'Prefers trains',
      confidence: 0.8,
      scope: 'user',
      subject_key: 'preference:trains',
      category: 'travel',
      strength: 0.6,
    };
    const model = scriptedModel(([message]) => ({
      memories: [
        { ...valid, source_message_ids: [message?.id] },
        { ...valid, confidence: 1.4, source_message_ids: [message?.id] },
        { ...valid, category: null, source_message_ids: [message?.id] },
        { ...valid, source_message_ids: ['invented'] },
        { ...valid, scope: 'customer', source_message_ids: [message?.id] },
        { ...valid, subject_key: 'Preference Trains', source_message_ids: [message?.id] },
        { ...valid, password: 'x', source_message_ids: [message?.id] },
        {
          memory_type: 'temporal_events',
          content: 'Flight on Friday',
          confidence: 0.8,
          scope: 'user',
          subject_key: 'event:flight',
          event_date: 'Friday',
          source_message_ids: [message?.id],
        },
        'not an object',
      ],
    }));
    const extractor = new ModelExtractor({ model, logger: silent });
    const memories = await extractor.extract({ messages: [turn] });
    expect(memories.map((memory) => memory.content)).toEqual(['Prefers trains']);
    expect(extractor.dropped).toEqual({
      'confidence: Too big: expected number to be <=1': 1,
      'category: is required for preferences': 1,
      'source_message_ids: must name messages of the extracted range': 1,
      'scope: customer needs a message with a customer_id': 1,
      'subject_key: must be lowercase letters, digits, "_" and ":"': 1,
      'item: Unrecognized key: "password"': 1,
      'event_date: must be an ISO date (YYYY-MM-DD) or timestamp': 1,
      'item: Invalid input: expected object, received string': 1,
    });
  });

  it('throws when the answer is not the JSON asked for, and calls no model without a user turn', async () => {
    const broken = scriptedModel(() => 'Sure! Here are the memories: Lives in Lisbon');
    await expect(
      new ModelExtractor({ model: broken }).extract({ messages: [userTurn('I live in Lisbon')] }),
    ).rejects.toThrow(/No object generated/);
    const wrongShape = scriptedModel(() => ({ facts: ['Lives in Lisbon'] }));
    await expect(
      new ModelExtractor({ model: wrongShape }).extract({
        messages: [userTurn('I live in Lisbon')],
      }),
    ).rejects.toThrow(/did not match schema/);

    const unused = scriptedModel(() => ({ memories: [] }));
    const memories = await new ModelExtractor({ model: unused }).extract({
      messages: [userTurn('Your flight is booked.', { role: 'assistant' })],
    });
    expect(memories).toEqual([]);
    expect(unused.doGenerateCalls).toHaveLength(0);
  });
});
