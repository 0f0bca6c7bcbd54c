/**
 * The levering: the StartProduct of a 305 and the StopProduct of a 307, owned by the aanbieder (the Afzender),
 * given to the gemeente (the Ontvanger), echoed in the 306 and 308. Composed examples (fixtures/referentie: one
 * start, its stop, and a retour on each), in iWmo and translated to iJw (`naarIjw`, as the conformance tests
 * do), through convert, rehydrate, the grounds and the notifications.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BERICHT_TYPES } from '../../src/bericht/catalogus.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { Outboxlezer } from '../../src/bronregistratie/outbox.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { notificatietype } from '../../src/notificaties/catalogus.js';
import { alsCloudEvent, alsIwlz, maakNotificatie } from '../../src/notificaties/vorm.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { naarIjw } from '../conformance/gevallen.js';
import { libxml2Geldig } from '../conformance/orakels.js';
import { register } from '../helpers/omzetten.js';
import { GEPUBLICEERD, ORAKEL, referentie } from '../helpers/paden.js';
import { c14n, rehydreer } from '../helpers/rehydreren.js';

const AANBIEDER = '98001234';
const GEMEENTE = '0344';
const BSN = '999912343';

type Standaard = 'iwmo' | 'ijw';
type Nummer = '305' | '306' | '307' | '308';
const BESTAND: Record<Nummer, string> = { '305': 'WMO305_start', '306': 'WMO306_retour_afgekeurd', '307': 'WMO307_stop', '308': 'WMO308_retour_afgekeurd' };

/** A composed example in a standard: the iWmo file, or its iJw translation. */
function bericht(standaard: Standaard, nummer: Nummer): string {
  const tekst = readFileSync(referentie(BESTAND[nummer]), 'utf8');
  if (standaard === 'iwmo') return tekst;
  return naarIjw(tekst, BERICHT_TYPES.find((t) => t.standaard === 'iwmo' && t.nummer === nummer)!);
}
const naam = (standaard: Standaard, nummer: Nummer) => `${standaard === 'iwmo' ? 'WMO' : 'JW'}${nummer}`;

/** The levering's cutover dates: `na` from 2025-01-01 unless said otherwise. */
const config = (plan: { sleutelVanaf: string; einddatum: string } = { sleutelVanaf: '2024-07-01', einddatum: '2025-01-01' }) =>
  leesConfig({ deelnemer: { code: AANBIEDER }, informatieobjecten: { levering: plan } });

const nieuweDb = () => new Bronregistratie(join(mkdtempSync(join(tmpdir(), 'nb-levering-')), 'bron.db'));

function zetOm(tekst: string, bronregistratie: Bronregistratie, c = config()) {
  const u = verwerkUitgaand(Buffer.from(tekst), { config: c, register, bronregistratie, bestand: 'levering.xml' });
  if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
  return { ...u, tekst: u.uitvoer.toString('utf8'), object: u.uitkomst.objecten[0]! };
}

/** A message with another BerichtIdentificatie and Dagtekening, and optionally other text. */
const opnieuw = (tekst: string, identificatie: string, dagtekening: string) =>
  tekst.replace(/(:Identificatie>)[^<]*(<)/, `$1${identificatie}$2`).replace(/(:Dagtekening>)[^<]*(<)/, `$1${dagtekening}$2`);

/** The published XSD judges the text valid (the oracle; iWmo retours are not published, so their iJw twin is judged). */
const geldigGepubliceerd = (standaard: Standaard, nummer: Nummer, tekst: string) =>
  libxml2Geldig(join(GEPUBLICEERD, `${standaard}-3.2`, 'xsd', `${naam(standaard, nummer)}.xsd`), tekst);

describe.each(['iwmo', 'ijw'] as const)('levering in %s', (standaard) => {
  // naarIjw keeps the prefixes: only the namespaces and codes change
  const p = (n: Nummer) => `wmo${n}`;

  describe.each([
    ['305', '306', 'StartProduct', ['StatusAanlevering']],
    ['307', '308', 'StopProduct', ['RedenBeeindiging', 'Einddatum', 'StatusAanlevering']],
  ] as const)('the %s and its retour %s', (heen, retour, element, weg) => {
    const bron = nieuweDb();
    const origineel = bericht(standaard, heen);
    let sleutel: string;

    it('convert (na): the identifying children and the Sleutel stay, what the aanbieder states goes; valid against the keyed schema', () => {
      const u = zetOm(origineel, bron);
      expect(u.object).toMatchObject({ object: 'levering', rol: 'bron', fase: 'na', nieuweSleutel: true });
      sleutel = u.object.sleutel!;
      expect(u.tekst).toMatch(
        new RegExp(`<${p(heen)}:Begindatum>2025-03-12</${p(heen)}:Begindatum>\\s*<${p(heen)}:Sleutel>${sleutel}</${p(heen)}:Sleutel>\\s*</${p(heen)}:${element}>`),
      );
      expect(u.tekst).toContain(`<${p(heen)}:ToewijzingNummer>7000123<`);
      for (const w of weg) expect(u.tekst).not.toContain(`<${p(heen)}:${w}>`);
      // the rest of the message travels: the Client is no part of the levering
      expect(u.tekst).toContain(`<${p(heen)}:Bsn>${BSN}<`);
      const v = valideerBericht(u.uitvoer, 'uit.xml', register);
      expect(v.geldig && v.bericht.schema.variant).toBe('sleutel');
      // the aanbieder's record, given to the gemeente
      expect(bron.versie(sleutel)).toMatchObject({ object: 'levering', eigenaar: AANBIEDER });
      expect(bron.sleutelsVanPersoon(BSN, AANBIEDER)).toContain(sleutel);
    });

    it('rehydrate: the keyed message becomes the message that was sent, byte for byte', async () => {
      const u = zetOm(origineel, bron);
      const r = await rehydreer(u.tekst, config(), bron);
      expect(r.tekst).toBe(origineel);
      expect(c14n(r.tekst)).toBe(c14n(origineel));
      expect(r.objecten).toEqual([expect.objectContaining({ object: 'levering', vorm: 'sleutel', sleutel })]);
    });

    it.skipIf(!ORAKEL)('the message and its rehydration are valid against the published XSD (the oracle)', async () => {
      const r = await rehydreer(zetOm(origineel, bron).tekst, config(), bron);
      expect(geldigGepubliceerd(standaard, heen, origineel)).toBe(true);
      expect(geldigGepubliceerd(standaard, heen, r.tekst)).toBe(true);
      // and the keyed message is not: it is in its own namespace
      expect(geldigGepubliceerd(standaard, heen, zetOm(origineel, bron).tekst)).toBe(false);
    });

    it(`the ${retour} echo: its Sleutel is looked up (nothing registered), its RetourCodes stay, and it rehydrates to the retour`, async () => {
      const echo = bericht(standaard, retour);
      const u = zetOm(echo, bron);
      expect(u.object).toMatchObject({ object: 'levering', rol: 'echo', fase: 'na', sleutel, nieuweSleutel: false, nieuweVersie: false });
      expect(u.tekst).toMatch(
        new RegExp(`<${p(retour)}:Sleutel>${sleutel}</${p(retour)}:Sleutel>\\s*<${p(retour)}:RetourCodes>\\s*<${p(retour)}:RetourCode>9019<`),
      );
      for (const w of weg) expect(u.tekst).not.toContain(`<${p(retour)}:${w}>`);
      expect(bron.versienummers(sleutel)).toEqual([1]);
      const r = await rehydreer(u.tekst, config(), bron);
      expect(r.tekst).toBe(echo);
      if (ORAKEL) expect(geldigGepubliceerd('ijw', retour, standaard === 'ijw' ? r.tekst : naarIjw(r.tekst, BERICHT_TYPES.find((t) => t.naam === naam('iwmo', retour))!))).toBe(true);
    });

    it('an echo of a levering never registered stays as it was, counted unknown', () => {
      const u = zetOm(bericht(standaard, retour), nieuweDb());
      expect(u.object).toMatchObject({ rol: 'echo', onbekend: true });
      expect(u.uitkomst.gewijzigd).toBe(false);
    });
  });

  describe('phases, identity and grounds', () => {
    const start = bericht(standaard, '305');
    const stop = bericht(standaard, '307');

    it('the phase boundaries follow the Dagtekening (2025-03-14): voor the day before sleutelVanaf, naast on it, na on the einddatum', () => {
      const voor = zetOm(start, nieuweDb(), config({ sleutelVanaf: '2025-03-15', einddatum: '2025-04-01' }));
      expect(voor.object).toMatchObject({ fase: 'voor', nieuweSleutel: true });
      expect(voor.tekst).toBe(start);
      const naast = zetOm(start, nieuweDb(), config({ sleutelVanaf: '2025-03-14', einddatum: '2025-03-15' }));
      expect(naast.object.fase).toBe('naast');
      expect(naast.tekst).toMatch(new RegExp(`<${p('305')}:Sleutel>${naast.object.sleutel}</${p('305')}:Sleutel>\\s*<${p('305')}:StatusAanlevering>1<`));
      const na = zetOm(start, nieuweDb(), config({ sleutelVanaf: '2025-03-13', einddatum: '2025-03-14' }));
      expect(na.object.fase).toBe('na');
      expect(na.tekst).not.toContain('StatusAanlevering');
    });

    it('a re-send is the same Sleutel without a new version; a delete (3) is a new version that ends the grounds on its Dagtekening; a new first delivery opens them again', () => {
      const bron = nieuweDb();
      const eerst = zetOm(start, bron).object;
      expect(bron.verstrekkingen(eerst.sleutel!)).toEqual([expect.objectContaining({ tegenpartij: GEMEENTE, toewijzingEinde: null })]);
      const herhaald = zetOm(opnieuw(start, 'ST0000000013', '2025-03-15'), bron).object;
      expect(herhaald).toMatchObject({ sleutel: eerst.sleutel, nieuweSleutel: false, nieuweVersie: false });
      const verwijderd = zetOm(opnieuw(start, 'ST0000000014', '2025-03-20').replace('StatusAanlevering>1<', 'StatusAanlevering>3<'), bron).object;
      expect(verwijderd).toMatchObject({ sleutel: eerst.sleutel, nieuweVersie: true, versie: 2 });
      expect(bron.verstrekkingen(eerst.sleutel!)[0]!.toewijzingEinde).toBe('2025-03-20');
      // a correction: a delete and a new first delivery with another ToewijzingIngangsdatum (not a key: same record)
      const hersteld = zetOm(opnieuw(start, 'ST0000000015', '2025-03-21').replace(/ToewijzingIngangsdatum>2025-03-10</, 'ToewijzingIngangsdatum>2025-03-11<'), bron).object;
      expect(hersteld).toMatchObject({ sleutel: eerst.sleutel, nieuweVersie: true, versie: 3 });
      expect(bron.versie(eerst.sleutel!)!.inhoud).toMatchObject({ ToewijzingIngangsdatum: '2025-03-11', StatusAanlevering: '1' });
      expect(bron.verstrekkingen(eerst.sleutel!)[0]!.toewijzingEinde).toBeNull();
    });

    it('a stop is a record of its own, beside its start, its grounds ending with its Einddatum; a deleted stop ends them by the earlier date', () => {
      const bron = nieuweDb();
      const s = zetOm(start, bron).object.sleutel!;
      const e = zetOm(stop, bron).object.sleutel!;
      expect(e).not.toBe(s);
      expect(bron.verstrekkingen(e)).toEqual([expect.objectContaining({ tegenpartij: GEMEENTE, toewijzingEinde: '2026-03-09' })]);
      // the start keeps its open end: a stop is no message about the start's record
      expect(bron.verstrekkingen(s)[0]!.toewijzingEinde).toBeNull();
      const weg = zetOm(opnieuw(stop, 'SP0000000008', '2026-03-20').replace('StatusAanlevering>1<', 'StatusAanlevering>3<'), bron).object;
      expect(weg).toMatchObject({ sleutel: e, nieuweVersie: true });
      expect(bron.verstrekkingen(e)[0]!.toewijzingEinde).toBe('2026-03-09');
      // another stop of the same start (another RedenBeeindiging or Einddatum) is another record
      const ander = zetOm(opnieuw(stop, 'SP0000000009', '2026-03-21').replace(/Einddatum>2026-03-09</, 'Einddatum>2026-03-10<'), bron).object;
      expect(ander.sleutel).not.toBe(e);
    });

    it('absent optional keys (ToewijzingNummer, Product, a Product Code) give a deterministic identity of their own', () => {
      const bron = nieuweDb();
      const met = zetOm(start, bron).object.sleutel!;
      const zonder = start.replace(/\s*<[\w]+:ToewijzingNummer>[^<]*<\/[\w]+:ToewijzingNummer>/, '').replace(/\s*<[\w]+:Product>[\s\S]*?<\/[\w]+:Product>/, '');
      const a = zetOm(zonder, bron).object;
      expect(a).toMatchObject({ nieuweSleutel: true });
      expect(a.sleutel).not.toBe(met);
      expect(zetOm(opnieuw(zonder, 'ST0000000016', '2025-03-16'), bron).object).toMatchObject({ sleutel: a.sleutel, nieuweSleutel: false, nieuweVersie: false });
      const zonderCode = start.replace(/\s*<[\w]+:Code>[^<]*<\/[\w]+:Code>/, '');
      const b = zetOm(zonderCode, bron).object;
      expect([met, a.sleutel]).not.toContain(b.sleutel);
      // keyed without its ToewijzingNummer and Product: the Sleutel still follows Begindatum, and it rehydrates back
      return rehydreer(zetOm(zonder, bron).tekst, config(), bron).then((r) => expect(r.tekst).toBe(zonder));
    });
  });

  describe('no personal data in errors or notifications', () => {
    it('a keyed 305 whose Sleutel is unknown is refused without a BSN in the error', async () => {
      const bron = nieuweDb();
      const keyed = zetOm(bericht(standaard, '305'), bron).tekst;
      const fout = await rehydreer(keyed, config(), nieuweDb()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(fout).toBeInstanceOf(Error);
      expect((fout as Error).message).toMatch(/levering/);
      expect(`${(fout as Error).message} ${JSON.stringify(fout)}`).not.toContain(BSN);
    });

    it('the notifications are the levering\'s own types, from the aanbieder (AGB) to the gemeente (GEMEENTECODE), with no BSN', () => {
      const pad = join(mkdtempSync(join(tmpdir(), 'nb-levering-')), 'bron.db');
      const bron = new Bronregistratie(pad);
      zetOm(bericht(standaard, '305'), bron);
      zetOm(bericht(standaard, '307'), bron);
      zetOm(opnieuw(bericht(standaard, '305'), 'ST0000000017', '2025-03-20').replace('StatusAanlevering>1<', 'StatusAanlevering>3<'), bron);
      bron.sluit();
      expect(notificatietype('nl.netwerkbrug.levering.aangemaakt')).toMatchObject({ iwlzType: 'NIEUWE_LEVERING_GEMEENTE', afzenderIdTypes: ['AGB'], ontvangerIdTypes: ['GEMEENTECODE'] });
      const db = new Database(pad, { readonly: true });
      try {
        const rijen = new Outboxlezer(db).na(0, 100);
        expect(rijen.map((r) => `${r.object} ${r.soort}`)).toEqual(['levering aangemaakt', 'levering aangemaakt', 'levering gewijzigd']);
        for (const r of rijen) {
          const n = maakNotificatie(r, GEMEENTE, null, { bron: `urn:nld:agb:${AANBIEDER}:netwerkbrug`, basisUrl: 'https://bron.example.nl' })!;
          expect(n.subject).toBe(`Levering/${r.sleutel}`);
          const draad = JSON.stringify([alsCloudEvent(n), alsIwlz(n)]);
          expect(draad).not.toContain(BSN);
        }
      } finally {
        db.close();
      }
    });
  });
});
