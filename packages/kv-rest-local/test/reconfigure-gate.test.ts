import { describe, expect, it } from 'vitest';
import { ReconfigureGate } from '../src/reconfigure-gate.js';

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('rest-local: reconfigure gate', () => {
  it('exclusive: runs queued tasks one at a time', async () => {
    const gate = new ReconfigureGate();
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await tick();
      running -= 1;
    };

    await Promise.all([gate.exclusive(task), gate.exclusive(task), gate.exclusive(task)]);
    await Promise.all([gate.exclusive(task), gate.shared(task), gate.exclusive(task)]);

    expect(maxRunning).toBe(1);
  });

  it('shared: runs together but never beside an exclusive task', async () => {
    const gate = new ReconfigureGate();
    const events: string[] = [];
    const sharedTask = (name: string) => async () => {
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
    };

    await Promise.all([
      gate.shared(sharedTask('a')),
      gate.shared(sharedTask('b')),
      gate.exclusive(sharedTask('x')),
      gate.shared(sharedTask('c')),
    ]);

    expect(events).toEqual([
      'start a',
      'start b',
      'end a',
      'end b',
      'start x',
      'end x',
      'start c',
      'end c',
    ]);
  });

  it('exclusive: a failed task releases the gate', async () => {
    const gate = new ReconfigureGate();
    const failure = gate.exclusive(() => Promise.reject(new Error('reconfigure failed')));

    await expect(failure).rejects.toThrow('reconfigure failed');
    await expect(gate.exclusive(async () => 'next')).resolves.toBe('next');
    await expect(gate.shared(async () => 'read')).resolves.toBe('read');
  });
});
