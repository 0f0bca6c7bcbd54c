/**
 * The migration of a schema v4 database to v5 (the history tables refer to a record by its integer id): the
 * database in fixtures/bron-v4/ was written by the v4 code (fixtures/maak-bron-v4.mjs, which also wrote what
 * that code answered on it, bron-v4.stand.json). On a copy, v5 must answer the same for every record (Sleutel,
 * versions, grounds, ends, the person index, the outbox), keep the audit chain valid, and go on registering.
 * A migration that fails half-way leaves the v4 database as it was.
 */
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifieerAuditlog } from '../../src/bronregistratie/auditketen.js';
import { Outboxlezer } from '../../src/bronregistratie/outbox.js';
import { SCHEMA_VERSIE } from '../../src/bronregistratie/schema.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';

const BSN = ['999993653', '999977271', '999911112'];
const FIXTURE = join(import.meta.dirname, 'fixtures', 'bron-v4');

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

/** A copy of the v4 database, its secret and its audit head file. */
function kopie(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-record-id-'));
  mappen.push(m);
  cpSync(FIXTURE, m, { recursive: true });
  return join(m, 'bron.db');
}

/** What the store answers (as maak-bron-v4.mjs's `stand`). */
function stand(pad: string) {
  const b = new Bronregistratie(pad);
  try {
    const sleutels = new Set(BSN.flatMap((bsn) => b.sleutelsVanPersoon(bsn)));
    const records = [...sleutels].sort().map((s) => ({
      sleutel: s,
      wet: b.wetVan(s),
      actueel: b.versie(s),
      versies: b.versienummers(s).map((n) => b.versie(s, n)),
      op: ['2027-01-01', '2027-02-01', '2027-02-20', '2027-04-10', '2027-12-31'].map((d) => b.versieOp(s, d)?.nummer ?? null),
      verstrekkingen: b.verstrekkingen(s),
      beeindigingen: b.beeindigingen(s),
      vermeldTussen: b.versiesVermeldTussen(s, '2027-01-01', '2027-03-01'),
    }));
    const personen = BSN.map((bsn) => b.sleutelsVanPersoon(bsn));
    // v6 adds the message column to each entry: null for every record entry
    const outbox = new Outboxlezer(b.verbinding).na(0, 1000).map(({ bericht, ...r }) => {
      expect(bericht).toBeNull();
      return r;
    });
    return { telling: b.telling(), records, personen, outbox };
  } finally {
    b.sluit();
  }
}

const lees = <T>(pad: string, f: (d: Database.Database) => T): T => {
  const d = new Database(pad, { readonly: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
};
const versie = (pad: string) => lees(pad, (d) => (d.prepare("SELECT waarde FROM meta WHERE sleutel = 'schema_versie'").get() as { waarde: string }).waarde);
const schema = (pad: string) => lees(pad, (d) => d.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all());
const rijen = (pad: string, tabel: string) => lees(pad, (d) => d.prepare(`SELECT * FROM ${tabel}`).all());

describe('a v4 database opened by v5', () => {
  it('answers for every record exactly what v4 answered, and the audit chain still verifies', () => {
    const pad = kopie();
    expect(versie(pad)).toBe('4');
    const b = new Bronregistratie(pad);
    expect(b.migratie).toEqual({ van: 4, naar: SCHEMA_VERSIE });
    b.sluit();
    expect(versie(pad)).toBe(String(SCHEMA_VERSIE));
    const verwacht = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'bron-v4.stand.json'), 'utf8')) as unknown;
    expect(stand(pad)).toEqual(verwacht);
    expect(verifieerAuditlog(pad)).toMatchObject({ intact: true, regels: 5 });
  });

  it('gives records their ids in insertion order, keys the history by them, and leaves no foreign key broken', () => {
    const pad = kopie();
    const oud = lees(pad, (d) => d.prepare('SELECT sleutel FROM record ORDER BY rowid').all() as Array<{ sleutel: string }>);
    new Bronregistratie(pad).sluit();
    const nieuw = lees(pad, (d) => d.prepare('SELECT id, sleutel FROM record ORDER BY id').all() as Array<{ id: number; sleutel: string }>);
    expect(nieuw.map((r) => r.sleutel)).toEqual(oud.map((r) => r.sleutel));
    expect(nieuw.map((r) => r.id)).toEqual(oud.map((_, i) => i + 1));
    for (const tabel of ['versie', 'vermelding', 'verstrekking', 'momentopname', 'beeindiging', 'betrokkene']) {
      const kolommen = lees(pad, (d) => (d.pragma(`table_info(${tabel})`) as Array<{ name: string }>).map((k) => k.name));
      expect(kolommen, tabel).toContain('record');
      expect(kolommen, tabel).not.toContain('sleutel');
      expect(lees(pad, (d) => (d.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(tabel) as { sql: string }).sql), tabel).toMatch(/WITHOUT ROWID/);
    }
    expect(lees(pad, (d) => d.pragma('foreign_key_check'))).toEqual([]);
    expect(lees(pad, (d) => d.pragma('integrity_check', { simple: true }))).toBe('ok');
    // a fresh v5 database has the same tables and indexes as a migrated one
    const vers = join(pad, '..', 'vers.db');
    new Bronregistratie(vers).sluit();
    const namen = (p: string) => (schema(p) as Array<{ type: string; name: string }>).filter((r) => r.type !== 'trigger').map((r) => `${r.type} ${r.name}`);
    expect(namen(pad).filter((n) => !/audit/.test(n))).toEqual(namen(vers).filter((n) => !/audit/.test(n)));
  });

  it('goes on registering after the migration: a new record gets the next id, an existing one a new version', () => {
    const pad = kopie();
    const b = new Bronregistratie(pad);
    try {
      const basis = { wet: 'wmo' as const, eigenaar: '0344', tegenpartij: '11111111', toewijzingEinde: null, groep: [BSN[0]!] };
      const nieuw = b.registreer({ ...basis, object: 'relatie', identiteit: [BSN[0]!, '9'], inhoud: { Nummer: '9', Naam: 'n' }, dagtekening: '2027-08-01', berichtIdentificatie: 'W9' });
      expect(nieuw.nieuweSleutel).toBe(true);
      expect(nieuw.sleutel).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const bestaand = b.registreer({ ...basis, object: 'relatie', identiteit: [BSN[0]!, '1'], inhoud: { Nummer: '1', Naam: 'z' }, dagtekening: '2027-08-01', berichtIdentificatie: 'W9' });
      expect(bestaand).toMatchObject({ nieuweSleutel: false, nieuweVersie: true });
      expect(b.versie(bestaand.sleutel)?.inhoud).toEqual({ Nummer: '1', Naam: 'z' });
      expect(b.sleutelsVanPersoon(BSN[0]!)).toContain(nieuw.sleutel);
    } finally {
      b.sluit();
    }
    expect(lees(pad, (d) => d.prepare('SELECT max(id) n FROM record').get())).toEqual({ n: 10 });
  });

  it('is refused by a command that only reads, which changes nothing', () => {
    const pad = kopie();
    expect(() => new Bronregistratie(pad, { alleenLezen: true })).toThrow(/schema version 4; run a command that writes/);
    expect(versie(pad)).toBe('4');
  });

  it('fails as a whole: a row that names no record stops the migration and the v4 database stays as it was', () => {
    const pad = kopie();
    // a version of a record that is not there (only possible with foreign keys off): it cannot be carried over
    const d = new Database(pad);
    d.pragma('foreign_keys = OFF');
    d.prepare('INSERT INTO versie VALUES (?, 1, ?, ?, ?, ?, ?)').run('00000000-0000-4000-8000-000000000000', '{}', 'h', '2027-01-01T00:00:00.000Z', '2027-01-01', 'X');
    d.close();
    const voor = { schema: schema(pad), versie: rijen(pad, 'versie'), record: rijen(pad, 'record'), vermelding: rijen(pad, 'vermelding') };
    expect(() => new Bronregistratie(pad)).toThrow(/schema v5: versie has rows of no record; nothing was changed/);
    expect(versie(pad)).toBe('4');
    expect({ schema: schema(pad), versie: rijen(pad, 'versie'), record: rijen(pad, 'record'), vermelding: rijen(pad, 'vermelding') }).toEqual(voor);
    // with foreign keys back on for the connection that tried
    expect(lees(pad, (x) => x.pragma('integrity_check', { simple: true }))).toBe('ok');
  });
});
