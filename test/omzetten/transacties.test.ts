import Database from 'better-sqlite3';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { converteer } from '../../src/runs/convert.js';
import { PLAN, register, werkmap, type Werkmap } from '../helpers/omzetten.js';
import { ROOT } from '../helpers/paden.js';

const mappen: Werkmap[] = [];
afterEach(() => {
  for (const w of mappen.splice(0)) rmSync(w.map, { recursive: true, force: true });
});

describe('convert: transactions', () => {
  it('no transaction stays open across an await: while the run waits on its writes, another connection can take the write lock', async () => {
    const w = werkmap();
    mappen.push(w);
    cpSync(join(ROOT, 'fixtures', 'voorbeeldarchief'), w.in, { recursive: true });
    w.schrijf('slecht/leeg.xml', '');
    const bronregistratie = new Bronregistratie(w.db);
    const ander = new Database(w.db);
    ander.pragma('busy_timeout = 0');
    let gezien = 0;
    let open = 0;
    try {
      const rapport = await converteer({
        invoer: [w.in],
        uit: w.uit,
        config: leesConfig(PLAN),
        register,
        bronregistratie,
        // called between awaits, after an input's output is written
        voortgang: () => {
          gezien++;
          if (bronregistratie.verbinding.inTransaction) open++;
          ander.exec('BEGIN IMMEDIATE');
          ander.exec('ROLLBACK');
        },
      });
      // more than one batch of 200, and a quarantine among them
      expect(rapport.berichten).toBeGreaterThan(200);
      expect(rapport.quarantaine).toBe(1);
      expect(gezien).toBeGreaterThan(200);
      expect(open).toBe(0);
      expect(bronregistratie.telling().records).toBeGreaterThan(0);
    } finally {
      ander.close();
      bronregistratie.sluit();
    }
  });
});
