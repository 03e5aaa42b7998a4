import { describe, expect, it } from 'vitest';
import { memoryTypes, planQueries, type QueryPlan, words } from '../../src/engine/query-planner.js';
import { MEMORY_TYPES } from '../../src/store/records.js';

const texts = (plan: QueryPlan) => plan.queries.map((query) => query.text);

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
    expect(texts(plan).slice(0, 2)).toEqual(['Lisbon', 'flight destination passengers']);
    expect(plan.queries[2]?.text.split(' ')).toEqual(
      expect.arrayContaining(['seat', 'aisle', 'airline', 'prefer', 'always']),
    );
    expect(plan.queries.map((query) => query.source)).toEqual(['entity', 'tool', 'expansion']);
    expect(plan.keywords).toEqual(['book', 'flight', 'destination', 'passengers', 'lisbon']);
  });

  it('keeps the client search queries first and the content last', () => {
    const plan = planQueries({
      ...empty,
      content: 'Can you find me a vegetarian restaurant?',
      searchQueries: ['dietary restrictions'],
    });
    expect(texts(plan).slice(0, 2)).toEqual(['dietary restrictions', 'find vegetarian restaurant']);
    expect(plan.queries[0]?.weight).toBeGreaterThan(plan.queries[1]?.weight ?? 1);
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
    expect(plan.queries[0]?.text).toBe('ana@example.com');
    expect(texts(plan)).toContain('send email body text');
    expect(texts(plan)).toContain('confirm booking conference dinner next thursday evening');
  });

  it('drops duplicate and empty queries and caps the count', () => {
    const plan = planQueries(
      {
        ...empty,
        searchQueries: ['Lisbon', 'lisbon', '  ', '?', 'a', 'porto trip', 'faro', 'braga'],
      },
      { maxQueries: 2 },
    );
    expect(texts(plan)).toEqual(['Lisbon', 'porto trip']);
  });

  it('answers no query for an event without words', () => {
    expect(planQueries(empty).queries).toEqual([]);
  });
});

describe('missing arguments', () => {
  it('searches first for what the model left empty: the unknown the context must supply', () => {
    const plan = planQueries({
      ...empty,
      toolName: 'book_vet_appointment',
      toolArgs: { pet: 'Pepper', clinic: null, notes: '', tags: [], date: '2026-03-14' },
    });
    expect(plan.queries[0]).toEqual({ text: 'clinic notes tags', source: 'missing', weight: 1 });
    // The date is no word to match: its digits would match any time of day.
    expect(texts(plan)).not.toContain('2026-03-14');
    expect(plan.keywords).not.toContain('2026');
  });
});

describe('intent expansion', () => {
  /** The words of the expansion query of an event. */
  const expanded = (event: Partial<Parameters<typeof planQueries>[0]>) =>
    planQueries({ ...empty, ...event })
      .queries.find((query) => query.source === 'expansion')
      ?.text.split(' ');

  it('adds what a booking needs that the tool never says, at a lower weight', () => {
    const plan = planQueries({ ...empty, toolName: 'book_flight', toolArgs: { to: 'Porto' } });
    const expansion = plan.queries.find((query) => query.source === 'expansion');
    expect(expansion?.text.split(' ')).toEqual(expect.arrayContaining(['seat', 'aisle']));
    expect(expansion?.weight).toBeLessThan(plan.queries[0]?.weight ?? 0);
    expect(plan.preferredTypes).toContain('preferences');
  });

  it('reads plural and -ing forms of the trigger words in a user turn', () => {
    const plan = planQueries({ ...empty, content: 'Any good restaurants around for dinner?' });
    const expansion = plan.queries.find((query) => query.source === 'expansion');
    expect(expansion?.text.split(' ')).toEqual(expect.arrayContaining(['vegetarian', 'allergic']));
  });

  it('adds what a procedure, a training plan, a phone call and a pet visit screen for', () => {
    expect(expanded({ toolName: 'book_ct_scan', toolArgs: { area: 'abdomen' } })).toEqual(
      expect.arrayContaining(['implant', 'pregnant', 'allergic', 'kidney']),
    );
    expect(expanded({ content: 'plan my gym sessions for the next month' })).toEqual(
      expect.arrayContaining(['injury', 'surgery', 'knee', 'asthma']),
    );
    expect(expanded({ toolName: 'place_phone_call', toolArgs: { to: 'support' } })).toEqual(
      expect.arrayContaining(['deaf', 'hearing', 'language']),
    );
    expect(expanded({ toolName: 'book_grooming', toolArgs: { dog: 'Rex' } })).toEqual(
      expect.arrayContaining(['vet', 'vaccine', 'anxious']),
    );
  });

  it('adds what a prescription, an insurance claim, a home repair and a gift need', () => {
    expect(expanded({ toolName: 'request_refill', toolArgs: { drug: 'ibuprofen' } })).toEqual(
      expect.arrayContaining(['allergic', 'taking', 'pregnant']),
    );
    expect(expanded({ toolName: 'file_claim', toolArgs: { amount: 120 } })).toEqual(
      expect.arrayContaining(['carrier', 'member', 'employer']),
    );
    expect(expanded({ toolName: 'hire_plumber', toolArgs: { issue: 'leak' } })).toEqual(
      expect.arrayContaining(['landlord', 'lease', 'key']),
    );
    expect(expanded({ content: 'find a birthday gift for my brother' })).toEqual(
      expect.arrayContaining(['likes', 'size', 'budget']),
    );
  });

  it('keeps only preferred types the client asked for', () => {
    const plan = planQueries({
      ...empty,
      toolName: 'schedule_meeting',
      contextTypes: ['facts'],
    });
    expect(plan.types).toEqual(['facts']);
    expect(plan.preferredTypes).toEqual(['facts']);
  });

  it('expands nothing for an event without a known intent', () => {
    const plan = planQueries({ ...empty, toolName: 'get_weather', toolArgs: { city: 'Oslo' } });
    expect(plan.queries.some((query) => query.source === 'expansion')).toBe(false);
    expect(plan.preferredTypes).toEqual([]);
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
