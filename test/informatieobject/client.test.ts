/**
 * `client`: the client's own data in the 301 (Geboortedatum … Commentaar), owned by the gemeente, keyed after
 * the Bsn, echoed by the 302. The other children of Client (Bsn, Relaties, Contactgegevens,
 * ToegewezenProducten, a 302's RetourCodes) are no part of it: they stay, unstored, and the objects in them are
 * keyed on their own in the same message.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bouwBoom, kind, zoekPad } from '../../src/bericht/boom.js';
import { STANDAARD_SCHEMAS } from '../../src/bericht/schemas.js';
import { leesConfig } from '../../src/config/laden.js';
import { geldig3_2, xercesGeldig } from '../conformance/orakels.js';
import { persoonsgegevens } from '../helpers/ontvanger.js';
import { c14n } from '../helpers/rehydreren.js';
import {
  ALLES,
  alleen,
  bericht301,
  bezorgAlles,
  bsnVan,
  echo302,
  GEMEENTE,
  nieuweBron,
  outbox,
  prefix,
  rehydreer,
  zetOm,
  type Standaard,
} from './toewijzingsbericht.js';

const VELDEN = ['Geboortedatum', 'Geslacht', 'Naam', 'Communicatie', 'JuridischeStatus', 'WettelijkeVertegenwoordiging', 'Commentaar'];

/** The text of Client's direct child `naam` (the whole element), or undefined: a nested Relatie/Naam does not count. */
function kindTekst(tekst: string, _m: string, naam: string): string | undefined {
  const k = kind(zoekPad(bouwBoom(tekst), ['Client'])[0]!, naam);
  return k && tekst.slice(k.start.begin, k.eind.einde);
}

describe('client', () => {
  const { bron, db } = nieuweBron();
  afterAll(() => bron.sluit());

  it('phases by Dagtekening: inactief without dates, voor before sleutelVanaf, naast from it, na from the einddatum', () => {
    const config = alleen('client');
    const m = prefix('iwmo', '301');
    // inactief: no dates for client, nothing registered, the message unchanged
    const x0 = bericht301('iwmo', '2027-02-01');
    const u0 = zetOm(bron, x0, leesConfig({}));
    expect(u0.uit).toBe(x0);
    expect(u0.objecten.filter((o) => o.object === 'client')).toEqual([expect.objectContaining({ fase: 'inactief', nieuweSleutel: false })]);
    expect(bron.zoekSleutel('wmo', 'client', GEMEENTE, [bsnVan(x0)])).toBeUndefined();

    // voor (the day before sleutelVanaf): registered, the message unchanged
    const x1 = bericht301('iwmo', '2026-12-31');
    const u1 = zetOm(bron, x1, config);
    expect(u1.uit).toBe(x1);
    const [c1] = u1.objecten.filter((o) => o.object === 'client');
    expect(c1).toMatchObject({ fase: 'voor', rol: 'bron', nieuweSleutel: true });
    const sleutel = c1!.sleutel!;
    expect(bron.zoekSleutel('wmo', 'client', GEMEENTE, [bsnVan(x1)])).toBe(sleutel);
    const record = bron.versie(sleutel)!;
    expect(record).toMatchObject({ object: 'client', eigenaar: GEMEENTE });
    // the record holds the client's own data only, never the Bsn or the nested objects
    expect(Object.keys(record.inhoud as object).every((k) => VELDEN.includes(k))).toBe(true);
    expect(Object.keys(record.inhoud as object)).toEqual(expect.arrayContaining(['Geboortedatum', 'Geslacht', 'Naam']));
    expect(JSON.stringify(record.inhoud)).not.toContain(bsnVan(x1));

    // naast (on sleutelVanaf): the Sleutel right after the Bsn, the data still there
    const x2 = bericht301('iwmo', '2027-01-01');
    const u2 = zetOm(bron, x2, config);
    expect(u2.objecten.find((o) => o.object === 'client')).toMatchObject({ fase: 'naast', sleutel, nieuweSleutel: false });
    expect(u2.variant).toBe('sleutel');
    expect(u2.uit).toMatch(new RegExp(`<${m}:Bsn>${bsnVan(x2)}</${m}:Bsn>\\s*<${m}:Sleutel>${sleutel}</${m}:Sleutel>\\s*<${m}:Geboortedatum>`));

    // still naast the day before the einddatum; na on it: Geboortedatum … Commentaar gone, the rest untouched
    expect(zetOm(bron, bericht301('iwmo', '2027-06-30'), config).objecten.find((o) => o.object === 'client')!.fase).toBe('naast');
    const x3 = bericht301('iwmo', '2027-07-01');
    const u3 = zetOm(bron, x3, config);
    expect(u3.objecten.find((o) => o.object === 'client')).toMatchObject({ fase: 'na', sleutel });
    for (const v of VELDEN) expect(kindTekst(u3.uit, m, v)).toBeUndefined();
    for (const k of ['Bsn', 'Relaties', 'Contactgegevens', 'ToegewezenProducten']) expect(kindTekst(u3.uit, m, k)).toBe(kindTekst(x3, m, k));
    expect(u3.uit).toMatch(new RegExp(`<${m}:Sleutel>${sleutel}</${m}:Sleutel>\\s*<${m}:Relaties>`));
  });

  it('a re-send keeps the Sleutel and makes no version; a change makes a new version', () => {
    const { bron: b } = nieuweBron();
    try {
      const config = alleen('client');
      const eerst = zetOm(b, bericht301('iwmo', '2027-02-01'), config).objecten.find((o) => o.object === 'client')!;
      const weer = zetOm(b, bericht301('iwmo', '2027-03-01'), config).objecten.find((o) => o.object === 'client')!;
      expect(weer).toMatchObject({ sleutel: eerst.sleutel, nieuweSleutel: false, nieuweVersie: false, versie: 1 });
      // a change in a nested object (the first Relatie's phone number) is no change of the client
      const relatieAnders = zetOm(b, bericht301('iwmo', '2027-03-15', { wijziging: 1 }), config).objecten.find((o) => o.object === 'client')!;
      expect(relatieAnders).toMatchObject({ sleutel: eerst.sleutel, nieuweVersie: false });
      const anders = bericht301('iwmo', '2027-04-01').replace(/(<wmo301:Client>[\s\S]*?<iwmo:Achternaam>)[^<]*/, '$1Anders');
      const nieuw = zetOm(b, anders, config).objecten.find((o) => o.object === 'client')!;
      expect(nieuw).toMatchObject({ sleutel: eerst.sleutel, nieuweSleutel: false, nieuweVersie: true, versie: 2 });
      expect(JSON.stringify(b.versie(eerst.sleutel!)!.inhoud)).toContain('Anders');
    } finally {
      b.sluit();
    }
  });

  describe.each(['iwmo', 'ijw'] as Standaard[])('%s: every object of the 301 at once', (standaard) => {
    const m1 = prefix(standaard, '301');
    const m2 = prefix(standaard, '302');
    const config = leesConfig(ALLES);
    for (const [fase, dagtekening] of [['naast', '2027-02-01'], ['na', '2027-08-01']] as const) {
      it(`${fase}: each keyed in the same message, valid against the generated keyed schemas, and rehydrated to the 301 and the 302 byte for byte`, async () => {
        const { bron: b } = nieuweBron();
        try {
          const x = bericht301(standaard, dagtekening, { relaties: 2 });
          const u = zetOm(b, x, config);
          expect(u.variant).toBe('sleutel');
          const per = (o: string) => u.objecten.filter((x) => x.object === o);
          for (const o of ['client', 'relatie', 'contactgegevens', 'toewijzing']) {
            expect(per(o).length).toBeGreaterThan(0);
            for (const s of per(o)) {
              expect(s.fase).toBe(fase);
              expect(u.uit.match(new RegExp(`<${m1}:Sleutel>${s.sleutel}</${m1}:Sleutel>`, 'g'))).toHaveLength(1);
            }
          }
          // the client's Sleutel follows the Bsn; the Relatie's its Nummer, the ToegewezenProduct's its ToewijzingNummer
          expect(u.uit).toMatch(new RegExp(`<${m1}:Bsn>\\d+</${m1}:Bsn>\\s*<${m1}:Sleutel>${per('client')[0]!.sleutel}<`));
          expect(u.uit).toMatch(new RegExp(`<${m1}:ToewijzingNummer>\\d+</${m1}:ToewijzingNummer>\\s*<${m1}:Sleutel>${per('toewijzing')[0]!.sleutel}<`));
          if (fase === 'na') expect(persoonsgegevens(u.uit)).toEqual([bsnVan(x)]);
          // the second validator: Xerces against the committed keyed schema
          const naam = standaard === 'iwmo' ? 'WMO' : 'JW';
          expect(await xercesGeldig(join(STANDAARD_SCHEMAS, `${standaard}-3.2-sleutel`, `${naam}301.xsd`), u.uit)).toBe(true);
          const r = await rehydreer(b, u.uit, config);
          expect(r.fout).toBeUndefined();
          expect(r.tekst).toBe(x);
          expect(r.objecten!.every((o) => o.verschillen.length === 0)).toBe(true);

          // the 302 that echoes it: every Sleutel looked up (none new), and rehydrated to the very 302
          const e = echo302(standaard, x, dagtekening);
          const v = zetOm(b, e, config);
          expect(v.variant).toBe('sleutel');
          expect(await xercesGeldig(join(STANDAARD_SCHEMAS, `${standaard}-3.2-sleutel`, `${naam}302.xsd`), v.uit)).toBe(true);
          const echoClient = v.objecten.find((o) => o.object === 'client')!;
          expect(echoClient).toMatchObject({ rol: 'echo', sleutel: per('client')[0]!.sleutel, fase, nieuweSleutel: false });
          expect(v.objecten.filter((o) => o.object === 'toewijzing').map((o) => o.sleutel)).toEqual(per('toewijzing').map((o) => o.sleutel));
          // the client's own data leaves in na; its RetourCodes stay, as do the nested objects
          if (fase === 'na') {
            expect(kindTekst(v.uit, m2, 'Naam')).toBeUndefined();
            expect(kindTekst(v.uit, m2, 'RetourCodes')).toBe(kindTekst(e, m2, 'RetourCodes'));
          }
          const r2 = await rehydreer(b, v.uit, config);
          expect(r2.fout).toBeUndefined();
          expect(r2.tekst).toBe(e);
          expect(c14n(r2.tekst!)).toBe(c14n(e));
          // the published iWmo 302 XSD is not public (reference §13): the rehydration checked it against ours
          if (standaard === 'ijw') expect(geldig3_2(standaard, `${naam}302`, r2.tekst!)).toBe(true);
        } finally {
          b.sluit();
        }
      });
    }
  });

  it.each(
    (['iwmo', 'ijw'] as Standaard[]).flatMap((standaard) =>
      (['prefix', 'standaardnamespace'] as const).flatMap((stijl) =>
        (['\n', '\r\n'] as const).map((regeleinde) => [standaard, stijl, JSON.stringify(regeleinde), { stijl, regeleinde }] as const),
      ),
    ),
  )('%s %s %s: every object of the 301 in a mix of phases, rehydrated byte for byte', async (standaard, _s, _r, opmaak) => {
    const { bron: b } = nieuweBron();
    // client na, relatie naast, contactgegevens voor, toewijzing na: each its own phase in one Client
    const config = leesConfig({
      informatieobjecten: {
        client: { sleutelVanaf: '2027-01-01', einddatum: '2027-03-01' },
        relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-09-01' },
        contactgegevens: { sleutelVanaf: '2027-09-01' },
        toewijzing: { sleutelVanaf: '2027-01-01', einddatum: '2027-02-01' },
      },
    });
    try {
      for (const seed of [1, 2, 3, 4]) {
        const opgemaakt = bericht301(standaard, '2027-05-01', { clientSeed: seed, relaties: Math.min(seed - 1, 2), ...opmaak });
        // the fourth: a document without whitespace between its elements
        const x = seed === 4 ? opgemaakt.replace(/>\s+</g, '><') : opgemaakt;
        const u = zetOm(b, x, config);
        expect(new Set(u.objecten.map((o) => `${o.object} ${o.fase}`))).toEqual(
          new Set(['client na', 'contactgegevens voor', 'toewijzing na', ...(seed > 1 ? ['relatie naast'] : [])]),
        );
        const r = await rehydreer(b, u.uit, config);
        expect(r.fout).toBeUndefined();
        expect(r.tekst).toBe(x);
      }
    } finally {
      b.sluit();
    }
  });

  it('its snapshot group is the client: a 301 for another client ends nothing of this one', () => {
    const { bron: b, db: d } = nieuweBron();
    try {
      const config = alleen('client');
      const a = zetOm(b, bericht301('iwmo', '2027-02-01', { clientSeed: 5 }), config).objecten.find((o) => o.object === 'client')!;
      const anderen = zetOm(b, bericht301('iwmo', '2027-03-01', { clientSeed: 6 }), config).objecten.find((o) => o.object === 'client')!;
      expect(anderen.sleutel).not.toBe(a.sleutel);
      zetOm(b, bericht301('iwmo', '2027-04-01', { clientSeed: 5 }), config);
      expect(b.beeindigingen(a.sleutel!)).toEqual([]);
      expect(outbox(d).filter((n) => n.object === 'client').map((n) => n.soort)).toEqual(['aangemaakt', 'aangemaakt']);
    } finally {
      b.sluit();
    }
  });

  it('no BSN or name in a notification, a log line or an error', async () => {
    const x = bericht301('iwmo', '2027-08-01');
    const geheim = persoonsgegevens(x);
    expect(geheim).toContain(bsnVan(x));
    const u = zetOm(bron, x, alleen('client'));
    const { bodies, logs } = await bezorgAlles(db, { client: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' } });
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.some((b) => b.includes('nl.netwerkbrug.client.'))).toBe(true);
    for (const t of [...bodies, ...logs]) for (const g of geheim) expect(t).not.toContain(g);
    // the errors: data after the einddatum (strict), and a Sleutel no bronregistratie knows
    const strikt = leesConfig({ informatieobjecten: { client: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' } }, toegang: { einddatumHandhaving: 'strict' } });
    const metData = zetOm(bron, x, leesConfig({ informatieobjecten: { client: { sleutelVanaf: '2027-01-01' } } })).uit;
    const f1 = await rehydreer(bron, metData, strikt);
    expect(f1.fout).toMatch(/EINDDATUM_OVERSCHREDEN|einddatum/);
    const f2 = await rehydreer(bron, u.uit.replace(/<wmo301:Sleutel>[^<]*</, '<wmo301:Sleutel>11111111-2222-4333-8444-555555555555<'), alleen('client'));
    expect(f2.fout).toMatch(/SLEUTEL_ONOPGELOST|cannot be resolved/);
    for (const f of [f1.fout!, f2.fout!]) for (const g of geheim) expect(f).not.toContain(g);
  });
});
