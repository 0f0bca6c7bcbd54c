/**
 * A run's WAL checkpoints (issue 13, runs/convert.ts): a thread of the run's own copies the WAL into the
 * database file while the run registers, and the connection's own automatic checkpoint is only a bound; its
 * setting is put back when the run ends. So is its page cache, larger while the run registers.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Checkpointer } from '../../src/bronregistratie/checkpoint.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { openDatabase, PAGINACACHE_KIB } from '../../src/bronregistratie/verbinding.js';
import { leesConfig } from '../../src/config/laden.js';
import { converteer, RUN_PAGINACACHE_KIB } from '../../src/runs/convert.js';
import { PLAN, register, werkmap } from '../helpers/omzetten.js';

const toewijzing = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-08-01', relaties: 2, afzender: '0344', ontvanger: '12345678' });

const tel = (pad: string, tabel = 'record') => {
  const d = new Database(pad);
  try {
    return (d.prepare(`SELECT count(*) AS n FROM ${tabel}`).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

/** What the database file holds without its WAL: a copy of the file alone, opened. */
const alleenHetBestand = (pad: string, tabel?: string) => {
  const kopie = `${pad}.kopie`;
  copyFileSync(pad, kopie);
  return tel(kopie, tabel);
};

describe('WAL checkpoints during a run', () => {
  it('the database file alone holds what the run registered, before its connection closes; the setting is put back', async () => {
    const w = werkmap();
    for (let i = 0; i < 5; i++) w.schrijf(`a${i}.xml`, toewijzing(i));
    const bronregistratie = new Bronregistratie(w.db);
    try {
      bronregistratie.autoCheckpoint(1234);
      await converteer({ invoer: [w.in], uit: w.uit, config: leesConfig(PLAN), register, bronregistratie });
      expect(bronregistratie.autoCheckpoint(0)).toBe(1234);
      // the run's connection is still open, so its WAL has not been folded in by a close: the thread did it
      const n = alleenHetBestand(w.db);
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBe(tel(w.db));
    } finally {
      bronregistratie.sluit();
    }
  });

  it('the run gives its registration a larger page cache while it runs, and puts the one it had back', async () => {
    const w = werkmap();
    for (let i = 0; i < 3; i++) w.schrijf(`a${i}.xml`, toewijzing(i));
    const bronregistratie = new Bronregistratie(w.db);
    try {
      const eerst = bronregistratie.paginacache();
      expect(eerst).toBe(PAGINACACHE_KIB);
      const tijdens: number[] = [];
      await converteer({ invoer: [w.in], uit: w.uit, config: leesConfig(PLAN), register, bronregistratie, voortgang: () => tijdens.push(bronregistratie.paginacache()) });
      expect(tijdens).toEqual([RUN_PAGINACACHE_KIB, RUN_PAGINACACHE_KIB, RUN_PAGINACACHE_KIB]);
      expect(bronregistratie.paginacache()).toBe(eerst);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('one thread checkpoints every file it is given (a run with a database per owner)', async () => {
    const w = werkmap();
    const paden = [join(w.map, 'a.db'), join(w.map, 'b.db')];
    const dbs = paden.map((pad) => openDatabase(pad));
    try {
      for (const [i, db] of dbs.entries()) {
        db.pragma('wal_autocheckpoint = 0');
        db.exec('CREATE TABLE t (x)');
        const zet = db.prepare('INSERT INTO t VALUES (?)');
        db.transaction(() => { for (let x = 0; x <= i * 10; x++) zet.run(x); })();
      }
      expect(paden.map((pad) => { try { return alleenHetBestand(pad, 't'); } catch { return 'geen tabel'; } })).toEqual(['geen tabel', 'geen tabel']);
      const checkpointer = new Checkpointer(paden, 60_000);
      await checkpointer.stop();
      expect(paden.map((pad) => alleenHetBestand(pad, 't'))).toEqual([1, 11]);
    } finally {
      for (const db of dbs) db.close();
    }
  });
});
