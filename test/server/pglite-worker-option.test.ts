import { describe, expect, it } from 'vitest';
import { resolveServerOptions } from '../../src/server/server-options.js';

describe('resolveServerOptions: PGlite on a worker thread', () => {
  it('is off by default for an embedded server, on with FORESIGHT_PGLITE_WORKER=1, the call option winning', () => {
    expect(resolveServerOptions({}, {}).pgliteWorker).toBe(false);
    expect(resolveServerOptions({}, { FORESIGHT_PGLITE_WORKER: '1' }).pgliteWorker).toBe(true);
    expect(resolveServerOptions({}, { FORESIGHT_PGLITE_WORKER: 'true' }).pgliteWorker).toBe(true);
    expect(resolveServerOptions({}, { FORESIGHT_PGLITE_WORKER: '0' }).pgliteWorker).toBe(false);
    expect(
      resolveServerOptions({ pgliteWorker: true }, { FORESIGHT_PGLITE_WORKER: '0' }).pgliteWorker,
    ).toBe(true);
  });

  it('names the setting and the rule for a bad value', () => {
    expect(() => resolveServerOptions({}, { FORESIGHT_PGLITE_WORKER: 'yes' })).toThrow(
      /^pgliteWorker \(FORESIGHT_PGLITE_WORKER\): must be 1, 0, true or false, got "yes"/,
    );
  });
});
