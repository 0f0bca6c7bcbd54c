/**
 * Law separation: a WMO301 and a JW301 from the same gemeente about the same client and the same Relatie/Nummer
 * give two records with unrelated Sleutels; neither aanbieder reads the other law's record or version over
 * HTTP, no rehydration resolves across laws, and neither gets the other law's notifications.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { AndereWetFout } from '../../src/rehydreren/oplosser.js';
import { persoonsgegevens, startOntvanger } from '../helpers/ontvanger.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';
import { opzet } from '../notificaties/opzet.js';

const GEMEENTE = '0344';
const WMO_AANBIEDER = '11111111';
const JW_AANBIEDER = '22222222';

/** The same client (seed 5) and the same Relatie/Nummer, once under each law; after the einddatums only Sleutels travel. */
const bericht = (standaard: 'iwmo' | 'ijw', ontvanger: string, dagtekening = '2027-11-01') =>
  genereerBericht(standaard, '301', 11, { dagtekening, relaties: 1, clientSeed: 5, afzender: GEMEENTE, ontvanger });

const relatieSleutel = (xml: string) => /<(?:\w+:)?Relatie>[\s\S]*?<(?:\w+:)?Sleutel>([^<]+)</.exec(xml)![1]!;
const veld = (xml: string, naam: string) => new RegExp(`<(?:\\w+:)?${naam}>([^<]+)<`).exec(xml)![1]!;

describe('one client, one Relatie, two laws', () => {
  let pki: Pki;
  let gemeente: Certificaat, wmo: Certificaat, jw: Certificaat;
  let server: Testserver;
  let wmoXml: string, jwXml: string;
  let wmoUit: string, jwUit: string;

  beforeAll(async () => {
    pki = maakPki();
    gemeente = pki.client('gemeente-0344');
    wmo = pki.client('aanbieder-wmo');
    jw = pki.client('aanbieder-jw');
    server = await startServer(pki, {
      deelnemers: {
        [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] },
        [WMO_AANBIEDER]: { certificaten: [wmo.vingerafdruk] },
        [JW_AANBIEDER]: { certificaten: [jw.vingerafdruk] },
      },
    });
    wmoXml = bericht('iwmo', WMO_AANBIEDER);
    jwXml = bericht('ijw', JW_AANBIEDER);
    // the finding's case: the same BSN and Relatie/Nummer in both
    expect(veld(jwXml, 'Bsn')).toBe(veld(wmoXml, 'Bsn'));
    expect(veld(jwXml.slice(jwXml.search(/<(?:\w+:)?Relatie>/)), 'Nummer')).toBe(veld(wmoXml.slice(wmoXml.search(/<(?:\w+:)?Relatie>/)), 'Nummer'));
    const a = await server.vraag('/berichten/uitgaand', { als: gemeente, body: wmoXml });
    const b = await server.vraag('/berichten/uitgaand', { als: gemeente, body: jwXml });
    expect(a.status, a.tekst).toBe(200);
    expect(b.status, b.tekst).toBe(200);
    wmoUit = a.tekst;
    jwUit = b.tekst;
  });

  afterAll(async () => {
    await server?.sluit();
  });

  it('gives two records with unrelated Sleutels, each of its own law', () => {
    const s1 = relatieSleutel(wmoUit);
    const s2 = relatieSleutel(jwUit);
    expect(s1).not.toBe(s2);
    const bronregistratie = new Bronregistratie(server.db, { alleenLezen: true });
    try {
      expect(bronregistratie.wetVan(s1)).toBe('wmo');
      expect(bronregistratie.wetVan(s2)).toBe('jeugdwet');
      expect(bronregistratie.versienummers(s1)).toEqual([1]);
      expect(bronregistratie.versienummers(s2)).toEqual([1]);
      expect(bronregistratie.verstrekkingen(s1).map((v) => v.tegenpartij)).toEqual([WMO_AANBIEDER]);
      expect(bronregistratie.verstrekkingen(s2).map((v) => v.tegenpartij)).toEqual([JW_AANBIEDER]);
      // the client's contactgegevens too: one record per law
      const c1 = bronregistratie.zoekSleutel('wmo', 'contactgegevens', GEMEENTE, [veld(wmoXml, 'Bsn')]);
      const c2 = bronregistratie.zoekSleutel('jeugdwet', 'contactgegevens', GEMEENTE, [veld(wmoXml, 'Bsn')]);
      expect(c1).toBeDefined();
      expect(c2).toBeDefined();
      expect(c1).not.toBe(c2);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('lets each aanbieder read its own law\'s record over HTTP, never the other\'s (by Sleutel, law or version)', async () => {
    const s1 = relatieSleutel(wmoUit);
    const s2 = relatieSleutel(jwUit);
    const eigen1 = await server.vraag(`/bronregistraties/relatie/${s1}`, { als: wmo });
    expect(eigen1.status).toBe(200);
    expect(eigen1.json()).toMatchObject({ sleutel: s1, wet: 'wmo', versie: 1, versies: [1] });
    const eigen2 = await server.vraag(`/bronregistraties/relatie/${s2}`, { als: jw });
    expect(eigen2.status).toBe(200);
    expect(eigen2.json()).toMatchObject({ sleutel: s2, wet: 'jeugdwet', versie: 1, versies: [1] });
    const geweigerd = await server.vraag(`/bronregistraties/relatie/${s2}`, { als: wmo });
    expect(geweigerd.status).toBe(403);
    expect((await server.vraag(`/bronregistraties/relatie/${s1}`, { als: jw })).status).toBe(403);
    for (const q of ['?versie=1', '?peildatum=2027-12-01', '?wet=jeugdwet']) {
      expect((await server.vraag(`/bronregistraties/relatie/${s2}${q}`, { als: wmo })).status).toBe(403);
    }
    // a refusal across laws is the same bytes as any other refusal
    expect(geweigerd.tekst).toBe((await server.vraag('/bronregistraties/relatie/0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10', { als: wmo })).tekst);
    // the owner reads both, and a law that is not its record's answers nothing
    expect((await server.vraag(`/bronregistraties/relatie/${s1}`, { als: gemeente })).json().wet).toBe('wmo');
    expect((await server.vraag(`/bronregistraties/relatie/${s1}?wet=jeugdwet`, { als: gemeente })).status).toBe(403);
    expect((await server.vraag(`/bronregistraties/relatie/${s1}?wet=wet`, { als: gemeente })).status).toBe(400);
  });

  it('refuses to rehydrate an iJw message that carries a Wmo record\'s Sleutel, naming the place, not the data', async () => {
    // the JW message as it travels, sound: rehydrated for its Ontvanger
    const goed = await server.vraag('/berichten/inkomend', { als: jw, body: jwUit });
    expect(goed.status, goed.tekst).toBe(200);
    const vreemd = jwUit.replace(relatieSleutel(jwUit), relatieSleutel(wmoUit));
    {
      const r = await server.vraag('/berichten/inkomend', { als: jw, body: vreemd });
      expect(r.status).toBe(422);
      const f = r.json().fouten[0];
      expect(f).toMatchObject({ code: 'SLEUTEL_ONOPGELOST', pad: '/Bericht/Client/Relaties/Relatie' });
      expect(f.omschrijving).toMatch(/another law: a JW301 message \(jeugdwet\) resolves only records of its own law/);
      expect(f.regel).toBeGreaterThan(0);
      for (const p of persoonsgegevens(wmoXml)) expect(r.tekst).not.toContain(p);
    }
    // the owner's own look-up (rehydrate without a network) refuses it too, and resolves the right law
    const bronregistratie = new Bronregistratie(server.db, { alleenLezen: true });
    try {
      const lokaal = new LokaleOplosser(bronregistratie);
      const verzoek = { object: 'relatie', eigenaar: GEMEENTE, sleutel: relatieSleutel(wmoUit) };
      await expect(lokaal.los({ ...verzoek, wet: 'jeugdwet' })).rejects.toBeInstanceOf(AndereWetFout);
      expect((await lokaal.los({ ...verzoek, wet: 'wmo' }))?.versie).toBe(1);
    } finally {
      bronregistratie.sluit();
    }
  });
});

describe('notifications stay within their law', () => {
  const schoon: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const s of schoon.splice(0).reverse()) await s();
  });

  it('the Wmo aanbieder gets only the Wmo records\' notifications, the Jeugdwet aanbieder only the Jeugdwet ones, each saying its law', async () => {
    const r = await startOntvanger(() => ({ status: 202 }));
    const o = await opzet(
      [bericht('iwmo', WMO_AANBIEDER, '2027-01-01'), bericht('ijw', JW_AANBIEDER, '2027-01-01'), bericht('iwmo', WMO_AANBIEDER, '2027-02-01'), bericht('ijw', JW_AANBIEDER, '2027-02-01')],
      { ontwikkeling: true, vorm: 'cloudevents', ontvangers: { [WMO_AANBIEDER]: { url: `${r.url}/wmo` }, [JW_AANBIEDER]: { url: `${r.url}/jw` } } },
    );
    schoon.push(r.sluit, o.sluit);
    await o.bezorger.totNietsMeer();
    const events = (pad: string) => r.op(pad).map((x) => JSON.parse(x.body) as { subject: string; wet?: string; dataref: string });
    const naarWmo = events('/wmo');
    const naarJw = events('/jw');
    expect(naarWmo.length).toBeGreaterThan(0);
    expect(naarJw.length).toBeGreaterThan(0);
    const sleutel = (e: { subject: string }) => e.subject.split('/')[1]!;
    expect(naarWmo.every((e) => e.wet === 'wmo' && o.bronregistratie.wetVan(sleutel(e)) === 'wmo')).toBe(true);
    expect(naarJw.every((e) => e.wet === 'jeugdwet' && o.bronregistratie.wetVan(sleutel(e)) === 'jeugdwet')).toBe(true);
    const gedeeld = naarWmo.map(sleutel).filter((s) => naarJw.map(sleutel).includes(s));
    expect(gedeeld).toEqual([]);
    expect(r.ontvangen.length).toBe(naarWmo.length + naarJw.length);
  });
});
