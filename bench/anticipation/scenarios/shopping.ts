import { assistant, type ScenarioInput, user } from '../scenario.js';

export const SHOPPING: ScenarioInput[] = [
  {
    id: 'shopping-shoe-size-material',
    domain: 'shopping',
    title: 'a shoe search calls up the size and the material preference',
    tenant: 'consumer',
    user: 'clara',
    history: [
      {
        user: 'clara',
        turns: [
          user("I'm a size 41 in shoes, sometimes 40 in Italian brands."),
          user('I prefer real leather over synthetic, it lasts longer.'),
          assistant('Size 41 and leather, noted.'),
        ],
      },
      {
        user: 'zoe',
        turns: [
          user("I'm a size 38 and I only buy vegan materials, no leather at all."),
          assistant('Vegan materials only. Got it.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'search_products',
      toolArgs: { category: 'shoes', query: 'ankle boots', sort: 'relevance' },
    },
    mustContain: ['41', 'leather over synthetic'],
    mustNotContain: [
      { phrase: 'size 38', kind: 'other-user' },
      { phrase: 'vegan', kind: 'other-user' },
    ],
  },
  {
    id: 'shopping-nut-allergy-gift',
    domain: 'shopping',
    title: 'a sweets search calls up the child allergy',
    tenant: 'consumer',
    user: 'hannah',
    history: [
      {
        user: 'hannah',
        turns: [
          user('Just so you know, my son Max is allergic to peanuts and tree nuts.'),
          assistant('Thank you, I will flag anything with nuts.'),
        ],
      },
      {
        user: 'hannah',
        turns: [
          user('Max turns seven on December 12th and he loves dinosaurs.'),
          assistant('A dinosaur birthday, how fun!'),
        ],
      },
      {
        user: 'ivan',
        turns: [user('My daughter loves hazelnut chocolate, the more the better.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'search_products',
      toolArgs: { query: 'chocolate advent calendar for kids', max_price: 30 },
    },
    mustContain: ['peanuts', 'dinosaurs'],
    mustNotContain: [{ phrase: 'hazelnut', kind: 'other-user' }],
  },
  {
    id: 'shopping-new-shipping-address',
    domain: 'shopping',
    title: 'checkout ships to the new address after a move',
    tenant: 'consumer',
    user: 'owen',
    supersession: true,
    history: [
      {
        user: 'owen',
        turns: [
          user('My address is 14 Elm Street, Leeds LS6 2AB.'),
          assistant('Saved as your default shipping address.'),
        ],
      },
      {
        user: 'owen',
        turns: [
          user('We moved house last weekend!'),
          user('My address is now 3 Harbour Road, Bristol BS1 4RN.'),
          assistant('Congrats on the new place, I have updated your address.'),
        ],
      },
      {
        user: 'amelia',
        turns: [user('My address is 77 Mill Lane, Bristol BS3 1QT.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'checkout',
      toolArgs: { cart_id: 'c-778', shipping: 'default_address', payment: 'saved_card' },
    },
    mustContain: ['Harbour Road'],
    mustNotContain: [
      { phrase: 'Elm Street', kind: 'stale' },
      { phrase: 'Mill Lane', kind: 'other-user' },
    ],
  },
  {
    id: 'shopping-laptop-requirements',
    domain: 'shopping',
    title: 'a recommendation request calls up the use, the budget and the dislikes',
    tenant: 'consumer',
    user: 'felix',
    history: [
      {
        user: 'felix',
        turns: [
          user("I'm looking for a laptop for video editing, my budget is around 1500 euros."),
          assistant('Video editing at about 1500. Any other requirements?'),
          user('I hate glossy screens, and it has to run Linux well.'),
        ],
      },
      {
        user: 'greta',
        turns: [user('I want the lightest laptop possible for travel, budget 900.')],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: "Morning! Did you find a laptop you'd recommend? I'd like to order this week.",
    },
    mustContain: ['video editing', 'glossy', 'Linux'],
    mustNotContain: [{ phrase: 'lightest', kind: 'other-user' }],
  },
];
