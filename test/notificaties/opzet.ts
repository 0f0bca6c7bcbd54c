import Database from 'better-sqlite3';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Notificatiestore, type OutboxRij } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { Bezorger, type Logregel } from '../../src/notificaties/bezorging.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { leesConfig } from '../../src/config/laden.js';
import type { Notificaties } from '../../src/config/typen.js';
import { PLAN, werkmap, type Werkmap } from '../helpers/omzetten.js';

/** A 301 from gemeente 0344 to `ontvanger`, for client `client` (equal clients give the same Relaties). */
export const toewijzing = (seed: number, ontvanger: string, client: number, opties: Parameters<typeof genereerBericht>[3] = {}) =>
  genereerBericht('iwmo', '301', seed, { dagtekening: '2027-01-01', relaties: 2, clientSeed: client, afzender: '0344', ontvanger, ...opties });

/** Short retries for tests: 3 retries, 20 ms × 2^n. */
export const SNEL = { herhalingen: 3, factorSeconden: 0.02, basis: 2, maxSeconden: 1, jitter: 0.1 };

export interface Opzet {
  w: Werkmap;
  bronregistratie: Bronregistratie;
  opslag: Notificatiestore;
  bezorger: Bezorger;
  logs: Logregel[];
  outbox(): OutboxRij[];
  sluit(): Promise<void>;
}

/** Converts `berichten` into a fresh bronregistratie, then gives an in-process worker over it. */
export async function opzet(berichten: string[], notificaties: Notificaties, toegang = { nalooptijdMaanden: 1200 }, klok?: () => number): Promise<Opzet> {
  const w = werkmap();
  berichten.forEach((b, k) => w.schrijf(`${String(k).padStart(4, '0')}.xml`, b));
  await w.converteer();
  const config = leesConfig({ ...PLAN, bronregistratie: { database: w.db, basisUrl: 'https://bron.example.nl' }, toegang, notificaties: { backoff: SNEL, ...notificaties } });
  const bronregistratie = new Bronregistratie(w.db);
  const opslag = new Notificatiestore(w.db);
  const logs: Logregel[] = [];
  const bezorger = new Bezorger(bronregistratie, opslag, instellingen(config), { log: (r) => logs.push(r), ...(klok ? { klok } : {}) });
  return {
    w,
    bronregistratie,
    opslag,
    bezorger,
    logs,
    outbox: () => {
      const db = new Database(w.db, { readonly: true });
      try {
        return db.prepare('SELECT * FROM outbox ORDER BY volgnummer').all() as OutboxRij[];
      } finally {
        db.close();
      }
    },
    sluit: async () => {
      await bezorger.sluit();
      opslag.sluit();
      bronregistratie.sluit();
    },
  };
}

/** Waits until `f` holds, polling; on a timeout the error says what `stand` tells of the state then. */
export async function totdat(f: () => boolean, ms = 20_000, stand?: () => string): Promise<void> {
  const eind = Date.now() + ms;
  while (!f()) {
    if (Date.now() > eind) throw new Error(`timed out waiting${stand ? `: ${stand()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
