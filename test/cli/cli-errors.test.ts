import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { TEST_DATABASE_URL } from '../support/test-server.js';

const KEY = 'fsk_devkey000001_abcdefghijklmnopqrstuvwxyz012345';

/**
 * Every bad input a newcomer met, through the real CLI: the exit code (2 bad usage, 1 a
 * failed run), one line on stderr naming the flag, nothing on stdout, and no store
 * directory or schema left behind.
 */
describe('foresight: a bad flag gets one line naming it, before anything is created', {
  timeout: 120_000,
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-cli-errors-'));
  const aFile = join(dir, 'a-file');
  const schema = `cli_errors_${process.pid}`;
  let busy: Server;
  let busyPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    writeFileSync(aFile, 'not a directory');
    busy = await listening();
    busyPort = portOf(busy);
    const closed = await listening();
    closedPort = portOf(closed);
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  interface Case {
    name: string;
    args: () => string[];
    env?: NodeJS.ProcessEnv;
    exit: 1 | 2;
    names: string;
    says?: string;
  }
  const store = (name: string) => join(dir, name);
  const cases: Case[] = [
    {
      name: 'serve --port abc',
      args: () => ['serve', '--port', 'abc', '--data-dir', store('port-abc')],
      exit: 2,
      names: '--port',
    },
    {
      name: 'serve --port 70000',
      args: () => ['serve', '--port', '70000', '--data-dir', store('port-70000')],
      exit: 2,
      names: '--port',
      says: '0 to 65535',
    },
    {
      name: 'serve --grpc-port -1',
      args: () => ['serve', '--grpc-port=-1', '--data-dir', store('grpc-port')],
      exit: 2,
      names: '--grpc-port',
    },
    {
      name: 'serve --api-key badkey',
      args: () => ['serve', '--api-key', 'badkey', '--data-dir', store('api-key')],
      exit: 2,
      names: '--api-key',
      says: 'fsk_',
    },
    {
      name: 'serve --client-mode xyz',
      args: () => ['serve', '--client-mode', 'xyz', '--data-dir', store('client-mode')],
      exit: 2,
      names: '--client-mode',
      says: 'b2c or b2b',
    },
    {
      name: 'FORESIGHT_CLIENT_MODE=xyz serve',
      args: () => ['serve', '--data-dir', store('client-mode-env')],
      env: { FORESIGHT_CLIENT_MODE: 'xyz' },
      exit: 2,
      names: 'FORESIGHT_CLIENT_MODE',
    },
    {
      name: 'serve --data-dir <a file>',
      args: () => ['serve', '--data-dir', aFile],
      exit: 2,
      names: '--data-dir',
      says: 'is a file',
    },
    {
      name: 'serve --data-dir <under a file>',
      args: () => ['serve', '--data-dir', join(aFile, 'store')],
      exit: 2,
      names: '--data-dir',
      says: 'is a file',
    },
    {
      name: 'serve --database-url notaurl',
      args: () => ['serve', '--database-url', 'notaurl'],
      exit: 2,
      names: '--database-url',
      says: 'postgres://',
    },
    {
      name: 'serve --database-url <closed port>',
      args: () => ['serve', '--database-url', `postgres://127.0.0.1:${closedPort}/test`],
      exit: 1,
      names: '--database-url',
      says: 'cannot reach PostgreSQL',
    },
    {
      name: 'serve --database-schema Bad-Name',
      args: () => ['serve', '--database-url', TEST_DATABASE_URL, '--database-schema', 'Bad-Name'],
      exit: 2,
      names: '--database-schema',
    },
    {
      name: 'serve --api-key badkey on PostgreSQL',
      args: () => [
        'serve',
        '--database-url',
        TEST_DATABASE_URL,
        '--database-schema',
        schema,
        '--api-key',
        'badkey',
      ],
      exit: 2,
      names: '--api-key',
    },
    {
      name: 'serve --port <in use>',
      args: () => [
        'serve',
        '--port',
        String(busyPort),
        '--grpc-port',
        '0',
        '--data-dir',
        store('port-busy'),
      ],
      exit: 1,
      names: '--port',
      says: 'already in use',
    },
    {
      name: 'serve --grpc-port <in use>',
      args: () => [
        'serve',
        '--port',
        '0',
        '--grpc-port',
        String(busyPort),
        '--data-dir',
        store('grpc-busy'),
      ],
      exit: 1,
      names: '--grpc-port',
      says: 'already in use',
    },
    {
      name: 'serve --port N --grpc-port N',
      args: () => [
        'serve',
        '--port',
        '9999',
        '--grpc-port',
        '9999',
        '--data-dir',
        store('same-port'),
      ],
      exit: 2,
      names: '--grpc-port',
      says: 'must differ',
    },
    {
      name: 'serve, a port in use, on PostgreSQL',
      args: () => [
        'serve',
        '--port',
        String(busyPort),
        '--database-url',
        TEST_DATABASE_URL,
        '--database-schema',
        schema,
        '--api-key',
        KEY,
      ],
      exit: 1,
      names: '--port',
    },
    {
      name: 'ingest --url localhost:8420',
      args: () => ['ingest', aFile, '--url', 'localhost:8420', '--api-key', KEY],
      exit: 2,
      names: '--url',
      says: '"localhost:8420"',
    },
    {
      name: 'keys list --data-dir <a file>',
      args: () => ['keys', 'list', '--data-dir', aFile],
      exit: 2,
      names: '--data-dir',
    },
    {
      name: 'inspect --database-url notaurl',
      args: () => ['inspect', '--user', 'alice', '--database-url', 'notaurl'],
      exit: 2,
      names: '--database-url',
    },
    {
      name: 'inspect --data-dir <missing>',
      args: () => ['inspect', '--user', 'alice', '--data-dir', store('inspect-missing')],
      exit: 1,
      names: '--data-dir',
      says: 'no store',
    },
  ];

  it.concurrent.each(cases)('$name: exit $exit, one line naming $names', async (c) => {
    const cli = spawnCli(c.args(), c.env ?? {});
    const { code } = await cli.exited;
    const lines = cli.stderr().trimEnd().split('\n');
    expect(code, cli.stderr()).toBe(c.exit);
    expect(lines, 'one line on stderr').toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^foresight: ${c.names}: `));
    if (c.says) expect(lines[0]).toContain(c.says);
    expect(lines[0]).not.toMatch(/\bat \S+:\d+:\d+/); // no stack
    expect(cli.stdout()).toBe('');
    for (const arg of c.args()) {
      if (arg.startsWith(dir) && arg !== aFile && !arg.startsWith(aFile))
        expect(existsSync(arg), `${arg} was created`).toBe(false);
    }
  });

  it('left no schema behind on PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const found = await client.query(
        'select 1 from information_schema.schemata where schema_name = $1',
        [schema],
      );
      expect(found.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  return address.port;
}
