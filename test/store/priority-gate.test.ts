import { describe, expect, it } from 'vitest';
import { PriorityGate } from '../../src/store/priority-gate.js';

/** An operation that runs until released, recording when it started. */
function held(log: string[], name: string) {
  let release: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    operation: async () => {
      log.push(name);
      await done;
    },
    release: () => release(),
  };
}

describe('PriorityGate', () => {
  it('lets waiting foreground operations go before background ones queued earlier', async () => {
    const gate = new PriorityGate({ concurrency: 1 });
    const log: string[] = [];
    const first = held(log, 'first');
    const running = gate.run(first.operation, true);
    const queued = [
      gate.run(async () => void log.push('background 1'), true),
      gate.run(async () => void log.push('background 2'), true),
      gate.run(async () => void log.push('foreground'), false),
    ];
    expect(gate.waiting).toEqual({ foreground: 1, background: 2 });
    first.release();
    await Promise.all([running, ...queued]);
    expect(log).toEqual(['first', 'foreground', 'background 1', 'background 2']);
  });

  it('lets one background operation through after a burst of foreground ones', async () => {
    const gate = new PriorityGate({ concurrency: 1, foregroundBurst: 2 });
    const log: string[] = [];
    const first = held(log, 'first');
    const running = gate.run(first.operation, false);
    const queued = [
      gate.run(async () => void log.push('b'), true),
      ...['f1', 'f2', 'f3', 'f4'].map((name) => gate.run(async () => void log.push(name), false)),
    ];
    first.release();
    await Promise.all([running, ...queued]);
    expect(log).toEqual(['first', 'f1', 'f2', 'b', 'f3', 'f4']);
  });

  it('runs at most `concurrency` operations at once, and goes on after one fails', async () => {
    const gate = new PriorityGate({ concurrency: 2 });
    let active = 0;
    let most = 0;
    const operation = (fail: boolean) => async () => {
      active += 1;
      most = Math.max(most, active);
      await new Promise(setImmediate);
      active -= 1;
      if (fail) throw new Error('refused');
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) => gate.run(operation(index === 1), index % 2 === 0)),
    );
    expect(most).toBe(2);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(1);
    expect(gate.waiting).toEqual({ foreground: 0, background: 0 });
  });
});
