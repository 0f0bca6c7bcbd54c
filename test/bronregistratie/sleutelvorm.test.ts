/**
 * Schema v7: a new database lays its identity and group hashes out by person (identiteit.ts `Sleutelvorm`), so
 * the objects of one message share their index pages; a database of before keeps its per-object hashes (they
 * cannot be made again without the natural identities it never stored). A database of a newer schema than
 * this netwerkbrug knows is refused.
 */
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NetwerkbrugFout } from '../../src/fout.js';
import { groepHash, identiteitHash } from '../../src/bronregistratie/identiteit.js';
import { SCHEMA_VERSIE } from '../../src/bronregistratie/schema.js';
import { Bronregistratie, type Registratie } from '../../src/bronregistratie/store.js';
import type { BerichtPlan } from '../../src/omzetten/bericht.js';
import { hashIdentiteiten } from '../../src/runs/taak.js';

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function map(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-sleutelvorm-'));
  mappen.push(m);
  return m;
}

const BSN = '999993653';
const ANDER = '999977271';
const basis = { wet: 'wmo', eigenaar: '0344', dagtekening: '2027-01-01', berichtIdentificatie: 'B1', tegenpartij: '12345678', toewijzingEinde: null } as const;
const client = (bsn: string): Registratie => ({ ...basis, object: 'client', identiteit: [bsn], inhoud: { Bsn: bsn }, groep: [bsn] });
const relatie = (bsn: string, nummer: string): Registratie => ({ ...basis, object: 'relatie', identiteit: [bsn, nummer], inhoud: { Nummer: nummer }, groep: [bsn] });

const lees = <T>(pad: string, sql: string): T[] => {
  const db = new Database(pad, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

describe('a database made by v7', () => {
  it("lays a person's identity and group hashes side by side, and registers and finds by them", () => {
    const pad = join(map(), 'bron.db');
    const b = new Bronregistratie(pad);
    try {
      expect(b.sleutelvorm).toBe('persoon');
      const c = b.registreer(client(BSN));
      const r1 = b.registreer(relatie(BSN, '1'));
      const r2 = b.registreer(relatie(BSN, '2'));
      const ander = b.registreer(relatie(ANDER, '1'));
      expect(b.zoekSleutel('wmo', 'client', '0344', [BSN])).toBe(c.sleutel);
      expect(b.zoekSleutel('wmo', 'relatie', '0344', [BSN, '2'])).toBe(r2.sleutel);
      // the same Nummer under the other law is another record (the law is in both halves)
      expect(b.zoekSleutel('jeugdwet', 'relatie', '0344', [BSN, '1'])).toBeUndefined();
      expect(b.registreer(relatie(BSN, '1')).sleutel).toBe(r1.sleutel);
      const identiteit = Object.fromEntries(lees<{ sleutel: string; identiteit: string }>(pad, 'SELECT sleutel, identiteit FROM record').map((r) => [r.sleutel, r.identiteit]));
      const helft = (s: string) => identiteit[s]!.slice(0, 32);
      expect(Object.values(identiteit).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
      // one person: one first half for every object; another person: another
      expect(new Set([c, r1, r2].map((r) => helft(r.sleutel))).size).toBe(1);
      expect(helft(ander.sleutel)).not.toBe(helft(c.sleutel));
      // the second half is the object's own
      expect(new Set([c, r1, r2].map((r) => identiteit[r.sleutel]!.slice(32))).size).toBe(3);
      // the snapshot groups (one per object) share the person's first half too
      const groepen = lees<{ groep: string }>(pad, 'SELECT DISTINCT groep FROM momentopname').map((g) => g.groep);
      expect(groepen).toHaveLength(3);
      expect(groepen.filter((g) => g.startsWith(helft(c.sleutel)))).toHaveLength(2);
      // a snapshot that lacks a Relatie ends it, by the group the registrations made
      expect(b.beeindigOntbrekende({ ...basis, object: 'relatie', groep: [BSN], dagtekening: '2027-02-01', berichtIdentificatie: 'B2', aanwezig: [r1.sleutel] })).toEqual([r2.sleutel]);
      expect(b.sleutelsVanPersoon(BSN)).toEqual([c.sleutel, r1.sleutel, r2.sleutel].sort());
    } finally {
      b.sluit();
    }
    expect(lees<{ waarde: string }>(pad, "SELECT waarde FROM meta WHERE sleutel = 'schema_versie'")[0]!.waarde).toBe(String(SCHEMA_VERSIE));
  });

  it("a run's worker makes the hashes of the store's layout: what it registers the store finds, and the other way round", () => {
    for (const oud of [false, true]) {
      const pad = join(map(), 'bron.db');
      if (oud) maakV6(pad);
      const b = new Bronregistratie(pad);
      try {
        expect(b.sleutelvorm).toBe(oud ? 'object' : 'persoon');
        const plan: BerichtPlan = {
          wet: 'wmo',
          dagtekening: '2027-01-05',
          berichtIdentificatie: 'B1',
          stappen: [
            { soort: 'object', object: 'relatie', rol: 'bron', fase: 'voor', eigenaar: '0344', tegenpartij: '12345678', identiteit: [BSN, '1'], inhoud: { Nummer: '1' }, gesleuteld: false, groep: [BSN] },
            { soort: 'einde', object: 'relatie', eigenaar: '0344', tegenpartij: '12345678', groep: [BSN] },
          ],
        };
        hashIdentiteiten(plan, { standaard: b.hashgeheim, perEigenaar: {} });
        const stap = plan.stappen[0]!;
        if (stap.soort !== 'object') throw new Error('plan');
        if (oud) {
          expect(stap.identiteitHash).toBe(identiteitHash(b.hashgeheim.geheim as Buffer, 'wmo', 'relatie', '0344', [BSN, '1']));
          expect(stap.groepHash).toBe(groepHash(b.hashgeheim.geheim as Buffer, 'wmo', 'relatie', '0344', [BSN]));
        }
        const r = b.registreer({ ...relatie(BSN, '1'), identiteitHash: stap.identiteitHash!, groepHash: stap.groepHash! });
        expect(b.zoekSleutel('wmo', 'relatie', '0344', [BSN, '1'])).toBe(r.sleutel);
        const zelf = b.registreer(relatie(BSN, '2'));
        expect(b.beeindigOntbrekende({ ...basis, object: 'relatie', groep: [BSN], dagtekening: '2027-02-01', berichtIdentificatie: 'B2', aanwezig: [r.sleutel] })).toEqual([zelf.sleutel]);
        // the person index: written (and its hash made by the worker) only where the identity index is not one
        expect(stap.persoonHash === undefined).toBe(!oud);
        expect(lees<{ n: number }>(pad, 'SELECT count(*) n FROM betrokkene')[0]!.n).toBe(oud ? 2 : 0);
        expect(b.sleutelsVanPersoon(BSN, '0344')).toEqual([r.sleutel, zelf.sleutel].sort());
      } finally {
        b.sluit();
      }
    }
  });
});

describe('inzage in a database made by v7', () => {
  it("finds a person's records as a range of the identity index, of every law and owner, and writes no person index", () => {
    const pad = join(map(), 'bron.db');
    const b = new Bronregistratie(pad);
    try {
      const jw = { ...basis, wet: 'jeugdwet' } as const;
      const eigen = [
        b.registreer(client(BSN)),
        b.registreer(relatie(BSN, '1')),
        b.registreer({ ...relatie(BSN, '1'), wet: 'jeugdwet' }),
        b.registreer({ ...jw, object: 'contactgegevens', identiteit: [BSN], inhoud: { Telefoon: '1' } }),
      ].map((r) => r.sleutel);
      const andereEigenaar = b.registreer({ ...relatie(BSN, '3'), eigenaar: '0363' }).sleutel;
      const anderePersoon = [b.registreer(client(ANDER)), b.registreer(relatie(ANDER, '1'))].map((r) => r.sleutel);
      expect(lees<{ n: number }>(pad, 'SELECT count(*) n FROM betrokkene')[0]!.n).toBe(0);
      expect(b.sleutelsVanPersoon(BSN, '0344')).toEqual([...eigen].sort());
      expect(b.sleutelsVanPersoon(BSN, '0363')).toEqual([andereEigenaar]);
      expect(b.sleutelsVanPersoon(BSN)).toEqual([...eigen, andereEigenaar].sort());
      expect(b.sleutelsVanPersoon(ANDER)).toEqual([...anderePersoon].sort());
      expect(b.sleutelsVanPersoon('999990019')).toEqual([]);
    } finally {
      b.sluit();
    }
    // read-only, as inzage opens it when it only reads
    const r = new Bronregistratie(pad, { alleenLezen: true });
    try {
      expect(r.sleutelsVanPersoon(ANDER, '0344')).toHaveLength(2);
    } finally {
      r.sluit();
    }
  });
});

/** A database as v6 left it: made, its schema version 6 and no layout in `meta` (v6 had none). */
function maakV6(pad: string): void {
  new Bronregistratie(pad).sluit();
  const db = new Database(pad);
  db.prepare("UPDATE meta SET waarde = '6' WHERE sleutel = 'schema_versie'").run();
  db.prepare("DELETE FROM meta WHERE sleutel = 'sleutelvorm'").run();
  db.close();
}

describe('a database of before v7', () => {
  it('keeps its per-object hashes: the records of the v5 fixture are found as before, and new ones are made the same way', () => {
    const m = map();
    cpSync(join(import.meta.dirname, 'fixtures', 'bron-v5'), m, { recursive: true });
    const pad = join(m, 'bron.db');
    const voor = lees<{ sleutel: string; identiteit: string }>(pad, 'SELECT sleutel, identiteit FROM record ORDER BY id');
    const b = new Bronregistratie(pad);
    try {
      expect(b.migratie).toEqual({ van: 5, naar: SCHEMA_VERSIE });
      expect(b.sleutelvorm).toBe('object');
      const nieuw = b.registreer(relatie(BSN, '777'));
      const geheim = b.hashgeheim.geheim as Buffer;
      const rij = lees<{ identiteit: string }>(pad, `SELECT identiteit FROM record WHERE sleutel = '${nieuw.sleutel}'`)[0]!;
      expect(rij.identiteit).toBe(identiteitHash(geheim, 'wmo', 'relatie', '0344', [BSN, '777']));
    } finally {
      b.sluit();
    }
    expect(lees<{ sleutel: string; identiteit: string }>(pad, 'SELECT sleutel, identiteit FROM record ORDER BY id').slice(0, voor.length)).toEqual(voor);
    // opened again: still its own layout
    const weer = new Bronregistratie(pad, { alleenLezen: true });
    try {
      expect(weer.sleutelvorm).toBe('object');
    } finally {
      weer.sluit();
    }
  });

  it('a v6 database, even one without records, keeps the layout of v6', () => {
    const pad = join(map(), 'bron.db');
    maakV6(pad);
    const b = new Bronregistratie(pad);
    try {
      expect(b.migratie).toEqual({ van: 6, naar: SCHEMA_VERSIE });
      expect(b.sleutelvorm).toBe('object');
    } finally {
      b.sluit();
    }
  });
});

describe('a database of a newer schema', () => {
  it('is refused in one sentence, for writing and for reading, and left as it was', () => {
    const pad = join(map(), 'bron.db');
    new Bronregistratie(pad).sluit();
    const db = new Database(pad);
    db.prepare("UPDATE meta SET waarde = '99' WHERE sleutel = 'schema_versie'").run();
    db.close();
    for (const opties of [{}, { alleenLezen: true }]) {
      let fout: unknown;
      try {
        new Bronregistratie(pad, opties).sluit();
      } catch (e) {
        fout = e;
      }
      expect(fout).toBeInstanceOf(NetwerkbrugFout);
      expect((fout as Error).message).toMatch(/schema version 99, made by a newer netwerkbrug/);
    }
    expect(lees<{ waarde: string }>(pad, "SELECT waarde FROM meta WHERE sleutel = 'schema_versie'")[0]!.waarde).toBe('99');
  });
});
