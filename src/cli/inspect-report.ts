import Table from 'cli-table3';
import picocolors from 'picocolors';
import { contextBundleFromJson } from '../protocol/bundle-codec.js';
import { MEMORY_TYPES } from '../protocol/memory-types.js';
import type { MemoryRecord } from '../store/records.js';
import type { InspectedBundle } from '../store/sql-inspect.js';
import type { Store } from '../store/store.js';

/** What `foresight inspect` shows, also its `--json` form. */
export interface InspectReport {
  clientId: string;
  userId?: string;
  conversation?: {
    id: string;
    /** The id as given, when it was a thread id mapped to the conversation's UUID. */
    givenId?: string;
    userId: string | null;
    messageCount: number;
  };
  memories: InspectedMemory[];
  bundles: InspectedBundleRow[];
}

export interface InspectedMemory {
  id: string;
  type: string;
  content: string;
  confidence: number;
  scope: string;
  conversationId: string | null;
  current: boolean;
  validUntil: string | null;
  supersededBy: string | null;
  createdAt: string;
}

export interface InspectedBundleRow {
  id: string;
  createdAt: string;
  conversationId: string;
  userId: string;
  bundleType: string;
  inReplyTo: { eventId: string; eventType: string; toolName: string; toolArgs: unknown } | null;
  /** Items by memory type; null when the stored payload could not be read. */
  items: Record<string, number> | null;
  totalTokens: number | null;
  retrievalMs: number;
}

/** Memories read at most, newest first. */
const MAX_MEMORIES = 500;

/** Reads a user's (or a conversation's) memories and newest bundles from the store. */
export async function buildReport(
  store: Store,
  options: {
    clientId: string;
    userId?: string;
    conversationId?: string;
    givenConversationId?: string;
    bundleLimit: number;
  },
): Promise<InspectReport> {
  const { clientId, userId, conversationId } = options;
  const report: InspectReport = { clientId, memories: [], bundles: [] };
  let memories: MemoryRecord[] = [];
  if (conversationId !== undefined) {
    const conversation = await store.getConversation(clientId, conversationId);
    report.conversation = {
      id: conversationId,
      ...(options.givenConversationId !== undefined &&
      options.givenConversationId !== conversationId
        ? { givenId: options.givenConversationId }
        : {}),
      userId: conversation?.userId ?? null,
      messageCount: conversation?.messageCount ?? 0,
    };
    memories = await store.listConversationMemories(clientId, conversationId, MAX_MEMORIES);
  } else if (userId !== undefined) {
    report.userId = userId;
    memories = await store.listMemories(clientId, {
      userId,
      includeSuperseded: true,
      limit: MAX_MEMORIES,
    });
  }
  const now = Date.now();
  report.memories = memories
    .map((memory) => memoryRow(memory, now))
    .sort((left, right) => typeRank(left.type) - typeRank(right.type));
  const bundles = await store.listRecentBundles(clientId, {
    ...(userId !== undefined ? { userId } : {}),
    ...(conversationId !== undefined ? { conversationId } : {}),
    limit: options.bundleLimit,
  });
  report.bundles = bundles.map(bundleRow);
  return report;
}

/**
 * Column widths that fill `width` characters: the fixed columns as given (padding
 * included), the rest (`null`) sharing what is left, each at least 10. A table of n
 * columns has n + 1 borders.
 */
export function fitColumns(width: number, columns: readonly (number | null)[]): number[] {
  const fixed = columns.reduce<number>((sum, column) => sum + (column ?? 0), 0);
  const flexible = columns.filter((column) => column === null).length;
  const left = width - fixed - (columns.length + 1);
  const share = Math.max(10, Math.floor(left / Math.max(1, flexible)));
  return columns.map((column) => column ?? share);
}

/** `2026-05-01T09:30:00.000Z` as `2026-05-01 09:30`, which wraps at its space. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

/**
 * The report as tables (cli-table3) that fit `width` columns (the terminal's, 80 when
 * piped): long texts wrap inside their cells. Colours only when `fancy`.
 */
export function renderReport(report: InspectReport, fancy: boolean, width = 80): string {
  const colors = picocolors.createColors(fancy);
  const style = fancy ? {} : { style: { head: [], border: [] } };
  const out: string[] = [];
  const subject = report.conversation
    ? `conversation ${report.conversation.id}${report.conversation.givenId ? ` (${report.conversation.givenId})` : ''}` +
      `, user ${report.conversation.userId ?? 'unknown'}, ${report.conversation.messageCount} messages`
    : `user ${report.userId}`;
  out.push(colors.bold(`${subject} (client ${report.clientId})`));

  out.push('', colors.bold(`Memories (${report.memories.length})`));
  if (report.memories.length === 0) out.push('  none');
  else {
    const table = new Table({
      head: ['memory', 'type, scope', 'conf', 'status', 'created'],
      colWidths: fitColumns(width, [null, 17, 6, 14, 12]),
      wordWrap: true,
      ...style,
    });
    for (const memory of report.memories) {
      table.push([
        memory.content,
        `${memory.type}\n${memory.scope}`,
        memory.confidence.toFixed(2),
        memory.supersededBy
          ? `superseded by ${memory.supersededBy.slice(0, 8)}`
          : memory.validUntil
            ? `${memory.current ? 'valid until' : 'expired'} ${shortTime(memory.validUntil)}`
            : 'current',
        shortTime(memory.createdAt),
      ]);
    }
    out.push(table.toString());
  }

  out.push('', colors.bold(`Recent bundles (${report.bundles.length}, newest first)`));
  if (report.bundles.length === 0) out.push('  none');
  else {
    const table = new Table({
      head: ['created', 'in reply to', 'type', 'items', 'tokens', 'ms'],
      colWidths: fitColumns(width, [12, null, 14, null, 8, 6]),
      wordWrap: true,
      ...style,
    });
    for (const bundle of report.bundles) {
      table.push([
        shortTime(bundle.createdAt),
        describeEvent(bundle.inReplyTo),
        bundle.bundleType,
        bundle.items === null
          ? 'unreadable payload'
          : Object.entries(bundle.items)
              .map(([type, count]) => `${type} ${count}`)
              .join(', ') || 'none',
        bundle.totalTokens ?? '',
        bundle.retrievalMs,
      ]);
    }
    out.push(table.toString());
  }
  return out.join('\n');
}

/** True when the store holds nothing for the subject. */
export function isEmptyReport(report: InspectReport): boolean {
  return (
    report.memories.length === 0 &&
    report.bundles.length === 0 &&
    (report.conversation?.messageCount ?? 0) === 0
  );
}

function memoryRow(memory: MemoryRecord, now: number): InspectedMemory {
  const expired = memory.validUntil !== null && memory.validUntil.getTime() <= now;
  return {
    id: memory.id,
    type: memory.memoryType,
    content: memory.content,
    confidence: memory.confidence,
    scope: memory.scope,
    conversationId: memory.conversationId,
    current: memory.supersededBy === null && !expired,
    validUntil: memory.validUntil?.toISOString() ?? null,
    supersededBy: memory.supersededBy,
    createdAt: memory.createdAt.toISOString(),
  };
}

function bundleRow({ bundle, event }: InspectedBundle): InspectedBundleRow {
  let items: Record<string, number> | null = null;
  let totalTokens: number | null = null;
  try {
    const decoded = contextBundleFromJson(bundle.payload);
    items = {};
    for (const type of MEMORY_TYPES) {
      const count = decoded.itemsByType[type]?.length ?? 0;
      if (count > 0) items[type] = count;
    }
    totalTokens = decoded.totalTokens;
  } catch {
    // A payload an older or foreign writer stored: shown as unreadable, not fatal.
    items = null;
  }
  return {
    id: bundle.id,
    createdAt: bundle.createdAt.toISOString(),
    conversationId: bundle.conversationId,
    userId: bundle.userId,
    bundleType: bundle.bundleType,
    inReplyTo:
      bundle.inReplyToEventId === ''
        ? null
        : {
            eventId: bundle.inReplyToEventId,
            eventType: event?.eventType ?? 'unknown',
            toolName: event?.toolName ?? '',
            toolArgs: event?.toolArgs ?? null,
          },
    items,
    totalTokens,
    retrievalMs: bundle.retrievalMs,
  };
}

function describeEvent(event: InspectedBundleRow['inReplyTo']): string {
  if (event === null) return '(unprompted)';
  if (event.eventType !== 'tool_call') return event.eventType;
  return `tool_call ${event.toolName} ${JSON.stringify(event.toolArgs ?? {})}`;
}

function typeRank(type: string): number {
  const at = (MEMORY_TYPES as readonly string[]).indexOf(type);
  return at === -1 ? MEMORY_TYPES.length : at;
}
