import type { Command } from 'commander';
import { checkApiKey, checkClientMode, checkPort } from './flag-checks.js';
import { serveLogDestination } from './log-destination.js';
import { checkPortFree, reachDatabase } from './preflight.js';
import { setting } from './setting.js';
import { addStoreFlags, describeStore, resolveStoreFlags, type StoreFlags } from './store-flags.js';
import { UsageError } from './usage-error.js';

interface ServeFlags extends StoreFlags {
  port?: string;
  grpcPort?: string;
  host?: string;
  apiKey?: string;
  clientMode?: string;
  inspector?: boolean;
}

/** `foresight serve`: run the context server until SIGTERM or SIGINT. */
export function registerServeCommand(program: Command): void {
  addStoreFlags(
    program
      .command('serve')
      .description('Run the context server (REST and gRPC) on an embedded or PostgreSQL store.')
      .option('--port <port>', 'REST port, 0 for any free one (env FORESIGHT_PORT, default 8420)')
      .option(
        '--grpc-port <port>',
        'gRPC port, 0 for any free one (env FORESIGHT_GRPC_PORT, default 8421)',
      )
      .option('--host <host>', 'interface to bind (env FORESIGHT_HOST, default 127.0.0.1)')
      .option(
        '--api-key <key>',
        'register this development key for the default client (env FORESIGHT_API_KEY)',
      )
      .option(
        '--client-mode <mode>',
        'b2c or b2b for the default client (env FORESIGHT_CLIENT_MODE, default b2c)',
      )
      .option(
        '--inspector',
        'serve the read-only web inspector at /inspect, signed in with an API key (env FORESIGHT_INSPECTOR)',
      ),
  )
    .addHelpText(
      'after',
      `
Every flag is checked before the store is created or migrated: the ports must be free, the
database reachable, the data directory a directory.

Logs go to stderr: readable lines on a terminal, JSON lines when piped
(FORESIGHT_LOG_LEVEL, default info).

Exit codes: 0 stopped by SIGTERM or SIGINT after draining; 1 failed to start (a port in use,
a database out of reach) or to stop; 2 bad usage (a bad flag value).`,
    )
    .action(async (flags: ServeFlags) => {
      const settings = await checkedServeSettings(flags);
      // Loaded once the flags passed: a typo is refused without loading the server's stack.
      const [{ createServer }, { createServerLogger }] = await Promise.all([
        import('../server/create-server.js'),
        import('../server/server-logger.js'),
      ]);
      const server = await createServer({
        ...settings.options,
        logger: createServerLogger(
          process.env.FORESIGHT_LOG_LEVEL ?? 'info',
          serveLogDestination(),
        ),
      });
      console.log(`REST  ${server.restUrl}`);
      console.log(`gRPC  ${server.grpcTarget}`);
      console.log(`store ${settings.store}`);
      if (server.inspectorUrl) console.log(`inspector ${server.inspectorUrl}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal}: draining and stopping`);
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(
              `foresight: shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
            );
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}

/**
 * Every flag (over its env variable) checked, then the ports and the database tried,
 * all before `createServer` creates or migrates anything.
 */
async function checkedServeSettings(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env) {
  const portSetting = setting(flags.port, '--port', 'FORESIGHT_PORT', env);
  const grpcSetting = setting(flags.grpcPort, '--grpc-port', 'FORESIGHT_GRPC_PORT', env);
  const port = portSetting ? checkPort(portSetting) : 8420;
  const grpcPort = grpcSetting ? checkPort(grpcSetting) : 8421;
  if (port !== 0 && port === grpcPort)
    throw new UsageError(
      `${grpcSetting?.name ?? '--grpc-port'}: must differ from ${portSetting?.name ?? '--port'} (both ${port}); REST and gRPC each need a port`,
    );
  const host = setting(flags.host, '--host', 'FORESIGHT_HOST', env) ?? {
    value: '127.0.0.1',
    name: '--host',
  };
  const apiKey = setting(flags.apiKey, '--api-key', 'FORESIGHT_API_KEY', env);
  const mode = setting(flags.clientMode, '--client-mode', 'FORESIGHT_CLIENT_MODE', env);
  const store = resolveStoreFlags(flags, '.foresight/data', env);
  const clientMode = mode ? checkClientMode(mode) : undefined;
  const key = apiKey ? checkApiKey(apiKey) : undefined;

  await checkPortFree(host, port, portSetting?.name ?? '--port');
  await checkPortFree(host, grpcPort, grpcSetting?.name ?? '--grpc-port');
  if (store.backend === 'postgres') await reachDatabase(store.source);

  return {
    store: describeStore(store),
    options: {
      port,
      grpcPort,
      host: host.value,
      ...(store.backend === 'postgres'
        ? {
            databaseUrl: store.databaseUrl,
            ...(store.schema ? { databaseSchema: store.schema } : {}),
          }
        : { dataDir: store.dataDir }),
      ...(key ? { apiKey: key } : {}),
      ...(clientMode ? { clientMode } : {}),
      ...(flags.inspector ? { inspector: true } : {}),
    },
  };
}
