import { describe, expect, it } from 'vitest';
import { InspectorSessions, readCookie } from '../../../src/server/inspector/inspector-session.js';
import { resolveServerOptions } from '../../../src/server/server-options.js';

describe('InspectorSessions', () => {
  it('verifies its own sessions until they expire, by the injected clock', () => {
    let now = Date.now();
    const sessions = new InspectorSessions({ serverSecret: 'secret', ttlMs: 1000, now: () => now });
    const value = sessions.issue('abcdefghijkl');
    expect(sessions.verify(value)).toBe('abcdefghijkl');
    now += 999;
    expect(sessions.verify(value)).toBe('abcdefghijkl');
    now += 1;
    expect(sessions.verify(value)).toBeUndefined();
  });

  it('refuses a tampered, foreign or malformed session', () => {
    const sessions = new InspectorSessions({ serverSecret: 'secret' });
    const value = sessions.issue('abcdefghijkl');
    const [, expires, signature] = value.split('.');
    expect(sessions.verify(`otherkey0000.${expires}.${signature}`)).toBeUndefined();
    expect(sessions.verify(`abcdefghijkl.${Number(expires) + 1}.${signature}`)).toBeUndefined();
    expect(new InspectorSessions({ serverSecret: 'other' }).verify(value)).toBeUndefined();
    for (const bad of [undefined, '', 'a.b', 'a.b.c.d', value.slice(0, -1)]) {
      expect(sessions.verify(bad)).toBeUndefined();
    }
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(readCookie('a=1; foresight_inspector=x.y.z; b=2', 'foresight_inspector')).toBe('x.y.z');
    expect(readCookie(undefined, 'foresight_inspector')).toBeUndefined();
    expect(readCookie('foresight_inspectorx=1', 'foresight_inspector')).toBeUndefined();
  });
});

describe('resolveServerOptions: inspector', () => {
  it('is off by default, on with inspector: true or FORESIGHT_INSPECTOR=1', () => {
    expect(resolveServerOptions({}, {}).inspector).toBe(false);
    expect(resolveServerOptions({ inspector: true }, {}).inspector).toBe(true);
    expect(resolveServerOptions({}, { FORESIGHT_INSPECTOR: '1' }).inspector).toBe(true);
    expect(() => resolveServerOptions({}, { FORESIGHT_INSPECTOR: 'yes' })).toThrow(
      /FORESIGHT_INSPECTOR/,
    );
  });
});
