import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/client/errors.js';
import { resolveOutboxOptions } from '../../../src/client/outbox/outbox-options.js';
import { createClient } from '../../../src/index.js';

describe('resolveOutboxOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveOutboxOptions({}, {})).toEqual({
      maxBatchSize: 100,
      flushIntervalMs: 100,
      maxQueued: 10_000,
      maxQueuedBytes: 16 * 1024 * 1024,
      baseRetryDelayMs: 250,
      maxRetryDelayMs: 30_000,
      spoolDir: undefined,
    });
  });

  it('takes spoolDir from FORESIGHT_SPOOL_DIR unless the call sets one', () => {
    expect(resolveOutboxOptions({}, { FORESIGHT_SPOOL_DIR: '/var/spool/f' }).spoolDir).toBe(
      '/var/spool/f',
    );
    expect(
      resolveOutboxOptions({ spoolDir: '/tmp/mine' }, { FORESIGHT_SPOOL_DIR: '/var/spool/f' })
        .spoolDir,
    ).toBe('/tmp/mine');
  });

  it('names the option and the rule of a bad value', () => {
    expect(() => resolveOutboxOptions({ maxBatchSize: 501 }, {})).toThrow(
      'outbox.maxBatchSize: must be at most 500, got 501',
    );
    expect(() => resolveOutboxOptions({ maxQueued: 0 }, {})).toThrow(InvalidInputError);
    expect(() => resolveOutboxOptions({ flushIntervalMs: 1.5 }, {})).toThrow(
      'outbox.flushIntervalMs: must be an integer of at least 0, got 1.5',
    );
  });

  it('never lets the retry cap fall under the first delay', () => {
    expect(
      resolveOutboxOptions({ baseRetryDelayMs: 500, maxRetryDelayMs: 100 }, {}).maxRetryDelayMs,
    ).toBe(500);
  });

  it('refuses, at createClient, a spoolDir that cannot be a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-spool-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    try {
      expect(() =>
        createClient({ apiKey: 'k', env: {}, outbox: { spoolDir: join(file, 'spool') } }),
      ).toThrow(/^outbox\.spoolDir \(FORESIGHT_SPOOL_DIR\): cannot be used as a spool directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
