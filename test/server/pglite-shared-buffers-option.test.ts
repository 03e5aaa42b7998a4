import { describe, expect, it } from 'vitest';
import { resolveServerOptions } from '../../src/server/server-options.js';

describe('resolveServerOptions: PGlite shared buffers', () => {
  it('defaults to 16 MiB, reads FORESIGHT_PGLITE_SHARED_BUFFERS_MB, the call option winning', () => {
    expect(resolveServerOptions({}, {}).pgliteSharedBuffersMb).toBe(16);
    const env = { FORESIGHT_PGLITE_SHARED_BUFFERS_MB: '64' };
    expect(resolveServerOptions({}, env).pgliteSharedBuffersMb).toBe(64);
    expect(resolveServerOptions({ pgliteSharedBuffersMb: 8 }, env).pgliteSharedBuffersMb).toBe(8);
  });

  it('names the setting and the rule for a bad value', () => {
    expect(() => resolveServerOptions({}, { FORESIGHT_PGLITE_SHARED_BUFFERS_MB: '0' })).toThrow(
      /^pgliteSharedBuffersMb \(FORESIGHT_PGLITE_SHARED_BUFFERS_MB\): must be an integer from 1 to 16384/,
    );
  });
});
