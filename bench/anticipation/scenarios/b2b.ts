import { assistant, type ScenarioInput, user } from '../scenario.js';

// One B2B app (the `business` tenant) serving several companies. Northwind is the
// customer under test; Contoso, another customer of the same app, talks about the
// same topics and must never show up; colleagues at Northwind keep their own details.
export const B2B: ScenarioInput[] = [
  {
    id: 'b2b-purchase-order-approval',
    domain: 'b2b',
    title: 'a purchase order calls up the buyer’s approval rules, not another company’s',
    tenant: 'business',
    user: 'priya',
    customer: 'northwind',
    history: [
      {
        user: 'priya',
        customer: 'northwind',
        turns: [
          user('I handle procurement for Northwind.'),
          user(
            'Our PO approval limit is 10k, anything above that goes to our CFO, Dana Whitfield.',
          ),
          assistant('Understood: over 10k needs Dana Whitfield’s approval.'),
          user('And I prefer Dell for laptops, we have a volume discount with them.'),
        ],
      },
      {
        user: 'marcus',
        customer: 'northwind',
        turns: [user('My personal mobile is 07700 900461, text me if the server room alarm goes.')],
      },
      {
        user: 'li',
        customer: 'contoso',
        turns: [
          user('Our PO approval limit is 50k and approvals go to Ravi Menon in finance.'),
          user('I prefer Lenovo for laptops.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'create_purchase_order',
      toolArgs: { vendor: 'Dell', item: '14 Latitude laptops', amount_usd: 14500 },
    },
    mustContain: ['10k', 'Dana Whitfield'],
    mustNotContain: [
      { phrase: '50k', kind: 'other-customer' },
      { phrase: 'Ravi Menon', kind: 'other-customer' },
      { phrase: 'Lenovo', kind: 'other-customer' },
      { phrase: '07700', kind: 'other-user' },
    ],
  },
  {
    id: 'b2b-sso-provisioning',
    domain: 'b2b',
    title: 'provisioning a user calls up the identity setup of the right company',
    tenant: 'business',
    user: 'tom',
    customer: 'northwind',
    history: [
      {
        user: 'tom',
        customer: 'northwind',
        turns: [
          user("I'm the IT admin at Northwind. We use Okta for SSO."),
          user('SCIM sync runs nightly at 2am, so new hires show up the next morning.'),
          assistant('Okta with a nightly SCIM sync, got it.'),
        ],
      },
      {
        user: 'sara',
        customer: 'contoso',
        turns: [
          user('We use Azure AD for SSO and provision everyone by hand.'),
          assistant('Azure AD, manual provisioning. Noted.'),
        ],
      },
      {
        tenant: 'rival',
        user: 'tom',
        turns: [user('We use Google Workspace for SSO at my other job.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'provision_user',
      toolArgs: { email: 'new.hire@northwind.example', role: 'analyst', groups: ['finance'] },
    },
    mustContain: ['Okta', 'SCIM'],
    mustNotContain: [
      { phrase: 'Azure AD', kind: 'other-customer' },
      { phrase: 'by hand', kind: 'other-customer' },
      { phrase: 'Google Workspace', kind: 'other-tenant' },
    ],
  },
  {
    id: 'b2b-seat-count-amended',
    domain: 'b2b',
    title: 'an invoice uses the amended seat count, not the original contract',
    tenant: 'business',
    user: 'lena',
    customer: 'northwind',
    supersession: true,
    history: [
      {
        user: 'lena',
        customer: 'northwind',
        turns: [
          user('Our contract renews on March 1 and we have 120 seats on the Pro tier.'),
          assistant('120 Pro seats, renewal March 1.'),
        ],
      },
      {
        user: 'lena',
        customer: 'northwind',
        turns: [
          user('We just signed the amendment, so we have 180 seats on the Pro tier now.'),
          assistant('Great, updated to 180 seats.'),
        ],
      },
      {
        user: 'oliver',
        customer: 'contoso',
        turns: [user('We have 45 seats on the Starter tier and pay yearly.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'generate_invoice',
      toolArgs: { period: '2026-Q1', currency: 'USD' },
    },
    mustContain: ['180 seats'],
    mustNotContain: [
      { phrase: '120 seats', kind: 'stale' },
      { phrase: '45 seats', kind: 'other-customer' },
    ],
  },
  {
    id: 'b2b-api-rate-limit-escalation',
    domain: 'b2b',
    title: 'a follow-up on an API issue calls up that engineer’s incident only',
    tenant: 'business',
    user: 'omar',
    customer: 'northwind',
    history: [
      {
        user: 'omar',
        customer: 'northwind',
        turns: [
          user(
            'Our order sync integration is failing with 429 errors since we moved to the v2 API.',
          ),
          assistant('Thanks, I have escalated it to the platform team.'),
          user("I'm really stressed about this, our warehouse can't ship without the sync."),
        ],
      },
      {
        user: 'jen',
        customer: 'northwind',
        turns: [
          user("I'm the billing contact for Northwind, invoices go to ap@northwind.example."),
          assistant('Billing contact saved.'),
        ],
      },
      {
        user: 'kenji',
        customer: 'contoso',
        turns: [user('Our bulk import keeps hitting 429 errors on the v1 API every night.')],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'Still seeing rate limit errors this morning. Any update from your team?',
    },
    mustContain: ['429', 'v2', 'warehouse'],
    mustNotContain: [
      { phrase: 'bulk import', kind: 'other-customer' },
      { phrase: 'ap@northwind', kind: 'other-user' },
    ],
  },
];
