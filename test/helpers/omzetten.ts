import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { converteer } from '../../src/runs/convert.js';
import type { Rapport } from '../../src/omzetten/rapport.js';
import type { Runpool } from '../../src/runs/pool.js';

export const register = SchemaRegister.laad();

export const PLAN = {
  informatieobjecten: {
    relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' },
    contactgegevens: { sleutelVanaf: '2027-04-01', einddatum: '2027-10-01' },
  },
};

export interface Werkmap {
  map: string;
  in: string;
  uit: string;
  db: string;
  schrijf(naam: string, inhoud: string | Buffer): string;
  lees(naam: string): string;
  leesInvoer(pad: string): string;
  /** `pool`: a pool, or one to make once the store is open (to give it the store's secret), closed after the run */
  converteer(plan?: unknown, invoer?: string[], pool?: Runpool | ((b: Bronregistratie) => Runpool)): Promise<Rapport>;
}

/** A temporary folder with `in/`, `uit/` and a database, and an in-process conversion over it. */
export function werkmap(): Werkmap {
  const map = mkdtempSync(join(tmpdir(), 'nb-convert-'));
  const w: Werkmap = {
    map,
    in: join(map, 'in'),
    uit: join(map, 'uit'),
    db: join(map, 'bron.db'),
    schrijf(naam, inhoud) {
      const pad = join(w.in, naam);
      mkdirSync(dirname(pad), { recursive: true });
      writeFileSync(pad, inhoud);
      return pad;
    },
    lees: (naam) => readFileSync(join(w.uit, naam), 'utf8'),
    leesInvoer: (pad) => readFileSync(pad, 'utf8'),
    async converteer(plan = PLAN, invoer = [w.in], pool) {
      const bronregistratie = new Bronregistratie(w.db);
      const eigen = typeof pool === 'function' ? pool(bronregistratie) : undefined;
      try {
        const p = eigen ?? (pool as Runpool | undefined);
        return await converteer({ invoer, uit: w.uit, config: leesConfig(plan), register, bronregistratie, ...(p ? { pool: p } : {}) });
      } finally {
        bronregistratie.sluit();
        await eigen?.sluit();
      }
    },
  };
  mkdirSync(w.in, { recursive: true });
  return w;
}
