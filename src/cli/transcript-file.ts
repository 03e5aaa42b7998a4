import { z } from 'zod';

/** One transcript of an ingest file, validated. */
export interface Transcript {
  conversationId: string;
  userId: string;
  customerId?: string;
  sessionId?: string;
  messages: { role: 'user' | 'assistant'; content: string; timestamp?: string }[];
}

/** A transcript of the file, or why it is not one; `line` is 1-based, where it starts. */
export type TranscriptEntry =
  | { line: number; index: number; transcript: Transcript }
  | { line: number; index: number; error: { field: string; rule: string } };

const id = z
  .string()
  .min(1, 'must be a non-empty string')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^/\p{Cc}]+$/u, 'must not contain "/" or control characters');

const transcriptSchema = z.strictObject({
  conversationId: id,
  userId: id,
  customerId: id.optional(),
  sessionId: id.optional(),
  messages: z
    .array(
      z.strictObject({
        role: z.enum(['user', 'assistant'], 'must be "user" or "assistant"'),
        content: z
          .string('must be a string')
          .min(1, 'must not be empty')
          .max(256 * 1024, 'must be at most 262144 characters'),
        timestamp: z.iso
          .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
          .optional(),
      }),
      'must be an array of messages',
    )
    .min(1, 'must hold at least one message')
    .max(5000, 'must hold at most 5000 messages'),
});

/**
 * The transcripts of an ingest file, in file order, each valid or with its first error.
 * JSONL: one transcript a non-blank line. JSON: one transcript object, or an array of
 * them. `jsonl` chooses the form; by default `.jsonl` / `.ndjson` files are JSONL, and
 * any other file is JSON when it starts with `[` or `{` and parses whole, else JSONL.
 */
export function readTranscripts(
  text: string,
  options: { jsonl?: boolean; path?: string } = {},
): TranscriptEntry[] {
  const jsonl =
    options.jsonl ?? (/\.(jsonl|ndjson)$/i.test(options.path ?? '') || !isWholeJson(text));
  if (jsonl) {
    const entries: TranscriptEntry[] = [];
    text.split('\n').forEach((raw, at) => {
      if (raw.trim() === '') return;
      entries.push(entryOf(raw, at + 1, entries.length));
    });
    return entries;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [validated(parsed, firstLine(text), 0)];
  const lines = topLevelElementLines(text);
  return parsed.map((value, index) => validated(value, lines[index] ?? 1, index));
}

function entryOf(raw: string, line: number, index: number): TranscriptEntry {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { line, index, error: { field: '(line)', rule: `must be one JSON object (${reason})` } };
  }
  return validated(value, line, index);
}

function validated(value: unknown, line: number, index: number): TranscriptEntry {
  const result = transcriptSchema.safeParse(value);
  if (result.success) return { line, index, transcript: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(transcript)';
  const rule =
    issue?.code === 'invalid_type' && valueAt(value, issue.path) === undefined
      ? 'is required'
      : issue?.code === 'unrecognized_keys'
        ? `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
        : (issue?.message ?? 'is invalid');
  return { line, index, error: { field, rule } };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function isWholeJson(text: string): boolean {
  const start = text.trimStart()[0];
  if (start !== '[' && start !== '{') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    // Not one JSON document: read it as JSONL, which reports the failing line.
    return false;
  }
}

function firstLine(text: string): number {
  const start = text.search(/\S/);
  return start === -1 ? 1 : lineAt(text, start);
}

/** The 1-based line where each element of a top-level JSON array starts. */
function topLevelElementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let expectValue = false;
  let line = 1;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') at++;
      else if (char === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectValue && char !== undefined && !/[\s,\]]/.test(char)) {
      lines.push(line);
      expectValue = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') {
      depth++;
      if (depth === 1) expectValue = true;
    } else if (char === ']' || char === '}') depth--;
    else if (char === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = 0; at < offset; at++) if (text[at] === '\n') line++;
  return line;
}
