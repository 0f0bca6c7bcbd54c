import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Auditlog, type Auditregel } from '../../src/bronregistratie/audit.js';
import { kopPad, verifieerAuditlog } from '../../src/bronregistratie/auditketen.js';
import {
  bewaartermijnen,
  NIET_PER_SLEUTEL,
  recordEinde,
  schoonOp,
  SLEUTELTABELLEN,
  STANDAARD_AUDIT_BEWAARTERMIJN_MAANDEN,
  STANDAARD_BEWAARTERMIJN_MAANDEN,
  STANDAARD_NOTIFICATIE_BEWAARTERMIJN_DAGEN,
} from '../../src/bronregistratie/bewaring.js';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie, type Registratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { INFORMATIEOBJECTEN } from '../../src/informatieobject/catalogus.js';
import { Runjournaal } from '../../src/runs/journaal.js';
import { maakPki, type Pki } from '../helpers/pki.js';
import { startServer } from '../helpers/server.js';

const GEMEENTE = '0344';
const X = '12345678';
const Y = '87654321';
const ONBEKEND = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';
const PEILDATUM = '2031-01-01';
const geheimEnv = process.env.NETWERKBRUG_IDENTITEITSGEHEIM;

let map: string;
let db: string;

beforeEach(() => {
  delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  map = mkdtempSync(join(tmpdir(), 'netwerkbrug-bewaring-'));
  db = join(map, 'bron.db');
});
afterEach(() => {
  if (geheimEnv === undefined) delete process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  else process.env.NETWERKBRUG_IDENTITEITSGEHEIM = geheimEnv;
  rmSync(map, { recursive: true, force: true });
});

const config = (extra: Record<string, unknown> = {}) => leesConfig({ deelnemer: { code: GEMEENTE }, ...extra });

let volgnummer = 0;
/** A message carrying `object` of client `bsn` to `tegenpartij`. */
const bericht = (object: string, bsn: string, tegenpartij: string, dagtekening: string, toewijzingEinde: string | null, inhoud: unknown = { Naam: bsn }): Registratie => ({
  wet: 'wmo',
  object,
  eigenaar: GEMEENTE,
  identiteit: object === 'relatie' ? [bsn, '1'] : [bsn],
  inhoud,
  dagtekening,
  berichtIdentificatie: `B${++volgnummer}`,
  tegenpartij,
  toewijzingEinde,
  groep: [bsn],
});

/**
 * The records of the scenario, judged on 2031-01-01 with the default 36 months after the end:
 * - weg: relatie, one counterpart, toewijzing ended 2027-06-30 (+36: 2030-06-30) and two versions: goes;
 * - binnen: relatie, ended 2028-06-30 (+36: 2031-06-30): within retention, stays;
 * - open: relatie, ended 2027-06-30 for X but open for Y: has no end, stays;
 * - laat: relatie, ended for X 2027-06-30 and for Y 2029-01-01: its end is the latest, stays;
 * - beeindigd: contactgegevens, open toewijzing, but the object ended for X on 2027-03-01 (a newer snapshot
 *   lacked it): its end is then, goes; its group has no member left, so its snapshot messages go too.
 */
function vul(): Record<'weg' | 'binnen' | 'open' | 'laat' | 'beeindigd', string> {
  const b = new Bronregistratie(db);
  const r = (x: Registratie) => b.transactie(() => b.registreer(x, '2027-01-02T00:00:00.000Z')).sleutel;
  const weg = r(bericht('relatie', '100000001', X, '2027-01-01', '2027-06-30', { Naam: 'MERKTEKEN-EEN' }));
  r(bericht('relatie', '100000001', X, '2027-02-01', '2027-06-30', { Naam: 'MERKTEKEN-TWEE' }));
  const binnen = r(bericht('relatie', '100000002', X, '2027-01-01', '2028-06-30'));
  const open = r(bericht('relatie', '100000003', X, '2027-01-01', '2027-06-30'));
  r(bericht('relatie', '100000003', Y, '2027-01-01', null));
  const laat = r(bericht('relatie', '100000004', X, '2027-01-01', '2027-06-30'));
  r(bericht('relatie', '100000004', Y, '2027-01-01', '2029-01-01'));
  const beeindigd = r(bericht('contactgegevens', '100000005', X, '2027-01-01', null));
  b.transactie(() =>
    b.beeindigOntbrekende({ wet: 'wmo', object: 'contactgegevens', eigenaar: GEMEENTE, groep: ['100000005'], tegenpartij: X, dagtekening: '2027-03-01', berichtIdentificatie: 'B99', aanwezig: [] }, '2027-03-02T00:00:00.000Z'),
  );
  new Runjournaal(b.verbinding).journaliseer('run', 'invoer.xml', { uitkomst: 'omgezet' });
  b.sluit();
  // every notification distributed to its counterpart; all delivered long ago but one (still waiting)
  const n = new Notificatiestore(db);
  n.verdeel((o) => [{ wachtrij: `regel:${o.alleenVoor ?? X}`, ontvanger: o.alleenVoor ?? X, abonnement: null }], Date.parse('2027-03-03T00:00:00Z'));
  n.sluit();
  const d = new Database(db);
  d.exec("UPDATE bezorging SET status = 'geleverd', bijgewerkt = '2027-03-03T00:00:00.000Z'");
  d.prepare("UPDATE bezorging SET status = 'wachtend' WHERE notificatie = (SELECT id FROM outbox WHERE sleutel = ? LIMIT 1)").run(binnen);
  d.close();
  return { weg, binnen, open, laat, beeindigd };
}

/** One value of the database, read on a connection of its own. */
const lees = <T>(f: (d: Database.Database) => T): T => {
  const d = new Database(db, { readonly: true });
  try {
    return f(d);
  } finally {
    d.close();
  }
};
const aantal = (sql: string, ...p: unknown[]) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(sql).get(...p) as { n: number }).n;
  } finally {
    d.close();
  }
};

const auditregel = (tijd: string, k: number): Auditregel => ({
  tijd,
  traceId: k.toString(16).padStart(32, '0'),
  deelnemer: X,
  actie: 'bronregistratie:lezen',
  object: 'relatie',
  sleutel: ONBEKEND,
  versie: 1,
  doel: 'bronregistratie:lezen',
  uitkomst: 'verstrekt',
  status: 200,
});

/** Audit entries at these times (in order), closed. */
function audit(...tijden: string[]): void {
  const a = new Auditlog(db);
  tijden.forEach((t, k) => a.schrijf(auditregel(t, k + 1)));
  a.sluit();
}

function knoei(sql: string): void {
  const d = new Database(db);
  try {
    d.exec(sql);
  } finally {
    d.close();
  }
}

describe('the end of a record', () => {
  it('per counterpart the earliest of its toewijzing end and the object\'s end for it; the latest over counterparts; open: none', () => {
    expect(recordEinde([{ tegenpartij: X, toewijzingEinde: '2027-06-30', beeindigd: null }])).toBe('2027-06-30');
    expect(recordEinde([{ tegenpartij: X, toewijzingEinde: '2027-06-30', beeindigd: '2027-03-01' }])).toBe('2027-03-01');
    expect(recordEinde([{ tegenpartij: X, toewijzingEinde: null, beeindigd: '2027-03-01' }])).toBe('2027-03-01');
    expect(recordEinde([{ tegenpartij: X, toewijzingEinde: '2027-06-30', beeindigd: null }, { tegenpartij: Y, toewijzingEinde: '2029-01-01', beeindigd: null }])).toBe('2029-01-01');
    expect(recordEinde([{ tegenpartij: X, toewijzingEinde: '2027-06-30', beeindigd: null }, { tegenpartij: Y, toewijzingEinde: null, beeindigd: null }])).toBeNull();
    expect(recordEinde([])).toBeNull();
  });
});

describe('retention periods', () => {
  it('defaults, and never shorter than the grounds tail; audit never shorter than the longest object period', () => {
    // every object of the catalogue has a period; those without one of their own the same
    const allen = (maanden: number, eigen: Record<string, number> = {}) => ({ ...Object.fromEntries(INFORMATIEOBJECTEN.map((o) => [o.naam, maanden])), ...eigen });
    expect(bewaartermijnen(config())).toEqual({
      objecten: allen(STANDAARD_BEWAARTERMIJN_MAANDEN),
      overigMaanden: STANDAARD_BEWAARTERMIJN_MAANDEN,
      notificatieDagen: STANDAARD_NOTIFICATIE_BEWAARTERMIJN_DAGEN,
      auditMaanden: STANDAARD_AUDIT_BEWAARTERMIJN_MAANDEN,
    });
    const t = bewaartermijnen(
      config({
        informatieobjecten: { relatie: { bewaartermijnMaanden: 12 }, contactgegevens: { bewaartermijnMaanden: 120 } },
        toegang: { nalooptijdMaanden: 30 },
        notificaties: { bewaartermijnDagen: 7 },
        audit: { bewaartermijnMaanden: 1 },
      }),
    );
    expect(t).toEqual({ objecten: allen(42, { relatie: 30, contactgegevens: 120 }), overigMaanden: 120, notificatieDagen: 7, auditMaanden: 120 });
    // without a period of its own an object is kept for the tail and a year
    expect(bewaartermijnen(config({ toegang: { nalooptijdMaanden: 30 } })).objecten).toEqual(allen(42));
  });

  it('a period below the grounds tail keeps a record until the counterpart\'s grounds end', () => {
    const { weg } = vul();
    const t = bewaartermijnen(config({ informatieobjecten: { relatie: { bewaartermijnMaanden: 0 } } }));
    // ended 2027-06-30: grounds until 2029-06-30 (24 months), so still there on that day, gone the day after
    expect(schoonOp(db, t, '2029-06-30', true).perObject.relatie).toBeUndefined();
    expect(aantal('SELECT count(*) n FROM record WHERE sleutel = ?', weg)).toBe(1);
    expect(schoonOp(db, t, '2029-07-01', true).perObject.relatie?.record).toBe(1);
    expect(aantal('SELECT count(*) n FROM record WHERE sleutel = ?', weg)).toBe(0);
  });
});

describe('opschonen', () => {
  it('a dry run counts per object and per table and changes nothing', () => {
    vul();
    const d = new Database(db, { readonly: true });
    const voor = d.prepare('SELECT (SELECT count(*) FROM record) r, (SELECT count(*) FROM bezorging) b').get();
    d.close();
    const u = schoonOp(db, bewaartermijnen(config()), PEILDATUM, false);
    expect(u.uitgevoerd).toBe(false);
    expect(u.perObject).toEqual({
      relatie: { betrokkene: 0, versie: 2, vermelding: 2, verstrekking: 1, momentopname: 1, beeindiging: 0, outbox: 2, record: 1, outbox_ontvanger: 0, bezorging: 2, sleutel_alias: 0, wetloze_verstrekking: 0 },
      contactgegevens: { betrokkene: 0, versie: 1, vermelding: 1, verstrekking: 1, momentopname: 1, beeindiging: 1, outbox: 2, record: 1, outbox_ontvanger: 1, bezorging: 2, sleutel_alias: 0, wetloze_verstrekking: 0 },
    });
    // the deliveries of the records that go, and the delivered ones of the others (not the one waiting)
    const bezorgingen = aantal('SELECT count(*) n FROM bezorging');
    expect(u.perTabel).toMatchObject({ record: 2, versie: 3, outbox: 4, outbox_ontvanger: 1, bezorging: bezorgingen - 1, momentopname_bericht: 1 });
    const d2 = new Database(db, { readonly: true });
    expect(d2.prepare('SELECT (SELECT count(*) FROM record) r, (SELECT count(*) FROM bezorging) b').get()).toEqual(voor);
    d2.close();
  });

  it('removes the records past their retention with all that hangs from them; a record within retention or with an open counterpart stays', () => {
    const s = vul();
    const bestaat = (k: string) => aantal('SELECT count(*) n FROM record WHERE sleutel = ?', k) === 1;
    const ids = [s.weg, s.beeindigd].map((k) => lees((d) => (d.prepare('SELECT id FROM record WHERE sleutel = ?').get(k) as { id: number }).id));
    const u = schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    expect(u.uitgevoerd).toBe(true);
    expect(u.walGeleegd).toBe(true);
    expect([s.weg, s.binnen, s.open, s.laat, s.beeindigd].map(bestaat)).toEqual([false, true, true, true, false]);
    for (const tabel of SLEUTELTABELLEN) {
      // the history tables name a record by its id (schema v5), the rest by its Sleutel
      const metId = lees((d) => (d.pragma(`table_info(${tabel})`) as Array<{ name: string }>).some((k) => k.name === 'record'));
      expect(aantal(`SELECT count(*) n FROM ${tabel} WHERE ${metId ? 'record' : 'sleutel'} IN (?, ?)`, ...(metId ? ids : [s.weg, s.beeindigd])), tabel).toBe(0);
    }
    // only the delivery still waiting is left
    expect(aantal('SELECT count(*) n FROM bezorging')).toBe(1);
    expect(aantal("SELECT count(*) n FROM bezorging WHERE status = 'wachtend'")).toBe(1);
    expect(aantal('SELECT count(*) n FROM momentopname_bericht')).toBe(0);
    // the WAL was checkpointed and emptied, and the removed content is in no free page (secure_delete)
    expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0);
    expect(readFileSync(db).includes('MERKTEKEN')).toBe(false);
    // a second run finds nothing more
    expect(schoonOp(db, bewaartermijnen(config()), PEILDATUM, false).perTabel).toMatchObject({ record: 0, bezorging: 0 });
  });

  it('removes a kept key-only message with its outbox entry and deliveries once none of its records is left; one with a record left stays', () => {
    const s = vul();
    const b = new Bronregistratie(db);
    const bewaar = (sleutels: string[], id: string) =>
      b.transactie(() =>
        b.berichten.bewaar(
          { berichttype: 'WMO301', eigenaar: GEMEENTE, ontvanger: X, wet: 'wmo', inhoud: Buffer.from(`<Bericht>MERKTEKEN-BSN-${id}</Bericht>`), sleutels: sleutels.map((sleutel) => ({ object: 'relatie', sleutel, versie: 1 })), dagtekening: '2027-02-01', berichtIdentificatie: id },
          '2027-02-02T00:00:00.000Z',
        ),
      );
    const weg = bewaar([s.weg, s.beeindigd], 'K1');
    const blijft = bewaar([s.weg, s.binnen], 'K2');
    b.sluit();
    const n = new Notificatiestore(db);
    n.verdeel(() => [{ wachtrij: `regel:${X}`, ontvanger: X, abonnement: null }], Date.parse('2027-03-03T00:00:00Z'));
    n.sluit();
    expect(aantal('SELECT count(*) n FROM bezorging WHERE notificatie = ?', weg.notificatie)).toBe(1);
    const droog = schoonOp(db, bewaartermijnen(config()), PEILDATUM, false);
    expect(droog.perTabel.bericht).toBe(1);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    expect(aantal('SELECT count(*) n FROM bericht WHERE id = ?', weg.id)).toBe(0);
    expect(aantal('SELECT count(*) n FROM outbox WHERE id = ?', weg.notificatie)).toBe(0);
    expect(aantal('SELECT count(*) n FROM bezorging WHERE notificatie = ?', weg.notificatie)).toBe(0);
    expect(aantal('SELECT count(*) n FROM bericht WHERE id = ?', blijft.id)).toBe(1);
    expect(aantal('SELECT count(*) n FROM outbox WHERE id = ?', blijft.notificatie)).toBe(1);
    expect(readFileSync(db).includes(`MERKTEKEN-BSN-K1`)).toBe(false);
    expect(lees((d) => d.pragma('foreign_key_check'))).toEqual([]);
  });

  it('leaves no orphan rows, and every table with a sleutel column is covered', () => {
    vul();
    audit('2025-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z');
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    const d = new Database(db, { readonly: true });
    try {
      const tabellen = d.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((t) => t.name);
      const kolom = (t: string, k: string) => (d.pragma(`table_info(${t})`) as Array<{ name: string }>).some((c) => c.name === k);
      // a record is named by its Sleutel, or in its history tables by its id (schema v5)
      const metSleutel = tabellen.filter((t) => kolom(t, 'sleutel') || kolom(t, 'record'));
      expect(metSleutel.length).toBeGreaterThanOrEqual(SLEUTELTABELLEN.length);
      for (const t of metSleutel) {
        // a table with a sleutel column that retention does not know of would keep rows of removed records
        expect(t in NIET_PER_SLEUTEL || (SLEUTELTABELLEN as readonly string[]).includes(t), `table ${t} has a sleutel column but retention does not cover it`).toBe(true);
        if (t in NIET_PER_SLEUTEL || t === 'record') continue;
        const wees = kolom(t, 'record') ? 'record NOT IN (SELECT id FROM record)' : 'sleutel NOT IN (SELECT sleutel FROM record)';
        expect((d.prepare(`SELECT count(*) n FROM ${t} WHERE ${wees}`).get() as { n: number }).n, t).toBe(0);
      }
      const wees = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
      expect(wees('SELECT count(*) n FROM outbox_ontvanger WHERE id NOT IN (SELECT id FROM outbox)')).toBe(0);
      expect(wees('SELECT count(*) n FROM bezorging WHERE notificatie NOT IN (SELECT id FROM outbox)')).toBe(0);
      expect(wees('SELECT count(*) n FROM momentopname_bericht WHERE groep NOT IN (SELECT groep FROM momentopname)')).toBe(0);
      expect(d.pragma('foreign_key_check')).toEqual([]);
    } finally {
      d.close();
    }
  });
});

describe('opschonen: the audit log', () => {
  const OUD = ['2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z'];
  const NIEUW = ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'];

  beforeEach(() => {
    new Bronregistratie(db).sluit();
  });

  it('removes the entries older than the period (a prefix) and verifieer starts from the anchor', () => {
    audit(...OUD, ...NIEUW);
    // 60 months before 2031-01-01: 2026-01-01
    expect(schoonOp(db, bewaartermijnen(config()), PEILDATUM, false)).toMatchObject({ auditTot: 3, perTabel: { audit: 3 } });
    expect(aantal('SELECT count(*) n FROM audit')).toBe(6);
    expect(schoonOp(db, bewaartermijnen(config()), PEILDATUM, true).auditTot).toBe(3);
    expect(aantal('SELECT min(volgnummer) n FROM audit')).toBe(4);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 3, kop: { volgnummer: 6 }, anker: { volgnummer: 3 } });
    // the log goes on after it, and a second clean-up adds a newer anchor
    audit('2030-06-01T00:00:00.000Z');
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 4, kop: { volgnummer: 7 } });
    // 60 months before 2032-01-01: 2027-01-01, which entry 5 is not older than
    expect(schoonOp(db, bewaartermijnen(config()), '2032-01-01', true).auditTot).toBe(4);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 3, anker: { volgnummer: 4 } });
  });

  it('an entry that is not older stops the prefix, even when older ones follow it', () => {
    audit(OUD[0]!, NIEUW[0]!, OUD[1]!);
    expect(schoonOp(db, bewaartermijnen(config()), PEILDATUM, true).auditTot).toBe(1);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 2 });
  });

  it('all entries removed: the head is the anchor, and the next entry follows it', () => {
    audit(...OUD);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    expect(aantal('SELECT count(*) n FROM audit')).toBe(0);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 0, kop: { volgnummer: 3 }, anker: { volgnummer: 3 } });
    audit(NIEUW[2]!);
    expect(aantal('SELECT min(volgnummer) n FROM audit')).toBe(4);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 1, kop: { volgnummer: 4 } });
    // the head file is still needed: without it the removal of everything would be invisible
    rmSync(kopPad(db));
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'kop' });
  });

  it('ordinary deletes are still refused, also of entries after the anchor', () => {
    audit(...OUD, ...NIEUW);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    expect(() => knoei('DELETE FROM audit WHERE volgnummer = 4')).toThrow(/append-only/);
    expect(() => knoei('DELETE FROM audit_anker')).toThrow(/append-only/);
    expect(() => knoei("UPDATE audit_anker SET hash = 'x'")).toThrow(/append-only/);
    // an anchor must name an entry of the log, after the last anchor
    expect(() => knoei("INSERT INTO audit_anker VALUES (2, 'x', 'y', 't')")).toThrow(/anchor/);
    expect(() => knoei("INSERT OR REPLACE INTO audit_anker SELECT volgnummer, hash, mac, tijd FROM audit_anker")).toThrow(/anchor/);
    expect(verifieerAuditlog(db).intact).toBe(true);
  });

  it('a log made before retention (an unconditional delete trigger) can be cleaned up, and its trigger is replaced on open', () => {
    audit(...OUD, ...NIEUW);
    const OUDE_TRIGGER = "CREATE TRIGGER audit_geen_verwijdering BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";
    knoei(`DROP TRIGGER audit_geen_verwijdering; DROP TRIGGER audit_anker_volgorde; DROP TRIGGER audit_anker_geen_wijziging; DROP TRIGGER audit_anker_geen_verwijdering; DROP TABLE audit_anker; ${OUDE_TRIGGER}`);
    // opschonen puts the anchor table and the new trigger in place itself
    expect(schoonOp(db, bewaartermijnen(config()), PEILDATUM, true).auditTot).toBe(3);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: true, regels: 3, anker: { volgnummer: 3 } });
    // and so does the log when it is opened
    knoei(`DROP TRIGGER audit_geen_verwijdering; ${OUDE_TRIGGER}`);
    new Auditlog(db).sluit();
    const d = new Database(db, { readonly: true });
    expect((d.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_geen_verwijdering'").get() as { sql: string }).sql).toContain('audit_anker');
    d.close();
    expect(() => knoei('DELETE FROM audit')).toThrow(/append-only/);
  });

  it('finds a forged anchor: one inserted without the key to delete entries after the real one', () => {
    audit(...OUD, ...NIEUW);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    // the trigger lets entries at or before an anchor go: a party without the secret can insert one, as it
    // could drop the trigger, but cannot make its HMAC
    knoei(`INSERT INTO audit_anker SELECT volgnummer, hash, '${'f'.repeat(64)}', 't' FROM audit WHERE volgnummer = 5; DELETE FROM audit WHERE volgnummer <= 5;`);
    expect(aantal('SELECT count(*) n FROM audit')).toBe(1);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'anker', volgnummer: 5 });
  });

  it('finds an entry deleted after the anchor, and a removed anchor', () => {
    audit(...OUD, ...NIEUW);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    const ZONDER = 'DROP TRIGGER audit_geen_verwijdering; DROP TRIGGER audit_anker_geen_verwijdering;';
    knoei(`${ZONDER} DELETE FROM audit WHERE volgnummer = 4`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'ontbreekt', volgnummer: 4 });

    rmSync(map, { recursive: true, force: true });
    new Bronregistratie(db).sluit();
    audit(...OUD, ...NIEUW);
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    knoei(`${ZONDER} DELETE FROM audit_anker`);
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'ontbreekt', volgnummer: 1 });
  });

  it('finds a changed entry after the anchor, and an old entry put back before it', () => {
    audit(...OUD, ...NIEUW);
    const d = new Database(db, { readonly: true });
    const oud = d.prepare('SELECT * FROM audit WHERE volgnummer = 2').get() as Record<string, unknown>;
    d.close();
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    knoei("DROP TRIGGER audit_geen_wijziging; UPDATE audit SET uitkomst = 'geweigerd' WHERE volgnummer = 5");
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'gewijzigd', volgnummer: 5 });
    knoei("UPDATE audit SET uitkomst = 'verstrekt' WHERE volgnummer = 5");
    expect(verifieerAuditlog(db).intact).toBe(true);
    const w = new Database(db);
    w.prepare(`INSERT INTO audit VALUES (${Object.keys(oud).map(() => '?').join(', ')})`).run(...Object.values(oud));
    w.close();
    expect(verifieerAuditlog(db)).toMatchObject({ intact: false, soort: 'ingevoegd', volgnummer: 2 });
  });
});

describe('after a clean-up the API answers for a removed record as for an unknown one', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = maakPki();
  });
  afterAll(() => {
    rmSync(pki.map, { recursive: true, force: true });
  });

  it('the counterpart and the owner get the same bytes for a removed Sleutel as for one never given out', async () => {
    const s = vul();
    schoonOp(db, bewaartermijnen(config()), PEILDATUM, true);
    const aanbieder = pki.client('aanbieder-12345678');
    const gemeente = pki.client('gemeente-0344');
    const server = await startServer(pki, { deelnemers: { [X]: { certificaten: [aanbieder.vingerafdruk] }, [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] } } }, { vandaag: '2030-01-01', db });
    try {
      // a record that stays is still served
      expect((await server.vraag(`/bronregistraties/relatie/${s.binnen}`, { als: aanbieder })).status).toBe(200);
      for (const als of [aanbieder, gemeente]) {
        for (const [object, sleutel] of [['relatie', s.weg], ['contactgegevens', s.beeindigd]] as const) {
          const weg = await server.vraag(`/bronregistraties/${object}/${sleutel}`, { als });
          const onbekend = await server.vraag(`/bronregistraties/${object}/${ONBEKEND}`, { als });
          expect(weg.status).toBe(onbekend.status);
          expect(weg.bytes.equals(onbekend.bytes)).toBe(true);
          expect(weg.headers['content-type']).toBe(onbekend.headers['content-type']);
        }
      }
    } finally {
      await server.sluit();
    }
  });
});
