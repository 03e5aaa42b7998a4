import type { NewEvent } from '../../src/store/records.js';
import type { TestServer } from '../support/test-server.js';

/**
 * The events a real server stores, as it stores them: the store has no read method for
 * events, so its `recordEvents` (and `recordEvent`) are wrapped to keep a copy of each one it committed.
 */
export function logStoredEvents(t: TestServer): NewEvent[] {
  const events: NewEvent[] = [];
  const store = t.server.store;
  // The event path writes its rows in batches (EventWriter); one event at a time too.
  const recordEvents = store.recordEvents.bind(store);
  store.recordEvents = async (clientId, batch) => {
    await recordEvents(clientId, batch);
    if (clientId === t.tenant.clientId) events.push(...batch);
  };
  const recordEvent = store.recordEvent.bind(store);
  store.recordEvent = async (clientId, event) => {
    await recordEvent(clientId, event);
    if (clientId === t.tenant.clientId) events.push(event);
  };
  return events;
}
