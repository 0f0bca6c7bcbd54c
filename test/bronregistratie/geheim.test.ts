import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GEHEIM_OMGEVING, geheimBestand, geverifieerdGeheim, verificatieVan } from '../../src/bronregistratie/geheim.js';
import { Bronregistratie, type Registratie } from '../../src/bronregistratie/store.js';
import { NetwerkbrugFout } from '../../src/fout.js';

const mappen: string[] = [];
afterEach(() => {
  delete process.env[GEHEIM_OMGEVING];
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function map(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-geheim-'));
  mappen.push(m);
  return m;
}

const BSN = '999993653';
const registratie = (nummer: string): Registratie => ({
  wet: 'wmo',
  object: 'relatie',
  eigenaar: '0344',
  identiteit: [BSN, nummer],
  inhoud: { Nummer: nummer },
  dagtekening: '2027-01-01',
  berichtIdentificatie: `B${nummer}`,
  tegenpartij: '12345678',
  toewijzingEinde: null,
});

/** A database with one record; returns its Sleutel. */
function metRecord(db: string): string {
  const bronregistratie = new Bronregistratie(db);
  try {
    return bronregistratie.registreer(registratie('1')).sleutel;
  } finally {
    bronregistratie.sluit();
  }
}

function fout(fn: () => unknown): NetwerkbrugFout {
  try {
    fn();
  } catch (e) {
    if (e instanceof NetwerkbrugFout) return e;
    throw e;
  }
  throw new Error('expected a NetwerkbrugFout');
}

const verificatie = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare("SELECT waarde FROM meta WHERE sleutel = 'identiteitsgeheim_verificatie'").get() as { waarde: string } | undefined)?.waarde;
  } finally {
    d.close();
  }
};

describe('the identity secret is tied to its database', () => {
  it('a new database gets a new secret (0600) and a verifier of it in meta, never the secret itself; a new database file is 0600 too', () => {
    const db = join(map(), 'bron.db');
    metRecord(db);
    const hex = readFileSync(geheimBestand(db), 'utf8').trim();
    expect(statSync(geheimBestand(db)).mode & 0o777).toBe(0o600);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const v = verificatie(db)!;
    expect(v).toBe(verificatieVan(Buffer.from(hex, 'hex')));
    expect(v).not.toContain(hex);
    expect(readFileSync(db).includes(Buffer.from(hex))).toBe(false);
  });

  it('refuses a database with records whose secret is missing, naming the file and what to do; no new secret is made', () => {
    const m = map();
    const db = join(m, 'bron.db');
    const sleutel = metRecord(db);
    renameSync(geheimBestand(db), join(m, 'weg'));
    const f = fout(() => new Bronregistratie(db));
    expect(f.code).toBe('GEBRUIK');
    expect(f.plaats?.bestand).toBe(db);
    expect(f.message).toContain(geheimBestand(db));
    expect(f.message).toMatch(/restore the secret from your backup/);
    expect(existsSync(geheimBestand(db))).toBe(false);
    // with the secret back, the record is found by its identity again
    renameSync(join(m, 'weg'), geheimBestand(db));
    const bronregistratie = new Bronregistratie(db);
    expect(bronregistratie.zoekSleutel('wmo', 'relatie', '0344', [BSN, '1'])).toBe(sleutel);
    expect(bronregistratie.telling().records).toBe(1);
    bronregistratie.sluit();
  });

  it('refuses a different secret, from the file or from NETWERKBRUG_IDENTITEITSGEHEIM', () => {
    const db = join(map(), 'bron.db');
    metRecord(db);
    const echt = readFileSync(geheimBestand(db), 'utf8').trim();
    process.env[GEHEIM_OMGEVING] = 'ab'.repeat(32);
    const f = fout(() => new Bronregistratie(db));
    expect(f.message).toMatch(/NETWERKBRUG_IDENTITEITSGEHEIM\) is not the one this database was made with/);
    process.env[GEHEIM_OMGEVING] = echt;
    new Bronregistratie(db).sluit();
    delete process.env[GEHEIM_OMGEVING];
    writeFileSync(geheimBestand(db), 'cd'.repeat(32) + '\n');
    expect(fout(() => new Bronregistratie(db)).message).toMatch(/bron\.db\.geheim\) is not the one/);
  });

  it('a database made with NETWERKBRUG_IDENTITEITSGEHEIM refuses to open without it, and makes no secret file', () => {
    const db = join(map(), 'bron.db');
    process.env[GEHEIM_OMGEVING] = 'ef'.repeat(32);
    metRecord(db);
    expect(existsSync(geheimBestand(db))).toBe(false);
    delete process.env[GEHEIM_OMGEVING];
    expect(fout(() => new Bronregistratie(db)).message).toMatch(/is missing/);
    expect(existsSync(geheimBestand(db))).toBe(false);
  });

  it('a database made before verifiers gets its verifier on first open with its own secret, then refuses another', () => {
    const db = join(map(), 'bron.db');
    const sleutel = metRecord(db);
    const d = new Database(db);
    d.prepare("DELETE FROM meta WHERE sleutel = 'identiteitsgeheim_verificatie'").run();
    d.close();
    expect(verificatie(db)).toBeUndefined();
    const bronregistratie = new Bronregistratie(db);
    expect(bronregistratie.zoekSleutel('wmo', 'relatie', '0344', [BSN, '1'])).toBe(sleutel);
    bronregistratie.sluit();
    expect(verificatie(db)).toBeDefined();
    process.env[GEHEIM_OMGEVING] = 'ab'.repeat(32);
    expect(fout(() => new Bronregistratie(db)).message).toMatch(/is not the one/);
  });

  it('geverifieerdGeheim gives the verified secret bytes of an open database, and refuses a wrong one', () => {
    const db = join(map(), 'bron.db');
    metRecord(db);
    const d = new Database(db);
    try {
      expect(geverifieerdGeheim(d, db).toString('hex')).toBe(readFileSync(geheimBestand(db), 'utf8').trim());
      process.env[GEHEIM_OMGEVING] = 'ab'.repeat(32);
      expect(() => geverifieerdGeheim(d, db)).toThrow(/is not the one/);
    } finally {
      d.close();
    }
  });

  it('opening read-only never creates a database or a secret; a missing database is one sentence', () => {
    const m = map();
    const f = fout(() => new Bronregistratie(join(m, 'tikfout.db'), { alleenLezen: true }));
    expect(f.message).toMatch(/does not exist/);
    expect(readdirSync(m)).toEqual([]);
    // an existing database read-only: verified, nothing written to it
    const db = join(m, 'bron.db');
    const sleutel = metRecord(db);
    const bronregistratie = new Bronregistratie(db, { alleenLezen: true });
    expect(bronregistratie.versie(sleutel)?.nummer).toBe(1);
    bronregistratie.sluit();
    rmSync(geheimBestand(db));
    expect(fout(() => new Bronregistratie(db, { alleenLezen: true })).message).toMatch(/is missing/);
    expect(existsSync(geheimBestand(db))).toBe(false);
  });
});
