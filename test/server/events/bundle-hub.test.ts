import { describe, expect, it } from 'vitest';
import { BundleHub } from '../../../src/server/events/bundle-hub.js';
import { ServerError } from '../../../src/server/server-error.js';

const notice = (userId = 'ana') => ({ userId, bundleId: 'b-1' });

describe('BundleHub', () => {
  it('wakes a waiter of the same client and conversation', async () => {
    const hub = new BundleHub();
    const subscription = hub.subscribe('acme', 'conv-1');
    const outcome = subscription.wait(5_000);
    hub.publish('globex', 'conv-1', notice());
    hub.publish('acme', 'conv-2', notice());
    hub.publish('acme', 'conv-1', notice());
    expect(await outcome).toBe('published');
    subscription.close();
    expect(hub.listenerCount).toBe(0);
  });

  it('keeps a publish that lands between subscribe and wait', async () => {
    const hub = new BundleHub();
    const subscription = hub.subscribe('acme', 'conv-1');
    hub.publish('acme', 'conv-1', notice());
    expect(await subscription.wait(0)).toBe('published');
    subscription.close();
  });

  it('hears only its user when it names one', async () => {
    const hub = new BundleHub();
    const subscription = hub.subscribe('acme', 'conv-1', 'ana');
    hub.publish('acme', 'conv-1', notice('bob'));
    expect(await subscription.wait(30)).toBe('timeout');
    subscription.close();
  });

  it('ends a wait on abort and on close, and releases the listener', async () => {
    const hub = new BundleHub();
    const controller = new AbortController();
    const first = hub.subscribe('acme', 'conv-1');
    const aborted = first.wait(5_000, controller.signal);
    controller.abort();
    expect(await aborted).toBe('aborted');
    first.close();
    const second = hub.subscribe('acme', 'conv-1');
    const closed = second.wait(5_000);
    second.close();
    second.close();
    expect(await closed).toBe('aborted');
    expect(hub.listenerCount).toBe(0);
  });

  it('refuses subscriptions past its bounds with rate_limited', () => {
    const hub = new BundleHub({ maxListeners: 3, maxListenersPerConversation: 2 });
    hub.subscribe('acme', 'conv-1');
    hub.subscribe('acme', 'conv-1');
    expect(() => hub.subscribe('acme', 'conv-1')).toThrow(ServerError);
    hub.subscribe('acme', 'conv-2');
    try {
      hub.subscribe('acme', 'conv-3');
      expect.unreachable();
    } catch (error) {
      expect((error as ServerError).code).toBe('rate_limited');
    }
    expect(hub.listenerCount).toBe(3);
  });
});
