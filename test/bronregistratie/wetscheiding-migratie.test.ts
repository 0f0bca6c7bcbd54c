/**
 * The migration of a schema v3 database (as netwerkbrug before the law separation writes it) to v4: records
 * whose messages came under both laws are split, Sleutels handed out keep resolving within their law (aliases),
 * grounds follow the law of the messages, nothing is lost, and the summary holds counts only.
 *
 * The v3 database is written the way v3 writes it: the v3 DDL (fixtures/schema-v3.sql, copied from that
 * commit), the v3 identity hash (the law-free hash, unchanged since v3) and the unchanged v3 parts of the store
 * (tijdlijn.ts as fixtures/tijdlijn-v4.ts, outbox.ts; verstrekking.ts's v3 statement copied), in the order v3's `registreer` and `beeindigOntbrekende` call them.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geheimBestand, verificatieVan } from '../../src/bronregistratie/geheim.js';
import { identiteitHashZonderWet } from '../../src/bronregistratie/identiteit.js';
import { Personenindex } from '../../src/bronregistratie/inzage.js';
import { Outboxschrijver } from '../../src/bronregistratie/outbox.js';
import { SCHEMA_VERSIE } from '../../src/bronregistratie/schema.js';
import { Bronregistratie, inhoudTekst } from '../../src/bronregistratie/store.js';
import { Tijdlijn } from './fixtures/tijdlijn-v4.js';
import { wetscheidingTekst, type Wetbron } from '../../src/bronregistratie/wetscheiding.js';
import { GrondOplosser } from '../../src/rehydreren/grondoplosser.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { AndereWetFout } from '../../src/rehydreren/oplosser.js';
import { netwerkbrug } from '../helpers/cli.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const A = '11111111'; // Wmo aanbieder
const B = '22222222'; // Jeugdwet aanbieder
const D = '44444444'; // a counterpart of a message whose law is not known
const BSN = '999993653';
const BSN2 = '999977271';

interface V3Bericht {
  dagtekening: string;
  id: string;
  tegenpartij: string;
  bsn: string;
  relaties: Record<string, unknown>;
  contact?: unknown;
}

/** The messages of the scenario, in the order they were converted; their law is known from the archive only. */
const BERICHTEN: V3Bericht[] = [
  { dagtekening: '2027-01-01', id: 'W1', tegenpartij: A, bsn: BSN, relaties: { '1': { Nummer: '1', Naam: 'a' } }, contact: { Contact: 'c1' } },
  { dagtekening: '2027-01-15', id: 'U1', tegenpartij: D, bsn: BSN2, relaties: { '1': { Nummer: '1', Naam: 'u' } } },
  { dagtekening: '2027-02-01', id: 'J1', tegenpartij: B, bsn: BSN, relaties: { '1': { Nummer: '1', Naam: 'b' } }, contact: { Contact: 'c1' } },
  { dagtekening: '2027-03-01', id: 'W2', tegenpartij: A, bsn: BSN, relaties: { '1': { Nummer: '1', Naam: 'a' } } },
];
const WET: Record<string, 'wmo' | 'jeugdwet'> = { W1: 'wmo', W2: 'wmo', J1: 'jeugdwet' };
const wetbron: Wetbron = (b) => (b.eigenaar === GEMEENTE ? WET[b.berichtIdentificatie] : undefined);

/** Writes a v3 database as v3's store does (see the file's comment). */
function schrijfV3(pad: string, geheim: Buffer): void {
  const db = new Database(pad);
  db.pragma('foreign_keys = ON');
  db.exec(readFileSync(join(import.meta.dirname, 'fixtures', 'schema-v3.sql'), 'utf8'));
  db.prepare('INSERT INTO meta VALUES (?, ?)').run('schema_versie', '3');
  db.prepare('INSERT INTO meta VALUES (?, ?)').run('identiteitsgeheim_verificatie', verificatieVan(geheim));
  const tijdlijn = new Tijdlijn(db);
  // v3's Verstrekkingen.legVast (verstrekking.ts at that commit)
  const leg = db.prepare(
    `INSERT INTO verstrekking (sleutel, tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sleutel, tegenpartij) DO UPDATE SET
       eerste_dagtekening = min(eerste_dagtekening, excluded.eerste_dagtekening),
       toewijzing_einde = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
         THEN excluded.toewijzing_einde ELSE toewijzing_einde END,
       laatste_bericht_identificatie = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
         THEN excluded.laatste_bericht_identificatie ELSE laatste_bericht_identificatie END,
       laatste_dagtekening = max(laatste_dagtekening, excluded.laatste_dagtekening)`,
  );
  const outbox = new Outboxschrijver(db);
  const zoek = db.prepare<[string, string, string], { sleutel: string }>('SELECT sleutel FROM record WHERE object = ? AND eigenaar = ? AND identiteit = ?');
  const nieuw = db.prepare('INSERT INTO record (sleutel, object, eigenaar, identiteit, aangemaakt) VALUES (?, ?, ?, ?, ?)');
  const inGroep = db.prepare('INSERT OR IGNORE INTO momentopname VALUES (?, ?)');
  let klok = 0;
  const nu = () => `2027-06-01T00:00:${String(klok++).padStart(2, '0')}.000Z`;
  for (const b of BERICHTEN) {
    db.transaction(() => {
      const p = { dagtekening: b.dagtekening, berichtIdentificatie: b.id, tegenpartij: b.tegenpartij, toewijzingEinde: null };
      const objecten: Array<{ object: string; identiteit: string[]; inhoud: unknown }> = [
        ...Object.entries(b.relaties).map(([n, inhoud]) => ({ object: 'relatie', identiteit: [b.bsn, n], inhoud })),
        ...(b.contact ? [{ object: 'contactgegevens', identiteit: [b.bsn], inhoud: b.contact }] : []),
      ];
      const aanwezig: Record<string, string[]> = { relatie: [], contactgegevens: [] };
      for (const o of objecten) {
        const t = nu();
        const identiteit = identiteitHashZonderWet(geheim, o.object, GEMEENTE, o.identiteit);
        const tekst = inhoudTekst(o.inhoud);
        const hash = createHash('sha256').update(tekst).digest('hex');
        let sleutel = zoek.get(o.object, GEMEENTE, identiteit)?.sleutel;
        const nieuweSleutel = !sleutel;
        if (!sleutel) {
          sleutel = randomUUID();
          nieuw.run(sleutel, o.object, GEMEENTE, identiteit, t);
        }
        leg.run(sleutel, p.tegenpartij, p.dagtekening, p.dagtekening, p.toewijzingEinde, p.berichtIdentificatie);
        const u = nieuweSleutel ? tijdlijn.begin(sleutel, p, tekst, hash, t) : tijdlijn.plaats(sleutel, p, tekst, hash, t, tijdlijn.zoekPlek(sleutel, p));
        if (u.actueel) outbox.schrijf({ sleutel, object: o.object, eigenaar: GEMEENTE, versie: u.versie, soort: nieuweSleutel ? 'aangemaakt' : 'gewijzigd' }, t);
        const groep = identiteitHashZonderWet(geheim, `${o.object}#groep`, GEMEENTE, [b.bsn]);
        inGroep.run(groep, sleutel);
        if (tijdlijn.eindstand(sleutel, groep, b.tegenpartij)) outbox.schrijf({ sleutel, object: o.object, eigenaar: GEMEENTE, versie: tijdlijn.actueel(sleutel)!, soort: 'beeindigd', alleenVoor: b.tegenpartij }, t);
        aanwezig[o.object]!.push(sleutel);
      }
      // the snapshot ends, for this counterpart, what it no longer carries (v3's beeindigOntbrekende)
      for (const object of ['relatie', 'contactgegevens']) {
        const groep = identiteitHashZonderWet(geheim, `${object}#groep`, GEMEENTE, [b.bsn]);
        if (!tijdlijn.momentopname(groep, b.tegenpartij, p)) continue;
        for (const s of tijdlijn.kandidaten(groep, b.tegenpartij, p)) {
          if (aanwezig[object]!.includes(s) || !tijdlijn.eindstand(s, groep, b.tegenpartij)) continue;
          outbox.schrijf({ sleutel: s, object, eigenaar: GEMEENTE, versie: tijdlijn.actueel(s)!, soort: 'beeindigd', alleenVoor: b.tegenpartij }, nu());
        }
      }
    })();
  }
  db.close();
}

/** A v3 database at `pad` with its secret file beside it (as v3 made them); gives the secret. */
function maakV3(pad: string): Buffer {
  const geheim = randomBytes(32);
  writeFileSync(geheimBestand(pad), geheim.toString('hex') + '\n', { mode: 0o600 });
  schrijfV3(pad, geheim);
  return geheim;
}

const rijen = (pad: string, sql: string) => {
  const db = new Database(pad, { readonly: true });
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

let map: string;
let pad: string;
let voor: { relatie: string; contact: string; onbekend: string; outbox: Array<Record<string, unknown>> };
let pki: Pki;
let gemeente: Certificaat, a: Certificaat, b: Certificaat, d: Certificaat;
let server: Testserver | undefined;

beforeAll(() => {
  map = mkdtempSync(join(tmpdir(), 'nb-wetscheiding-'));
  pad = join(map, 'bron.db');
  const geheim = maakV3(pad);
  const sleutelVan = (object: string, bsn: string, delen: string[]) =>
    rijen(pad, `SELECT sleutel FROM record WHERE object = '${object}' AND identiteit = '${identiteitHashZonderWet(geheim, object, GEMEENTE, [bsn, ...delen])}'`)[0]!.sleutel as string;
  voor = {
    relatie: sleutelVan('relatie', BSN, ['1']),
    contact: sleutelVan('contactgegevens', BSN, []),
    onbekend: sleutelVan('relatie', BSN2, ['1']),
    outbox: rijen(pad, 'SELECT id, sleutel, versie, soort FROM outbox ORDER BY volgnummer'),
  };
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  a = pki.client('aanbieder-a');
  b = pki.client('aanbieder-b');
  d = pki.client('aanbieder-d');
});

afterAll(async () => {
  await server?.sluit();
  rmSync(map, { recursive: true, force: true });
});

describe('the v3 database as v3 wrote it', () => {
  it('holds one Relatie record for both laws, with the Jeugdwet version readable by the Wmo aanbieder (the finding)', () => {
    expect(rijen(pad, 'SELECT count(*) n FROM record')[0]!.n).toBe(3);
    expect(rijen(pad, `SELECT nummer, inhoud FROM versie WHERE sleutel = '${voor.relatie}' ORDER BY nummer`).map((r) => JSON.parse(r.inhoud as string).Naam)).toEqual(['a', 'b', 'a']);
    expect(rijen(pad, `SELECT tegenpartij FROM verstrekking WHERE sleutel = '${voor.relatie}' ORDER BY tegenpartij`).map((r) => r.tegenpartij)).toEqual([A, B]);
  });
});

describe('opening it with v4 code without a law source', () => {
  it('without a law source is refused in one sentence, and changes nothing', () => {
    const tabellen = () => rijen(pad, "SELECT name FROM sqlite_master ORDER BY name").map((r) => r.name);
    const voor = tabellen();
    expect(() => new Bronregistratie(pad)).toThrow(/before the law separation .* nothing was changed\. Run `netwerkbrug bron wetscheiding/);
    expect(rijen(pad, "SELECT waarde FROM meta WHERE sleutel = 'schema_versie'")[0]!.waarde).toBe('3');
    expect(tabellen()).toEqual(voor);
  });
});

describe('opening it with v4 code', () => {
  let bronregistratie: Bronregistratie;
  beforeAll(() => {
    bronregistratie = new Bronregistratie(pad, { wetbron });
  });
  afterAll(() => bronregistratie.sluit());

  it('migrates in one go and reports what it split, counts only', () => {
    const m = bronregistratie.migratie!;
    expect(m).toMatchObject({ van: 3, naar: SCHEMA_VERSIE });
    expect(m.wetscheiding).toEqual({
      wetbron: 'opgegeven',
      records: 3,
      perWet: { wmo: 2, jeugdwet: 2 },
      gesplitst: 2,
      aliassen: 4,
      zonderWet: 1,
      berichtenZonderWet: 1,
      versies: { voor: 5, na: 5 },
      verstrekkingenZonderWet: 0,
      // the client of the message of unknown law: its two snapshot groups (relatie, contactgegevens)
      momentopnamenZonderWet: 2,
    });
    const tekst = wetscheidingTekst(m.wetscheiding!);
    expect(tekst).toMatch(/2 split in two/);
    expect(tekst).toMatch(/1 record\(s\) of unknown law/);
    expect(tekst).toMatch(/2 snapshot message\(s\) of unknown law kept inert/);
    // no Sleutel, BSN or content in what is printed
    for (const verboden of [voor.relatie, voor.contact, voor.onbekend, BSN, BSN2, 'c1']) expect(tekst).not.toContain(verboden);
    expect(rijen(pad, "SELECT waarde FROM meta WHERE sleutel = 'schema_versie'")[0]!.waarde).toBe(String(SCHEMA_VERSIE));
  });

  it('keeps the original Sleutel with the law of the first message and gives the other law a new, unrelated one', () => {
    expect(bronregistratie.wetVan(voor.relatie)).toBe('wmo');
    expect(bronregistratie.wetVan(voor.contact)).toBe('wmo');
    const jw = bronregistratie.zoekSleutel('jeugdwet', 'relatie', GEMEENTE, [BSN, '1'])!;
    expect(jw).toBeDefined();
    expect(jw).not.toBe(voor.relatie);
    // the re-keyed identity finds each law's record for the next message of that law
    expect(bronregistratie.zoekSleutel('wmo', 'relatie', GEMEENTE, [BSN, '1'])).toBe(voor.relatie);
    expect(bronregistratie.zoekSleutel('wmo', 'contactgegevens', GEMEENTE, [BSN])).toBe(voor.contact);
    expect(bronregistratie.wetVan(jw)).toBe('jeugdwet');
    // the unknown law's record: kept, owner only, found by no new message
    expect(bronregistratie.wetVan(voor.onbekend)).toBeNull();
    expect(bronregistratie.zoekSleutel('wmo', 'relatie', GEMEENTE, [BSN2, '1'])).toBeUndefined();
    expect(bronregistratie.verstrekkingen(voor.onbekend)).toEqual([]);
  });

  it('gives each law its own versions, renumbered, and its own grounds; nothing is lost', () => {
    const jw = bronregistratie.zoekSleutel('jeugdwet', 'relatie', GEMEENTE, [BSN, '1'])!;
    // Wmo: W1 and W2 carried the same content, one version once the Jeugdwet message between them is gone
    expect(bronregistratie.versienummers(voor.relatie)).toEqual([1]);
    expect((bronregistratie.versie(voor.relatie)!.inhoud as { Naam: string }).Naam).toBe('a');
    expect(bronregistratie.versieOp(voor.relatie, '2027-02-15')!.inhoud).toEqual({ Nummer: '1', Naam: 'a' });
    expect(bronregistratie.versienummers(jw)).toEqual([1]);
    expect(bronregistratie.versie(jw)!.inhoud).toEqual({ Nummer: '1', Naam: 'b' });
    expect(bronregistratie.verstrekkingen(voor.relatie).map((v) => v.tegenpartij)).toEqual([A]);
    expect(bronregistratie.verstrekkingen(jw).map((v) => v.tegenpartij)).toEqual([B]);
    expect(bronregistratie.verstrekkingen(voor.relatie)[0]).toMatchObject({ eersteDagtekening: '2027-01-01', laatsteDagtekening: '2027-03-01' });
    // every message note is kept, in its law's record
    const notities = rijen(pad, 'SELECT r.wet, m.bericht_identificatie id FROM vermelding m JOIN record r ON r.id = m.record ORDER BY id');
    expect(notities.map((n) => `${n.id}:${n.wet ?? '?'}`)).toEqual(['J1:jeugdwet', 'J1:jeugdwet', 'U1:?', 'W1:wmo', 'W1:wmo', 'W2:wmo']);
    // the end of the contactgegevens for A (W2 lacked them) stays with the Wmo record
    const jwContact = bronregistratie.zoekSleutel('jeugdwet', 'contactgegevens', GEMEENTE, [BSN])!;
    expect(bronregistratie.beeindigingen(voor.contact).map((e) => e.tegenpartij)).toEqual([A]);
    expect(bronregistratie.beeindigingen(jwContact)).toEqual([]);
    // aliases: the counterpart that got the old Sleutel under the other law, and the owner
    expect(rijen(pad, 'SELECT tegenpartij FROM sleutel_alias ORDER BY sleutel, tegenpartij').map((r) => r.tegenpartij).sort()).toEqual([GEMEENTE, GEMEENTE, B, B].sort());
  });

  it('resolves the old Sleutel in a rehydration by the message\'s law, for the owner and for the holder only', async () => {
    const lokaal = new LokaleOplosser(bronregistratie);
    const verzoek = { object: 'relatie', eigenaar: GEMEENTE, sleutel: voor.relatie };
    // the owner's own archived messages: each law's record
    expect((await lokaal.los({ ...verzoek, wet: 'wmo' }))?.inhoud).toEqual({ Nummer: '1', Naam: 'a' });
    expect((await lokaal.los({ ...verzoek, wet: 'jeugdwet' }))?.inhoud).toEqual({ Nummer: '1', Naam: 'b' });
    // the unknown law's record: its owner still reads it
    expect((await lokaal.los({ ...verzoek, sleutel: voor.onbekend, wet: 'wmo' }))?.inhoud).toEqual({ Nummer: '1', Naam: 'u' });
    const als = (deelnemer: string) => new GrondOplosser(lokaal, bronregistratie, deelnemer, '2027-04-01', 24);
    expect((await als(B).los({ ...verzoek, wet: 'jeugdwet' }))?.inhoud).toEqual({ Nummer: '1', Naam: 'b' });
    expect((await als(A).los({ ...verzoek, wet: 'wmo' }))?.inhoud).toEqual({ Nummer: '1', Naam: 'a' });
    // A never got it under the Jeugdwet: refused across laws; D has no grounds on the unknown law's record
    await expect(als(A).los({ ...verzoek, wet: 'jeugdwet' })).rejects.toBeInstanceOf(AndereWetFout);
    expect(await als(D).los({ ...verzoek, sleutel: voor.onbekend, wet: 'wmo' })).toBeUndefined();
  });

  it('assigns every outbox row to the law of the message that caused it, with its new version number', () => {
    const jw = bronregistratie.zoekSleutel('jeugdwet', 'relatie', GEMEENTE, [BSN, '1'])!;
    const na = new Map(rijen(pad, 'SELECT id, sleutel, versie, soort FROM outbox').map((r) => [r.id, r]));
    expect(na.size).toBe(voor.outbox.length);
    const relatie = voor.outbox.filter((o) => o.sleutel === voor.relatie).map((o) => na.get(o.id)!);
    expect(relatie.map((o) => [o.sleutel === jw ? 'jeugdwet' : 'wmo', o.versie, o.soort])).toEqual([
      ['wmo', 1, 'aangemaakt'],
      ['jeugdwet', 1, 'gewijzigd'],
      ['wmo', 1, 'gewijzigd'],
    ]);
  });
});

describe('over HTTP after the migration', () => {
  beforeAll(async () => {
    server = await startServer(
      pki,
      {
        deelnemers: {
          [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] },
          [A]: { certificaten: [a.vingerafdruk] },
          [B]: { certificaten: [b.vingerafdruk] },
          [D]: { certificaten: [d.vingerafdruk] },
        },
      },
      { db: pad },
    );
  });

  it('the old Sleutel answers each counterpart with its own law\'s record only', async () => {
    const s = server!;
    const url = (sleutel: string, q = '') => `/bronregistraties/relatie/${sleutel}${q}`;
    const wmo = await s.vraag(url(voor.relatie), { als: a });
    expect(wmo.status).toBe(200);
    expect(wmo.json()).toMatchObject({ sleutel: voor.relatie, wet: 'wmo', versie: 1, inhoud: { Naam: 'a' }, versies: [1] });
    // A no longer reads the version that came in under the Jeugdwet, by date or by number
    expect((await s.vraag(url(voor.relatie, '?peildatum=2027-02-15'), { als: a })).json().inhoud.Naam).toBe('a');
    expect((await s.vraag(url(voor.relatie, '?versie=2'), { als: a })).status).toBe(403);
    // B holds the same old Sleutel: it answers with the Jeugdwet record (the alias)
    const jw = await s.vraag(url(voor.relatie), { als: b });
    expect(jw.status).toBe(200);
    expect(jw.json()).toMatchObject({ sleutel: voor.relatie, wet: 'jeugdwet', inhoud: { Naam: 'b' } });
    // never across laws
    expect((await s.vraag(url(voor.relatie, '?wet=jeugdwet'), { als: a })).status).toBe(403);
    expect((await s.vraag(url(voor.relatie, '?wet=wmo'), { als: b })).status).toBe(403);
    const nieuw = (jw.json() as { sleutel: string }).sleutel;
    expect(nieuw).toBe(voor.relatie);
    // the unknown law's record: its owner only
    expect((await s.vraag(url(voor.onbekend), { als: d })).status).toBe(403);
    const eigen = await s.vraag(url(voor.onbekend), { als: gemeente });
    expect(eigen.status).toBe(200);
    expect(eigen.json().wet).toBeNull();
  });

  it('the Jeugdwet record\'s own Sleutel is B\'s, never A\'s', async () => {
    const s = server!;
    const bronregistratie = new Bronregistratie(pad, { alleenLezen: true });
    const jw = bronregistratie.zoekSleutel('jeugdwet', 'relatie', GEMEENTE, [BSN, '1'])!;
    bronregistratie.sluit();
    expect((await s.vraag(`/bronregistraties/relatie/${jw}`, { als: b })).status).toBe(200);
    expect((await s.vraag(`/bronregistraties/relatie/${jw}`, { als: a })).status).toBe(403);
  });
});

describe('netwerkbrug bron wetscheiding ARCHIEF', () => {
  it('takes the law of each message from the archive the database was built from, migrates, and prints counts only', () => {
    const m = mkdtempSync(join(tmpdir(), 'nb-wetscheiding-cli-'));
    try {
      const db = join(m, 'bron.db');
      maakV3(db);
      // the archive: the headers of the messages (the law is in the namespace); U1 is not in it
      const archief = join(m, 'archief');
      mkdirSync(archief);
      for (const b of BERICHTEN.filter((x) => WET[x.id])) {
        const [p, ns] = WET[b.id] === 'wmo' ? ['wmo301', 'http://www.istandaarden.nl/iwmo/3_2/wmo301/schema'] : ['jw301', 'http://www.istandaarden.nl/ijw/3_2/jw301/schema'];
        writeFileSync(
          join(archief, `${b.id}.xml`),
          `<${p}:Bericht xmlns:${p}="${ns}"><${p}:Header><${p}:Afzender>${GEMEENTE}</${p}:Afzender><${p}:Ontvanger>${b.tegenpartij}</${p}:Ontvanger>` +
            `<${p}:BerichtIdentificatie><${p}:Identificatie>${b.id}</${p}:Identificatie><${p}:Dagtekening>${b.dagtekening}</${p}:Dagtekening></${p}:BerichtIdentificatie></${p}:Header></${p}:Bericht>`,
        );
      }
      const r = netwerkbrug(['bron', 'wetscheiding', archief, '--db', db]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/3 message\(s\) read from the archive/);
      expect(r.stderr).toMatch(/3 record\(s\) checked: 2 under the Wmo, 2 under the Jeugdwet; 2 split in two \(2 new Sleutel\(s\), 4 alias\(es\)/);
      expect(r.stderr).toMatch(/1 record\(s\) of unknown law/);
      expect(r.stderr).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/);
      expect(r.stderr).not.toContain(BSN);
      expect(rijen(db, "SELECT waarde FROM meta WHERE sleutel = 'schema_versie'")[0]!.waarde).toBe(String(SCHEMA_VERSIE));
      // a second run finds nothing to do
      expect(netwerkbrug(['bron', 'wetscheiding', archief, '--db', db]).stderr).toMatch(/already separated by law/);
    } finally {
      rmSync(m, { recursive: true, force: true });
    }
  });
});

describe('a v3 database whose person index was complete already', () => {
  it('keeps the person index complete: the record split off for the other law is found by inzage', () => {
    const m = mkdtempSync(join(tmpdir(), 'nb-wetscheiding-index-'));
    try {
      const db = join(m, 'bron.db');
      const geheim = maakV3(db);
      // the index as a build between v3 and the law separation made it: every record noted, marked complete
      const v3 = new Database(db);
      // the index as that build made it (keyed by the Sleutel; the person's hash is unchanged since)
      v3.exec('CREATE TABLE betrokkene (persoon TEXT NOT NULL, sleutel TEXT NOT NULL REFERENCES record(sleutel), PRIMARY KEY (persoon, sleutel)) WITHOUT ROWID');
      const personen = new Personenindex(new Database(':memory:'), geheim, 'object');
      const noteer = (identiteit: string[], object: string) =>
        v3.prepare('INSERT OR IGNORE INTO betrokkene SELECT ?, sleutel FROM record WHERE identiteit = ?').run(personen.persoon(GEMEENTE, identiteit[0]!), identiteitHashZonderWet(geheim, object, GEMEENTE, identiteit));
      for (const b of BERICHTEN) {
        for (const n of Object.keys(b.relaties)) noteer([b.bsn, n], 'relatie');
        if (b.contact) noteer([b.bsn], 'contactgegevens');
      }
      v3.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run('stap_inzage_index', 'volledig');
      v3.close();

      const bronregistratie = new Bronregistratie(db, { wetbron });
      try {
        expect(bronregistratie.migratie?.wetscheiding?.gesplitst).toBe(2);
        // BSN: a Relatie and contactgegevens, each split in two (Wmo, Jeugdwet): four records, all found
        const gevonden = bronregistratie.sleutelsVanPersoon(BSN, GEMEENTE);
        expect(gevonden).toHaveLength(4);
        expect(new Set(gevonden.map((s) => bronregistratie.wetVan(s)))).toEqual(new Set(['wmo', 'jeugdwet']));
      } finally {
        bronregistratie.sluit();
      }
    } finally {
      rmSync(m, { recursive: true, force: true });
    }
  });
});
