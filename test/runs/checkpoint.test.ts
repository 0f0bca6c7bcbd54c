/**
 * A run's WAL checkpoints (issue 13, runs/convert.ts): a thread of the run's own copies the WAL into the
 * database file while the run registers, and the connection's own automatic checkpoint is only a bound; its
 * setting is put back when the run ends.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { converteer } from '../../src/runs/convert.js';
import { PLAN, register, werkmap } from '../helpers/omzetten.js';

const toewijzing = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-08-01', relaties: 2, afzender: '0344', ontvanger: '12345678' });

const records = (pad: string) => {
  const d = new Database(pad);
  try {
    return (d.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  } finally {
    d.close();
  }
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
      const kopie = join(w.map, 'alleen-het-bestand.db');
      copyFileSync(w.db, kopie);
      const n = records(kopie);
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBe(records(w.db));
    } finally {
      bronregistratie.sluit();
    }
  });

});
