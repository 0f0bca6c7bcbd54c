import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Werkpool } from '../../src/werkers/pool.js';

// a task module the pool knows nothing of: it proves the pool runs what it is given
let taak: string;
beforeAll(() => {
  taak = join(mkdtempSync(join(tmpdir(), 'nb-pool-')), 'taak.mjs');
  writeFileSync(
    taak,
    `import { threadId } from 'node:worker_threads';
export function start(data) {
  return async (o) => {
    if (o === 'gooi') throw new Error('task failed');
    if (o === 'stop') process.exit(3);
    return { uitslag: { antwoord: data.voorvoegsel + o, draad: threadId } };
  };
}`,
  );
});

describe('the worker pool', () => {
  let pool: Werkpool<{ voorvoegsel: string }, string, { antwoord: string; draad: number }>;
  afterAll(() => pool?.sluit());

  it('runs the task module it is given in every thread, with its start data, spreading tasks', async () => {
    pool = new Werkpool({ taak, data: { voorvoegsel: 'x-' }, aantal: 2 });
    const uitslagen = await Promise.all(['a', 'b', 'c', 'd'].map((o) => pool.stuur(o)));
    expect(uitslagen.map((u) => u.antwoord)).toEqual(['x-a', 'x-b', 'x-c', 'x-d']);
    expect(new Set(uitslagen.map((u) => u.draad)).size).toBe(2);
    // a named thread gets the task
    const [een, twee] = await Promise.all([pool.stuur('e', 0), pool.stuur('f', 0)]);
    expect(een!.draad).toBe(twee!.draad);
  });

  it('rejects a task that throws, and goes on', async () => {
    await expect(pool.stuur('gooi')).rejects.toThrow('task failed');
    await expect(pool.stuur('g')).resolves.toMatchObject({ antwoord: 'x-g' });
  });

  it('stops when a thread ends: that task and every later one are rejected', async () => {
    await expect(pool.stuur('stop', 1)).rejects.toThrow(/exit code 3/);
    await expect(pool.stuur('h')).rejects.toThrow(/exit code 3/);
  });
});
