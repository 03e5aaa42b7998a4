import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientId } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function keyId(): string {
  return randomBytes(6).toString('hex');
}

export function clientBehaviours(context: SuiteContext): void {
  describe('clients, keys and settings', () => {
    it('upserts a client and reads it back', async () => {
      const store = context.store();
      const id = clientId();
      expect(await store.getClient(id)).toBeNull();
      await store.upsertClient({ id, name: 'Acme', mode: 'b2c' });
      const updated = await store.upsertClient({ id, name: 'Acme Corp', mode: 'b2b' });
      expect(updated).toMatchObject({ id, name: 'Acme Corp', mode: 'b2b' });
      expect((await store.getClient(id))?.createdAt).toBeInstanceOf(Date);
    });

    it('creates, lists and revokes API keys', async () => {
      const store = context.store();
      const owner = clientId();
      const id = keyId();
      const created = await store.createApiKey({
        id,
        clientId: owner,
        name: 'ci',
        secretHash: 'ab'.repeat(32),
        instanceId: 'inst_0123456789abcdef',
      });
      expect(created).toMatchObject({ id, clientId: owner, revokedAt: null, lastUsedAt: null });
      await store.createApiKey({
        id: keyId(),
        clientId: clientId(),
        name: 'other',
        secretHash: 'cd',
        instanceId: 'inst_1',
      });

      expect((await store.listApiKeys(owner)).map((key) => key.id)).toEqual([id]);
      expect(await store.revokeApiKey(id)).toBe(true);
      expect(await store.revokeApiKey('nosuchkey000')).toBe(false);
      // Revoked keys are still returned: the caller refuses them.
      expect((await store.getApiKey(id))?.revokedAt).toBeInstanceOf(Date);
    });

    it('keeps the first value of a setting', async () => {
      const store = context.store();
      const name = `setting_${keyId()}`;
      expect(await store.ensureSetting(name, () => 'first')).toBe('first');
      expect(await store.ensureSetting(name, () => 'second')).toBe('first');
    });

    it('answers ping and counts telemetry', async () => {
      const store = context.store();
      await store.ping();
      const tenant = clientId();
      const events = [
        { eventType: 'request', payload: { latency_ms: 12 } },
        { eventType: 'request', payload: { latency_ms: 15 } },
        { eventType: 'cache_hit', payload: {} },
      ];
      expect(await store.recordTelemetry(tenant, events)).toBe(3);
      expect(await store.recordTelemetry(tenant, [])).toBe(0);
    });
  });
}
