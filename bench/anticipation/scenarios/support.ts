import { assistant, type ScenarioInput, user } from '../scenario.js';

export const SUPPORT: ScenarioInput[] = [
  {
    id: 'support-recurring-router-drops',
    domain: 'support',
    title: 'a returning customer gets the device and the pattern of the open issue',
    tenant: 'consumer',
    user: 'helen',
    history: [
      {
        user: 'helen',
        turns: [
          user('My internet keeps dropping every evening around 9pm.'),
          assistant('Sorry about that. Which router do you have?'),
          user("It's a Fritzbox 7590, the one you sent me last year."),
          assistant(
            'Thanks. I have opened a ticket and a technician will check the line this week.',
          ),
        ],
      },
      {
        user: 'bruno',
        turns: [
          user('My TP-Link router drops the wifi whenever the microwave is on.'),
          assistant('Try switching to the 5 GHz band.'),
        ],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: "Hi, it's me again. The internet died again last night, same as before.",
    },
    mustContain: ['Fritzbox', '9pm'],
    mustNotContain: [
      { phrase: 'TP-Link', kind: 'other-user' },
      { phrase: 'microwave', kind: 'other-user' },
    ],
  },
  {
    id: 'support-damaged-orders-refund',
    domain: 'support',
    title: 'a refund calls up the frustration and the refund-over-replacement wish',
    tenant: 'consumer',
    user: 'carlos',
    history: [
      {
        user: 'carlos',
        turns: [
          user('The blender from order A-20931 arrived with a cracked jar.'),
          assistant('I am sorry! I can send a replacement right away.'),
          user("Honestly I'm really frustrated, this is the third time an order arrived damaged."),
          user('I prefer a refund over another replacement at this point.'),
        ],
      },
      {
        user: 'nadia',
        turns: [
          user('My kettle arrived damaged too, but I prefer store credit.'),
          assistant('Store credit it is.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'issue_refund',
      toolArgs: { order_id: 'A-20931', reason: 'damaged_in_transit' },
    },
    mustContain: ['frustrated', 'refund over another replacement'],
    mustNotContain: [{ phrase: 'store credit', kind: 'other-user' }],
  },
  {
    id: 'support-email-changed',
    domain: 'support',
    title: 'a password reset goes to the new email address only',
    tenant: 'consumer',
    user: 'helena',
    supersession: true,
    history: [
      {
        user: 'helena',
        turns: [
          user('My email is helena.m@gmail.com if you need to reach me.'),
          assistant('Thanks, saved.'),
        ],
      },
      {
        user: 'helena',
        turns: [
          user("Please update my contact details, I don't use gmail anymore."),
          user('The new address is helena.marsh@proton.me.'),
          assistant('Done, your contact email is updated.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'send_password_reset',
      toolArgs: { channel: 'email' },
    },
    mustContain: ['helena.marsh@proton.me'],
    mustNotContain: [{ phrase: 'helena.m@gmail.com', kind: 'stale' }],
  },
  {
    id: 'support-plan-and-language',
    domain: 'support',
    title: 'a billing question calls up the plan, the lines and the language',
    tenant: 'consumer',
    user: 'lucia',
    history: [
      {
        user: 'lucia',
        turns: [
          user("We're on the Family plan with 4 lines, my kids have the other three."),
          assistant('Thanks, I can see the Family plan.'),
          user('I prefer Spanish if possible, my English is not great.'),
          assistant('Claro, podemos seguir en español.'),
        ],
      },
      {
        tenant: 'rival',
        user: 'lucia',
        turns: [user("I'm on the Business Unlimited plan with 12 lines.")],
      },
      {
        user: 'george',
        turns: [user('I have the Solo plan and I was overcharged for roaming in Greece.')],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'Why is my bill so much higher this month?',
    },
    mustContain: ['Family plan', 'Spanish'],
    mustNotContain: [
      { phrase: 'Business Unlimited', kind: 'other-tenant' },
      { phrase: 'roaming', kind: 'other-user' },
    ],
  },
];
