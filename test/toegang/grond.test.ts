import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { bouwBoom } from '../../src/bericht/boom.js';
import { leesKop } from '../../src/bericht/kop.js';
import { grondEinde } from '../../src/informatieobject/grondeinde.js';
import { relatie } from '../../src/informatieobject/relatie.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { grondvenster, leesbareVersies, magVersieLezen, plusMaanden, type Einde } from '../../src/toegang/grond.js';
import { leesgrond } from '../../src/toegang/grondtekst.js';
import { werkmap } from '../helpers/omzetten.js';
import { A, B, NALOOP, schrijfGeschiedenis } from '../helpers/venster.js';

/** whether the window is open on `datum` (what the read route asks, through `beoordeelGrond`) */
const heeftGrond = (vs: Parameters<typeof grondvenster>[0], deelnemer: string, datum: string, naloop: number, einden: readonly Einde[] = []) => {
  const venster = grondvenster(vs, deelnemer, naloop, einden);
  return venster !== undefined && (venster.tot === null || datum <= venster.tot);
};

const v = (tegenpartij: string, toewijzingEinde: string | null) => ({ tegenpartij, eersteDagtekening: '2027-01-01', laatsteDagtekening: '2027-01-01', toewijzingEinde });

describe('doelbinding: grounds', () => {
  it('adds months, capping the day at the end of the month', () => {
    expect(plusMaanden('2027-03-15', 24)).toBe('2029-03-15');
    expect(plusMaanden('2027-08-31', 6)).toBe('2028-02-29');
    expect(plusMaanden('2027-12-31', 1)).toBe('2028-01-31');
    expect(plusMaanden('2027-05-31', 0)).toBe('2027-05-31');
  });

  it('gives grounds to the counterpart until the toewijzing einddatum plus the tail, and to no one else', () => {
    const vs = [v('12345678', '2027-06-30')];
    expect(grondvenster(vs, '12345678', 24)?.tot).toBe('2029-06-30');
    expect(heeftGrond(vs, '12345678', '2029-06-30', 24)).toBe(true);
    expect(heeftGrond(vs, '12345678', '2029-07-01', 24)).toBe(false);
    expect(heeftGrond(vs, '87654321', '2027-01-01', 24)).toBe(false);
    expect(heeftGrond([v('12345678', null)], '12345678', '2099-01-01', 0)).toBe(true);
  });

  it('reads the toewijzing period of a 301: the latest Einddatum, open when one product is open-ended', () => {
    const xml = genereerBericht('iwmo', '301', 3, { dagtekening: '2027-01-01' });
    const root = bouwBoom(xml);
    const einden = [...xml.matchAll(/<wmo301:ToegewezenProduct>[\s\S]*?<\/wmo301:ToegewezenProduct>/g)].map((m) => /<wmo301:Einddatum>([^<]*)</.exec(m[0])?.[1]);
    const verwacht = einden.some((e) => e === undefined) ? null : einden.sort().at(-1);
    expect(grondEinde(relatie, { tekst: xml, root, kop: leesKop(xml)!, knoop: root })).toBe(verwacht);
  });

  it('is recorded per counterpart when a 301 is converted, the latest message deciding', async () => {
    const w = werkmap();
    w.schrijf('a.xml', genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 1, clientSeed: 5, afzender: '0344', ontvanger: '12345678' }));
    await w.converteer();
    const bronregistratie = new Bronregistratie(w.db);
    try {
      const sleutel = (new Database(w.db).prepare("SELECT sleutel FROM record WHERE object = 'relatie'").get() as { sleutel: string }).sleutel;
      const [vs] = bronregistratie.verstrekkingen(sleutel);
      expect(vs?.tegenpartij).toBe('12345678');
      expect(vs?.eersteDagtekening).toBe('2027-01-01');
    } finally {
      bronregistratie.sluit();
    }
  });

  it('migrates a version 1 database: grounds column added, version notes filled from the versions, the data kept', () => {
    const w = werkmap();
    const oud = new Database(w.db);
    oud.exec(`CREATE TABLE meta (sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_versie', '1');
      CREATE TABLE record (sleutel TEXT PRIMARY KEY, object TEXT NOT NULL, eigenaar TEXT NOT NULL, identiteit TEXT NOT NULL, aangemaakt TEXT NOT NULL, UNIQUE (object, eigenaar, identiteit));
      CREATE TABLE verstrekking (sleutel TEXT NOT NULL REFERENCES record(sleutel), tegenpartij TEXT NOT NULL, eerste_dagtekening TEXT NOT NULL, laatste_dagtekening TEXT NOT NULL, PRIMARY KEY (sleutel, tegenpartij));
      INSERT INTO record VALUES ('s1', 'relatie', '0344', 'h', '2027-01-01T00:00:00Z');
      INSERT INTO verstrekking VALUES ('s1', '12345678', '2027-01-01', '2027-02-01');
      CREATE TABLE versie (sleutel TEXT NOT NULL REFERENCES record(sleutel), nummer INTEGER NOT NULL, inhoud TEXT NOT NULL, inhoud_hash TEXT NOT NULL, geregistreerd TEXT NOT NULL, dagtekening TEXT NOT NULL, bericht_identificatie TEXT NOT NULL, PRIMARY KEY (sleutel, nummer));
      INSERT INTO versie VALUES ('s1', 1, '{"Nummer":"1"}', 'h1', '2027-01-01T00:00:00Z', '2027-01-01', 'B1');`);
    oud.close();
    // its identity secret, as the installation that made it had (a database with records needs its own)
    writeFileSync(`${w.db}.geheim`, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    // the law separation (v4) needs the law of what it registered: here the operator states it (one law only)
    const bronregistratie = new Bronregistratie(w.db, { wetbron: () => 'wmo' });
    try {
      expect(bronregistratie.wetVan('s1')).toBe('wmo');
      expect(bronregistratie.verstrekkingen('s1')).toEqual([{ tegenpartij: '12345678', eersteDagtekening: '2027-01-01', laatsteDagtekening: '2027-02-01', toewijzingEinde: null }]);
      expect(bronregistratie.versieOp('s1', '2027-03-01')?.inhoud).toEqual({ Nummer: '1' });
      expect(bronregistratie.versieOp('s1', '2026-12-31')).toBeUndefined();
    } finally {
      bronregistratie.sluit();
    }
  });
});

describe('doelbinding: the grounds window and the versions in it', () => {
  const vs = (toewijzingEinde: string | null) => [{ tegenpartij: '12345678', eersteDagtekening: '2027-02-01', laatsteDagtekening: '2027-03-01', toewijzingEinde }];

  it('opens at the first message and closes at the earliest of the period end and the record end, each plus the tail', () => {
    expect(grondvenster(vs('2027-06-30'), '12345678', 1)).toEqual({ van: '2027-02-01', tot: '2027-07-30' });
    // the record ended for it on 2027-04-01: that end comes first
    expect(grondvenster(vs('2027-06-30'), '12345678', 1, [{ tegenpartij: '12345678', dagtekening: '2027-04-01' }])).toEqual({ van: '2027-02-01', tot: '2027-05-01' });
    // an end for another counterpart is not its end
    expect(grondvenster(vs('2027-06-30'), '12345678', 1, [{ tegenpartij: '87654321', dagtekening: '2027-04-01' }])).toEqual({ van: '2027-02-01', tot: '2027-07-30' });
    // open-ended toewijzing: only the record's end closes it
    expect(grondvenster(vs(null), '12345678', 0)).toEqual({ van: '2027-02-01', tot: null });
    expect(grondvenster(vs(null), '12345678', 0, [{ tegenpartij: '12345678', dagtekening: '2027-04-01' }])).toEqual({ van: '2027-02-01', tot: '2027-04-01' });
    expect(grondvenster(vs(null), '87654321', 0)).toBeUndefined();
    expect(heeftGrond(vs(null), '12345678', '2027-04-02', 0, [{ tegenpartij: '12345678', dagtekening: '2027-04-01' }])).toBe(false);
  });

  it('gives a party the versions current at some moment of its window: not those only sent to another before it, not those after it', () => {
    const w = werkmap();
    const bronregistratie = new Bronregistratie(w.db);
    try {
      const sleutel = schrijfGeschiedenis(bronregistratie, '999990019');
      expect([...leesbareVersies(bronregistratie, sleutel, A, '2027-04-15', NALOOP)!]).toEqual([3, 4, 5]);
      expect(magVersieLezen(bronregistratie, sleutel, A, 2, '2027-04-15', NALOOP)).toBe(false);
      expect(magVersieLezen(bronregistratie, sleutel, A, 6, '2027-04-15', NALOOP)).toBe(false);
      // B received it from the start: every version
      expect([...leesbareVersies(bronregistratie, sleutel, B, '2027-04-15', NALOOP)!]).toEqual([1, 2, 3, 4, 5, 6]);
      // after its window A reads nothing
      expect(leesbareVersies(bronregistratie, sleutel, A, '2027-07-31', NALOOP)).toBeUndefined();
    } finally {
      bronregistratie.sluit();
    }
  });

  it('shortens the window when the record ended for the party', () => {
    const w = werkmap();
    const bronregistratie = new Bronregistratie(w.db);
    try {
      const sleutel = schrijfGeschiedenis(bronregistratie, '999990020', { beeindigd: true });
      expect(bronregistratie.beeindigingen(sleutel)).toEqual([{ tegenpartij: A, dagtekening: '2027-04-01', berichtIdentificatie: 'A2' }]);
      // closes on 2027-05-01 (the end plus one month): v5 of 2027-05-15 falls outside
      expect([...leesbareVersies(bronregistratie, sleutel, A, '2027-04-15', NALOOP)!]).toEqual([3, 4]);
      expect(leesbareVersies(bronregistratie, sleutel, A, '2027-05-02', NALOOP)).toBeUndefined();
      // the end for A is not B's
      expect([...leesbareVersies(bronregistratie, sleutel, B, '2027-05-02', NALOOP)!]).toEqual([1, 2, 3, 4, 5, 6]);
      // the audit text states the window the verdict applied (the shortened one), not the toewijzing's
      expect(leesgrond(bronregistratie, 'relatie', sleutel, '0344', A, '2027-05-02', NALOOP)).toBe('verstrekking via 301 van 2027-02-01, venster tot 2027-05-01 (verlopen)');
      expect(leesgrond(bronregistratie, 'relatie', sleutel, '0344', B, '2027-05-02', NALOOP)).toBe('verstrekking via 301 van 2027-01-01 tot en met 2027-09-01, venster tot 2028-01-31');
      expect(leesgrond(bronregistratie, 'relatie', sleutel, '0344', '0344', '2027-05-02', NALOOP)).toBe('eigenaar: eigen record');
    } finally {
      bronregistratie.sluit();
    }
  });
});
