import { describe, expect, it } from 'vitest';
import { memoryTypes, planQueries, words } from '../../src/engine/query-planner.js';
import { MEMORY_TYPES } from '../../src/store/records.js';

const empty = { toolName: '', toolArgs: null, content: '', searchQueries: [], contextTypes: [] };

describe('words', () => {
  it('splits snake_case and camelCase tool names into lower-case words', () => {
    expect(words('book_flight')).toEqual(['book', 'flight']);
    expect(words('searchHotelRooms')).toEqual(['search', 'hotel', 'rooms']);
    expect(words('getHTTPResponse')).toEqual(['http', 'response']);
  });

  it('drops function words and single letters', () => {
    expect(words('What is the weather in Lisbon?')).toEqual(['weather', 'lisbon']);
  });
});

describe('planQueries', () => {
  it('puts argument values first, then the tool words with argument keys', () => {
    const plan = planQueries({
      ...empty,
      toolName: 'book_flight',
      toolArgs: { destination: 'Lisbon', passengers: 2 },
    });
    expect(plan.queries).toEqual(['Lisbon', 'book flight destination passengers']);
    expect(plan.keywords).toEqual(['book', 'flight', 'destination', 'passengers', 'lisbon']);
  });

  it('keeps the client search queries first and the content last', () => {
    const plan = planQueries({
      ...empty,
      content: 'Can you find me a vegetarian restaurant?',
      searchQueries: ['dietary restrictions'],
    });
    expect(plan.queries).toEqual(['dietary restrictions', 'find vegetarian restaurant']);
  });

  it('walks nested arguments and reads long values as content words', () => {
    const plan = planQueries({
      ...empty,
      toolName: 'send_email',
      toolArgs: {
        to: ['ana@example.com'],
        body: {
          text: 'Please confirm the booking for the conference dinner next Thursday evening',
        },
      },
    });
    expect(plan.queries[0]).toBe('ana@example.com');
    expect(plan.queries).toContain('send email body text');
    expect(plan.queries.at(-1)).toBe('confirm booking conference dinner next thursday evening');
  });

  it('drops duplicate and empty queries and caps the count', () => {
    const plan = planQueries(
      {
        ...empty,
        searchQueries: ['Lisbon', 'lisbon', '  ', '?', 'a', 'porto trip', 'faro', 'braga'],
      },
      { maxQueries: 2 },
    );
    expect(plan.queries).toEqual(['Lisbon', 'porto trip']);
  });

  it('answers no query for an event without words', () => {
    expect(planQueries(empty).queries).toEqual([]);
  });
});

describe('memoryTypes', () => {
  it('means every type when empty or all', () => {
    expect(memoryTypes([])).toEqual([...MEMORY_TYPES]);
    expect(memoryTypes(['preferences', 'all'])).toEqual([...MEMORY_TYPES]);
  });

  it('restricts to known types, accepting singular names and ignoring unknown ones', () => {
    expect(memoryTypes(['preference', 'temporal_event', 'gossip'])).toEqual([
      'preferences',
      'temporal_events',
    ]);
    expect(memoryTypes(['gossip'])).toEqual([...MEMORY_TYPES]);
  });
});
