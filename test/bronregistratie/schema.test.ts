import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { SCHEMA_VERSIE } from '../../src/bronregistratie/schema.js';
import { Bronregistratie, type Registratie } from '../../src/bronregistratie/store.js';

const mappen: string[] = [];
afterEach(() => {
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function database(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-schema-'));
  mappen.push(m);
  return join(m, 'bron.db');
}

const registratie: Registratie = {
  wet: 'wmo',
  object: 'relatie',
  eigenaar: '0344',
  identiteit: ['999993653', '1'],
  inhoud: { Nummer: '1' },
  dagtekening: '2027-01-01',
  berichtIdentificatie: 'B1',
  tegenpartij: '12345678',
  toewijzingEinde: null,
};

const tabellen = (pad: string) => {
  const db = new Database(pad, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('one schema, whoever opens the file first', () => {
  it('a Notificatiestore opened on a fresh database before any Bronregistratie reads the outbox and sees its entries', () => {
    const pad = database();
    const opslag = new Notificatiestore(pad);
    try {
      expect(opslag.onverdeeld()).toBe(0);
      expect(opslag.verdeel(() => [], Date.now())).toBe(0);
      const bronregistratie = new Bronregistratie(pad);
      try {
        bronregistratie.registreer(registratie);
      } finally {
        bronregistratie.sluit();
      }
      expect(opslag.onverdeeld()).toBe(1);
    } finally {
      opslag.sluit();
    }
    const db = new Database(pad, { readonly: true });
    try {
      expect(db.prepare('SELECT waarde FROM meta WHERE sleutel = ?').get('schema_versie')).toEqual({ waarde: String(SCHEMA_VERSIE) });
    } finally {
      db.close();
    }
  });

  it('an Auditlog opened on a fresh database before any Bronregistratie makes the whole schema, and the store then opens it', () => {
    const pad = database();
    const audit = new Auditlog(pad);
    try {
      audit.schrijf({ tijd: '2027-01-01T00:00:00Z', traceId: 't', deelnemer: null, actie: 'bronregistratie:lezen', object: null, sleutel: null, versie: null, doel: null, uitkomst: 'niet-gevonden', status: 404 });
      const bronregistratie = new Bronregistratie(pad);
      try {
        expect(bronregistratie.registreer(registratie).nieuweSleutel).toBe(true);
        expect(bronregistratie.telling()).toEqual({ records: 1, versies: 1, outbox: 1 });
      } finally {
        bronregistratie.sluit();
      }
      expect(audit.alle()).toHaveLength(1);
    } finally {
      audit.sluit();
    }
  });

  it('every opening order gives the same tables', () => {
    const volgorden = [
      (p: string) => [new Bronregistratie(p), new Notificatiestore(p), new Auditlog(p)],
      (p: string) => [new Notificatiestore(p), new Auditlog(p), new Bronregistratie(p)],
      (p: string) => [new Auditlog(p), new Bronregistratie(p), new Notificatiestore(p)],
    ];
    const uitkomsten = volgorden.map((open) => {
      const pad = database();
      for (const deel of open(pad)) deel.sluit();
      return tabellen(pad);
    });
    expect(uitkomsten[0]).toContain('outbox');
    expect(uitkomsten[0]).toContain('bezorging');
    expect(uitkomsten[0]).toContain('audit');
    expect(uitkomsten[1]).toEqual(uitkomsten[0]);
    expect(uitkomsten[2]).toEqual(uitkomsten[0]);
  });
});
