import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxSpool, readJournal } from '../../../src/client/outbox/outbox-spool.js';
import { turn, warningsLogger } from './outbox-fixtures.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-journal-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function records(count: number) {
  const conversationId = randomUUID();
  return Array.from({ length: count }, (_, index) => ({
    id: index,
    record: {
      ...turn(conversationId, index),
      content: `${'x'.repeat(500)} ${index}`,
      idempotencyKey: randomUUID(),
    },
  }));
}

describe('OutboxSpool', () => {
  it('rewrites a journal that is mostly settled records, keeping the live ones in order', () => {
    const { spool } = OutboxSpool.open(dir, warningsLogger());
    const all = records(3_000);
    spool.append(all);
    const fullSize = statSync(spool.path).size;
    expect(fullSize).toBeGreaterThan(1024 * 1024);

    for (let start = 0; start < 2_990; start += 100) {
      spool.remove(all.slice(start, Math.min(start + 100, 2_990)).map((entry) => entry.id));
    }

    expect(statSync(spool.path).size).toBeLessThan(fullSize / 4);
    const { records: live, unreadable } = readJournal(readFileSync(spool.path, 'utf8'));
    expect(unreadable).toBe(0);
    expect(live.map((record) => record.content)).toEqual(
      all.slice(2_990).map((entry) => entry.record.content),
    );
    expect(spool.size).toBe(10);
    spool.close();
    // Live records stay for the next client.
    expect(existsSync(spool.path)).toBe(true);
  });

  it('empties the journal when nothing is live and deletes it on close', () => {
    const { spool } = OutboxSpool.open(dir, warningsLogger());
    const all = records(5);
    spool.append(all);
    spool.remove(all.map((entry) => entry.id));

    expect(readFileSync(spool.path, 'utf8')).toBe('');
    spool.close();
    spool.close();
    expect(existsSync(spool.path)).toBe(false);
  });
});
