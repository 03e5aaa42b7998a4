import { randomUUID } from 'node:crypto';
import type { ExtractionRule } from '../../../src/engine/extraction/index.js';
import { RuleExtractor } from '../../../src/engine/extraction/index.js';
import type { MessageRecord, NewMemory } from '../../../src/store/records.js';

/** Wednesday 2026-11-18, 10:00 UTC: the recordedAt every relative date resolves against. */
export const RECORDED_AT = new Date('2026-11-18T10:00:00Z');

let seq = 0;

/** A stored message as the store would answer it. */
export function userTurn(content: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  seq += 1;
  return {
    id: `msg_${seq}`,
    clientId: 'default',
    conversationId: randomUUID(),
    userId: 'alice',
    customerId: '',
    sessionId: 's1',
    role: 'user',
    content,
    metadata: {},
    idempotencyKey: null,
    seq,
    recordedAt: RECORDED_AT,
    ...overrides,
  };
}

/** Runs only `rule` (every rule, and the statement fallback, when omitted) over one user turn. */
export async function extractFrom(
  content: string,
  rule?: ExtractionRule,
  overrides: Partial<MessageRecord> = {},
): Promise<NewMemory[]> {
  const extractor = new RuleExtractor(
    rule ? { rules: [rule], fallbackRule: null, relations: false } : {},
  );
  return extractor.extract({ messages: [userTurn(content, overrides)] });
}
