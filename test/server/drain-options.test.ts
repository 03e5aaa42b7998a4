import { describe, expect, it } from 'vitest';
import { resolveServerOptions } from '../../src/server/server-options.js';

describe('resolveServerOptions: drain and durability settings', () => {
  it('defaults to a 10 s drain and fsync off', () => {
    const settings = resolveServerOptions({}, {});
    expect(settings.drainTimeoutMs).toBe(10_000);
    expect(settings.pgliteFsync).toBe(false);
  });

  it('reads FORESIGHT_DRAIN_TIMEOUT_MS and FORESIGHT_PGLITE_FSYNC, the call option winning', () => {
    const env = { FORESIGHT_DRAIN_TIMEOUT_MS: '2500', FORESIGHT_PGLITE_FSYNC: 'true' };
    expect(resolveServerOptions({}, env)).toMatchObject({
      drainTimeoutMs: 2500,
      pgliteFsync: true,
    });
    expect(resolveServerOptions({ drainTimeoutMs: 100, pgliteFsync: false }, env)).toMatchObject({
      drainTimeoutMs: 100,
      pgliteFsync: false,
    });
    expect(resolveServerOptions({}, { FORESIGHT_PGLITE_FSYNC: '0' }).pgliteFsync).toBe(false);
  });

  it('names the setting and the rule for a bad value', () => {
    expect(() => resolveServerOptions({}, { FORESIGHT_PGLITE_FSYNC: 'yes' })).toThrow(
      'pgliteFsync (FORESIGHT_PGLITE_FSYNC): must be 1, 0, true or false, got "yes"',
    );
    expect(() => resolveServerOptions({}, { FORESIGHT_DRAIN_TIMEOUT_MS: '-1' })).toThrow(
      /^drainTimeoutMs \(FORESIGHT_DRAIN_TIMEOUT_MS\): must be an integer from 0 to 600000/,
    );
  });
});
