import { existsSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { conversationIdFrom } from '../client/conversation-id.js';
import { DEMO_DATA_DIR } from '../demo/demo-data-dir.js';
import { DEFAULT_CLIENT_ID } from '../server/default-client.js';
import { buildReport, isEmptyReport, renderReport } from './inspect-report.js';
import { openChosenStore, resolveStoreFlags, type StoreFlags } from './store-flags.js';

interface InspectFlags extends StoreFlags {
  conversation?: string;
  user?: string;
  client: string;
  limit: number;
  json?: boolean;
}

/**
 * `foresight inspect --user <id> | --conversation <id>`: a user's or a conversation's
 * memories by type and its newest bundles, read straight from the store.
 */
export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description("Show a user's or a conversation's memories by type and its recent bundles.")
    .option('--user <id>', 'the user to inspect')
    .option(
      '--conversation <id>',
      'the conversation to inspect: its UUID, or the thread id it came from',
    )
    .option('--client <id>', 'the tenant', DEFAULT_CLIENT_ID)
    .option('--limit <n>', 'bundles to show, newest first (1 to 1000)', parseLimit, 10)
    .option('--json', 'print the report as JSON, for scripts')
    .option(
      '--data-dir <dir>',
      `PGlite data directory (env FORESIGHT_DATA_DIR, default ${DEMO_DATA_DIR}, the demo's; give .foresight/data for foresight serve's)`,
    )
    .option('--database-url <url>', 'PostgreSQL instead of PGlite (env DATABASE_URL)')
    .option(
      '--database-schema <name>',
      'PostgreSQL schema (env FORESIGHT_DB_SCHEMA, default public)',
    )
    .addHelpText(
      'after',
      `
It opens the store directly: with the embedded store (PGlite), run it while no server or demo
uses the directory; PostgreSQL can be inspected at any time.

Memories: text, type, confidence, scope, and whether each is current, superseded (by which
memory) or past its valid_until. Bundles: what they answered (a tool_call with its arguments,
a user_message, ...), items by type, tokens, and the server's retrieval time.

Exit codes: 0 done (also when nothing is stored for the user or conversation: it says so);
1 failure (the store cannot be opened); 2 bad usage (neither or both of --user and
--conversation, a bad --limit).`,
    )
    .action(async (flags: InspectFlags, command: Command) => {
      if ((flags.user === undefined) === (flags.conversation === undefined)) {
        command.error('foresight inspect: give exactly one of --user <id> or --conversation <id>', {
          exitCode: 2,
          code: 'foresight.usage',
        });
      }
      const given = flags.conversation;
      // The adapters' mapping: a thread id finds the conversation they recorded it under.
      const conversationId = given === undefined ? undefined : conversationIdFrom(given);
      const choice = resolveStoreFlags(flags, DEMO_DATA_DIR);
      // Inspecting must not leave an empty store behind where none was.
      if (choice.backend === 'pglite' && !existsSync(choice.dataDir))
        throw new Error(
          `${choice.source.name}: no store in ${choice.dataDir}; run \`npm start\` (the demo) first, or pass --data-dir .foresight/data for foresight serve's`,
        );
      const store = await openChosenStore(choice);
      try {
        const report = await buildReport(store, {
          clientId: flags.client,
          bundleLimit: flags.limit,
          ...(flags.user !== undefined ? { userId: flags.user } : {}),
          ...(conversationId !== undefined ? { conversationId } : {}),
          ...(given !== undefined ? { givenConversationId: given } : {}),
        });
        if (flags.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        if (isEmptyReport(report)) {
          const subject = flags.user !== undefined ? `user ${flags.user}` : `conversation ${given}`;
          console.log(
            `nothing stored for ${subject} in client ${flags.client}: no memories, no bundles` +
              `${flags.conversation !== undefined ? ', no messages' : ''}`,
          );
          return;
        }
        // The terminal's width; 80 when piped, a width every viewer can show.
        console.log(
          renderReport(report, Boolean(process.stdout.isTTY), process.stdout.columns || 80),
        );
      } finally {
        await store.close();
      }
    });
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidArgumentError('must be an integer from 1 to 1000');
  return limit;
}
