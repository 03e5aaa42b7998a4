import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { serveLogDestination } from '../../src/cli/log-destination.js';

describe('serveLogDestination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function logged(terminal: boolean): string {
    const path = join(dir, `${terminal}.log`);
    const fd = openSync(path, 'w');
    const logger = pino({ level: 'info' }, serveLogDestination(terminal, fd));
    logger.info({ migration: '001_initial.sql' }, 'migration applied');
    logger.flush();
    closeSync(fd);
    return readFileSync(path, 'utf8');
  }

  it('writes readable lines on a terminal: time, level, message, fields', () => {
    const text = logged(true);
    expect(text).toMatch(
      /^\[\d\d:\d\d:\d\d\] INFO: migration applied \{.*"migration":"001_initial\.sql".*\}\n$/,
    );
    expect(text).not.toContain('"level"');
  });

  it('writes JSON lines when piped, for a log shipper', () => {
    const line = JSON.parse(logged(false).trim());
    expect(line).toMatchObject({
      level: 30,
      msg: 'migration applied',
      migration: '001_initial.sql',
    });
  });
});
