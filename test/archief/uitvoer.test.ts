import { describe, expect, it } from 'vitest';
import { Runuitvoer, veiligPad, Wachtrij } from '../../src/archief/uitvoer.js';

describe("an output's path (Runuitvoer.pad)", () => {
  it('is veiligPad for every kind of relative path and folder: the plain ones joined without normalising, the rest refused or normalised as before', () => {
    const relatieven = ['a.xml', 'ijw/JW301.xml', 'é/ß.xml', './a', 'a/./b', 'a/../b', 'a/..', '../a', '..', '.', '/a', 'a//b', 'a/', '.verborgen', '..x', 'x..', 'a/.b', 'a\\b', '..\\a', ''];
    const mappen = ['/tmp/uit', '/tmp/uit/', '/tmp//uit', 'uit', './uit', 'a/..', '.', './', '', '/'];
    const uitkomst = (f: () => string) => {
      try {
        return f();
      } catch (e) {
        return `fout: ${(e as Error).message}`;
      }
    };
    for (const map of mappen) {
      const uitvoer = new Runuitvoer(map);
      for (const relatief of relatieven) expect([map, relatief, uitkomst(() => uitvoer.pad(relatief))]).toEqual([map, relatief, uitkomst(() => veiligPad(map, relatief))]);
    }
    expect(new Runuitvoer('/tmp/uit/').pad('ijw/JW301.xml')).toBe('/tmp/uit/ijw/JW301.xml');
    expect(() => new Runuitvoer('/tmp/uit').pad('../a')).toThrow('leaves the output folder');
  });
});

describe('a bounded queue of writes (Wachtrij)', () => {
  const uitgesteld = () => {
    let ok!: () => void;
    let nok!: (e: unknown) => void;
    const p = new Promise<void>((a, b) => ((ok = a), (nok = b)));
    return { p, ok, nok };
  };

  it('runs at most `max` tasks at once, lets the next in as one ends, and `wacht` waits for all', async () => {
    const rij = new Wachtrij(2);
    const taken = [uitgesteld(), uitgesteld(), uitgesteld()];
    let gestart = 0;
    let derdeToegevoegd = false;
    await rij.voegToe(() => (gestart++, taken[0]!.p));
    await rij.voegToe(() => (gestart++, taken[1]!.p));
    const derde = rij.voegToe(() => (gestart++, taken[2]!.p)).then(() => (derdeToegevoegd = true));
    await new Promise((r) => setImmediate(r));
    expect([gestart, derdeToegevoegd]).toEqual([2, false]);
    taken[1]!.ok();
    await derde;
    expect(gestart).toBe(3);
    let klaar = false;
    const wacht = rij.wacht().then(() => (klaar = true));
    taken[0]!.ok();
    await new Promise((r) => setImmediate(r));
    expect(klaar).toBe(false);
    taken[2]!.ok();
    await wacht;
    expect(klaar).toBe(true);
    await rij.wacht();
  });

  it('keeps the first failure: `wacht` rejects with it, and no task is taken after it', async () => {
    const rij = new Wachtrij(4);
    const traag = uitgesteld();
    await rij.voegToe(() => traag.p);
    await rij.voegToe(() => Promise.reject(new Error('schijf vol')));
    let later = false;
    await expect(rij.voegToe(async () => void (later = true))).rejects.toThrow('schijf vol');
    expect(later).toBe(false);
    traag.nok(new Error('tweede'));
    await expect(rij.wacht()).rejects.toThrow('schijf vol');
  });

  it('takes a task that throws before it returns a promise as a failure', async () => {
    const rij = new Wachtrij(1);
    await rij.voegToe(() => {
      throw new Error('geen map');
    });
    await expect(rij.wacht()).rejects.toThrow('geen map');
  });
});
