import type { Command } from 'commander';
import { createServer } from '../server/create-server.js';
import { addStoreFlags, type StoreFlags } from './store-flags.js';

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
  ).action(async (flags: ServeFlags) => {
    const server = await createServer({
      ...(flags.port !== undefined ? { port: parsePort('--port', flags.port) } : {}),
      ...(flags.grpcPort !== undefined
        ? { grpcPort: parsePort('--grpc-port', flags.grpcPort) }
        : {}),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
      ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
      ...(flags.databaseSchema ? { databaseSchema: flags.databaseSchema } : {}),
      ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
      ...(flags.clientMode === 'b2b' || flags.clientMode === 'b2c'
        ? { clientMode: flags.clientMode }
        : {}),
      ...(flags.inspector ? { inspector: true } : {}),
    });
    console.log(`REST  ${server.restUrl}`);
    console.log(`gRPC  ${server.grpcTarget}`);
    console.log(`store ${server.store.backend}`);
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

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${flag}: must be an integer from 0 to 65535, got ${value}`);
  return port;
}
