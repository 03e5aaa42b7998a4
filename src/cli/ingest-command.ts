import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { conversationIdFrom } from '../client/conversation-id.js';
import { createClient, type ForesightClient } from '../client/create-client.js';
import type { RecordMessageInput } from '../client/types.js';
import { checkServiceUrl } from './flag-checks.js';
import { ingestProgress } from './ingest-progress.js';
import { setting } from './setting.js';
import { readTranscripts, type Transcript } from './transcript-file.js';

interface IngestFlags {
  url?: string;
  apiKey?: string;
  format?: 'json' | 'jsonl';
}

/** Rows a request: the server's batch limit. */
const MAX_BATCH = 500;

/** `foresight ingest <file>`: record transcripts into a running server through the client SDK. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description('Record transcripts (JSON or JSONL) into a running context server.')
    .argument('<file>', 'the transcripts file')
    .option('--url <url>', 'the server REST url (env FORESIGHT_URL, default http://127.0.0.1:8420)')
    .option('--api-key <key>', 'an API key of the tenant (env FORESIGHT_API_KEY)')
    .addOption(
      new Option(
        '--format <format>',
        'json or jsonl (default: jsonl for .jsonl/.ndjson files, else by content)',
      ).choices(['json', 'jsonl']),
    )
    .addHelpText(
      'after',
      `
Format: one transcript per line (JSONL), or a JSON array of transcripts (or one object):
  {"conversationId": "chat-42", "userId": "alice", "customerId": "acme",
   "sessionId": "s-1", "messages": [{"role": "user", "content": "I always fly aisle seats",
   "timestamp": "2026-05-01T09:30:00Z"}, {"role": "assistant", "content": "Noted."}]}
conversationId (any id; a non-UUID is mapped to a stable UUID as the adapters do), userId
and messages (1 to 5000, role "user" or "assistant", non-empty content) are required;
customerId (B2B tenants), sessionId and timestamp (ISO 8601, kept in the message metadata)
are optional. Unknown fields are refused.

Transcripts are recorded in file order. At the first bad transcript it stops and names the
file line, the field and the rule; everything recorded before that line stays recorded.
Each message carries an idempotency key derived from its transcript and position, so
running the same file again (after fixing a line, or after a failure) records nothing twice.

Exit codes: 0 every transcript recorded; 1 a bad transcript, an unreadable file, or a
service failure; 2 bad usage (no API key, unknown --format).`,
    )
    .action(async (file: string, flags: IngestFlags, command: Command) => {
      const url = setting(flags.url, '--url', 'FORESIGHT_URL');
      if (url) checkServiceUrl(url);
      const apiKey = flags.apiKey ?? (process.env.FORESIGHT_API_KEY || undefined);
      if (apiKey === undefined) {
        command.error('foresight ingest: --api-key <key> or FORESIGHT_API_KEY is required', {
          exitCode: 2,
          code: 'foresight.usage',
        });
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(
          `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      let entries: ReturnType<typeof readTranscripts>;
      try {
        entries = readTranscripts(text, {
          path: file,
          ...(flags.format ? { jsonl: flags.format === 'jsonl' } : {}),
        });
      } catch (error) {
        throw new Error(
          `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      if (entries.length === 0) throw new Error(`${file}: no transcripts in the file`);
      const client = createClient({
        apiKey,
        transport: 'http',
        ...(url ? { url: url.value } : {}),
      });
      const progress = ingestProgress(entries.length);
      let transcripts = 0;
      let messages = 0;
      const stopAt = (line: number, what: string) => {
        progress.stop();
        return new Error(
          `${file}:${line}: ${what}\n` +
            `${plural(transcripts, 'transcript')} (${plural(messages, 'message')}) before line ${line} ` +
            `${transcripts === 1 ? 'was' : 'were'} recorded and stay${transcripts === 1 ? 's' : ''} recorded; ` +
            'fix the line and run again: nothing is recorded twice.',
        );
      };
      try {
        for (const entry of entries) {
          if ('error' in entry)
            throw stopAt(entry.line, `field ${entry.error.field} ${entry.error.rule}`);
          const failure = await recordTranscript(client, entry.transcript);
          if (failure !== undefined) throw stopAt(entry.line, failure);
          transcripts++;
          messages += entry.transcript.messages.length;
          progress.transcriptDone({
            line: entry.line,
            conversationId: entry.transcript.conversationId,
            userId: entry.transcript.userId,
            messages: entry.transcript.messages.length,
          });
        }
        progress.stop();
        console.log(
          `ingested ${plural(transcripts, 'transcript')}, ${plural(messages, 'message')} from ${file} into ${client.options.url}`,
        );
      } catch (error) {
        progress.stop();
        if (error instanceof Error && error.message.startsWith(`${file}:`)) throw error;
        throw new Error(
          `recording into ${client.options.url} failed after ${plural(transcripts, 'transcript')} ` +
            `(${plural(messages, 'message')}, which stay recorded; run again to go on): ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        await client.close();
      }
    });
}

/** Records one transcript; answers why the service refused a message, or undefined. */
async function recordTranscript(
  client: ForesightClient,
  transcript: Transcript,
): Promise<string | undefined> {
  const conversationId = conversationIdFrom(transcript.conversationId);
  const rows: RecordMessageInput[] = transcript.messages.map((message, index) => ({
    conversationId,
    userId: transcript.userId,
    ...(transcript.customerId !== undefined ? { customerId: transcript.customerId } : {}),
    ...(transcript.sessionId !== undefined ? { sessionId: transcript.sessionId } : {}),
    role: message.role,
    content: message.content,
    ...(message.timestamp !== undefined ? { metadata: { timestamp: message.timestamp } } : {}),
    idempotencyKey: idempotencyKey(transcript, index),
  }));
  for (let at = 0; at < rows.length; at += MAX_BATCH) {
    const result = await client.conversation.recordMessages(rows.slice(at, at + MAX_BATCH));
    const failed = result.results.findIndex((outcome) => !outcome.ok);
    const outcome = result.results[failed];
    if (outcome !== undefined && !outcome.ok) {
      const field = outcome.field ? `, field ${outcome.field.replace(/^messages\.\d+\./, '')}` : '';
      return `message ${at + failed}${field}: the service refused it: ${outcome.code}: ${outcome.message}`;
    }
  }
  return undefined;
}

/**
 * The key of a message: its transcript's ids, its position and its text. The same file
 * gives the same keys on every run; a message edited in place gets a new one.
 */
function idempotencyKey(transcript: Transcript, index: number): string {
  const message = transcript.messages[index];
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        transcript.conversationId,
        transcript.userId,
        transcript.customerId ?? '',
        index,
        message?.role,
        message?.content,
      ]),
    )
    .digest('base64url');
  return `ingest:${digest}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
