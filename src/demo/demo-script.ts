/**
 * What the demo says and does, in one place: the user, her earlier conversations (seeded
 * before the agent runs, so the engine has something to remember), and the request the
 * agent sessions answer.
 */

/** The demo's user, in the default tenant. `foresight inspect --user alice` shows her. */
export const DEMO_USER_ID = 'alice';

/** One of Alice's earlier conversations: her turns and the assistant's answers, in order. */
export interface SeedConversation {
  threadId: string;
  turns: { role: 'user' | 'assistant'; content: string }[];
}

export const SEED_CONVERSATIONS: readonly SeedConversation[] = [
  {
    threadId: 'alice-trip-to-berlin',
    turns: [
      { role: 'user', content: 'I always fly aisle seats.' },
      { role: 'assistant', content: 'Noted: aisle seats from now on.' },
      { role: 'user', content: "I'm vegetarian, so please order vegetarian meals on flights." },
      { role: 'assistant', content: 'I will request vegetarian meals.' },
    ],
  },
  {
    threadId: 'alice-company-travel',
    turns: [
      {
        role: 'user',
        // Worded as the user's own rule, so the offline extraction rules keep it as a preference.
        content: 'Company travel policy: I always fly economy class on flights under 6 hours.',
      },
      { role: 'assistant', content: 'Understood, economy for short flights.' },
      { role: 'user', content: 'I prefer hotels near the city centre.' },
      { role: 'assistant', content: 'I will look for central hotels.' },
    ],
  },
];

/** What Alice asks in each agent session. */
export const AGENT_REQUEST = 'Get me to the Lisbon conference next week.';

/** The tool the model calls, and the arguments the scripted models give it. */
export const TOOL_NAME = 'book_flight';
export const TOOL_ARGS = { destination: 'Lisbon' } as const;

export const SYSTEM_PROMPT = 'You are a travel agent. Use the tools to book travel for the user.';
