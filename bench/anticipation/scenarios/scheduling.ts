import { assistant, type ScenarioInput, user } from '../scenario.js';

export const SCHEDULING: ScenarioInput[] = [
  {
    id: 'scheduling-meeting-rules',
    domain: 'scheduling',
    title: 'scheduling a meeting calls up the hours and the no-meeting day',
    tenant: 'consumer',
    user: 'nina',
    history: [
      {
        user: 'nina',
        turns: [
          user('Some ground rules for my calendar: I never take meetings before 10am.'),
          user('Fridays are my focus day, so no meetings on Fridays please.'),
          assistant('No meetings before 10am and none on Fridays.'),
        ],
      },
      {
        user: 'oscar',
        turns: [
          user('I like early meetings, 7:30am is perfect for me, and Fridays are fine.'),
          assistant('Early slots it is.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'schedule_meeting',
      toolArgs: { attendee: 'Jordan Lee', duration_minutes: 30, window: 'next week' },
    },
    mustContain: ['10am', 'Fridays'],
    mustNotContain: [{ phrase: '7:30', kind: 'other-user' }],
  },
  {
    id: 'scheduling-dentist-rescheduled',
    domain: 'scheduling',
    title: 'the calendar shows the rescheduled appointment, not the old slot',
    tenant: 'consumer',
    user: 'ben',
    supersession: true,
    history: [
      {
        user: 'ben',
        turns: [
          user('My dentist appointment is on Friday at 3pm, can you block the afternoon?'),
          assistant('Blocked Friday afternoon.'),
        ],
      },
      {
        user: 'ben',
        turns: [
          user('The dentist called, my dentist appointment got moved to Tuesday at 11am.'),
          assistant('Updated. Tuesday 11am it is.'),
        ],
      },
      {
        user: 'chloe',
        turns: [user('My dentist appointment is on Thursday at 4pm.')],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'When am I seeing the dentist again?',
    },
    mustContain: ['Tuesday at 11am'],
    mustNotContain: [
      { phrase: 'Friday at 3pm', kind: 'stale' },
      { phrase: 'Thursday at 4pm', kind: 'other-user' },
    ],
  },
  {
    id: 'scheduling-relocated-timezone',
    domain: 'scheduling',
    title: 'a cross-team meeting uses the time zone of the new city',
    tenant: 'consumer',
    user: 'arjun',
    supersession: true,
    history: [
      {
        user: 'arjun',
        turns: [
          user("I'm based in New York, so please keep everything in Eastern time."),
          assistant('Eastern time, noted.'),
        ],
      },
      {
        user: 'arjun',
        turns: [
          user('I relocated to Singapore for the new role, I start there on Monday.'),
          assistant('Exciting! I will switch your calendar to Singapore time.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'schedule_meeting',
      toolArgs: { attendees: ['Berlin design team'], duration_minutes: 60, window: 'this week' },
    },
    mustContain: ['Singapore'],
    mustNotContain: [
      { phrase: 'New York', kind: 'stale' },
      { phrase: 'Eastern time', kind: 'stale' },
    ],
  },
  {
    id: 'scheduling-school-pickup',
    domain: 'scheduling',
    title: 'a new event in the afternoon calls up the school pickup',
    tenant: 'consumer',
    user: 'fatima',
    history: [
      {
        user: 'fatima',
        turns: [
          user('I pick up my daughter from school at 3:30 every weekday.'),
          user('So nothing between 3 and 4 in the afternoon, ever.'),
          assistant('I will keep 3 to 4pm free on weekdays.'),
        ],
      },
      {
        user: 'liam',
        turns: [user('I have football practice every Tuesday from 3 to 5.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'create_event',
      toolArgs: { title: 'Quarterly review', date: '2026-12-08', start_time: '15:00' },
    },
    mustContain: ['3:30', 'daughter'],
    mustNotContain: [{ phrase: 'football', kind: 'other-user' }],
  },
];
