#!/usr/bin/env node
import { Command } from 'commander';
import { registerDemoCommand } from './cli/demo-command.js';
import { registerIngestCommand } from './cli/ingest-command.js';
import { registerInspectCommand } from './cli/inspect-command.js';
import { registerKeysCommand } from './cli/keys-command.js';
import { registerMcpCommand } from './cli/mcp-command.js';
import { registerServeCommand } from './cli/serve-command.js';
import { UsageError } from './cli/usage-error.js';
import { SDK_VERSION } from './version.js';

/**
 * `foresight`: the command line. Exit codes: 0 success, 1 runtime failure, 2 usage
 * error (commander's own, or a `UsageError` of a flag check), so scripts can tell a
 * typo from an outage. Every error is one line on stderr; the help is one `--help` away.
 */
const program = new Command()
  .name('foresight')
  .description('Anticipatory context for AI agents: the self-hostable context server and tools.')
  .version(SDK_VERSION);

// Before the commands are added: subcommands copy this setting when created.
program.exitOverride((error) => {
  process.exit(error.exitCode === 1 && error.code.startsWith('commander.') ? 2 : error.exitCode);
});

registerServeCommand(program);
registerKeysCommand(program);
registerDemoCommand(program);
registerInspectCommand(program);
registerIngestCommand(program);
registerMcpCommand(program);

try {
  await program.parseAsync();
} catch (error) {
  console.error(`foresight: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
