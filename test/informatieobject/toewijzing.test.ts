/**
 * `toewijzing`: each ToegewezenProduct of the 301, owned by the gemeente, identified by BSN + ToewijzingNummer,
 * keyed after its ToewijzingNummer, its grounds ending with its own Einddatum; a 301 is a full snapshot per
 * client per aanbieder (OP087), so one a later 301 lacks has ended for that aanbieder. The 302 echoes it with
 * its RetourCodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bouwBoom, kind, tekstVan, zoekPad } from '../../src/bericht/boom.js';
import { leesConfig } from '../../src/config/laden.js';
import { persoonsgegevens } from '../helpers/ontvanger.js';
import {
  AANBIEDER,
  alleen,
  bericht301,
  bezorgAlles,
  bsnVan,
  DATA,
  echo302,
  GEMEENTE,
  nieuweBron,
  outbox,
  prefix,
  rehydreer,
  zetOm,
  type Standaard,
} from './toewijzingsbericht.js';

interface Product {
  nummer: string;
  einddatum?: string;
}

/** The 301 with exactly these ToegewezenProducten: copies of its first one, each with its number and end. */
function metProducten(standaard: Standaard, x: string, producten: Product[]): string {
  const m = prefix(standaard, '301');
  const blok = new RegExp(`(\\r?\\n\\t*)<${m}:ToegewezenProduct>[\\s\\S]*?</${m}:ToegewezenProduct>`);
  const [eerste, ws = ''] = blok.exec(x)!;
  const binnen = `${ws}\t`;
  const kopie = (p: Product) => {
    let b = eerste
      .replace(new RegExp(`(<${m}:ToewijzingNummer>)[^<]*`), `$1${p.nummer}`)
      .replace(new RegExp(`${binnen.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}<${m}:Einddatum>[^<]*</${m}:Einddatum>`), '');
    if (p.einddatum) b = b.replace(new RegExp(`(</${m}:Ingangsdatum>)`), `$1${binnen}<${m}:Einddatum>${p.einddatum}</${m}:Einddatum>`);
    return b;
  };
  const lijst = new RegExp(`(<${m}:ToegewezenProducten>)[\\s\\S]*?(${ws.replace(/\r/g, '\\r').replace(/\n/g, '\\n').slice(0, -1)}</${m}:ToegewezenProducten>)`);
  return x.replace(lijst, (_, open: string, sluit: string) => `${open}${producten.map(kopie).join('')}${sluit}`);
}

const nummers = (tekst: string) => zoekPad(bouwBoom(tekst), ['Client', 'ToegewezenProducten', 'ToegewezenProduct']).map((p) => tekstVan(tekst, kind(p, 'ToewijzingNummer')!));

describe('toewijzing', () => {
  const { bron, db } = nieuweBron();
  afterAll(() => bron.sluit());
  const config = alleen('toewijzing');
  const m = prefix('iwmo', '301');

  it('phases by Dagtekening; its grounds end with its own Einddatum, open-ended without one', () => {
    const producten = [{ nummer: '1001', einddatum: '2027-12-31' }, { nummer: '1002' }];
    const x = (d: string) => metProducten('iwmo', bericht301('iwmo', d), producten);
    expect(nummers(x('2027-01-01'))).toEqual(['1001', '1002']);
    // inactief: nothing registered
    const u0 = zetOm(bron, x('2027-02-01'), leesConfig({}));
    expect(u0.uit).toBe(x('2027-02-01'));
    expect(bron.zoekSleutel('wmo', 'toewijzing', GEMEENTE, [bsnVan(u0.uit), '1001'])).toBeUndefined();
    // voor: registered, the message unchanged
    const u1 = zetOm(bron, x('2026-12-31'), config);
    expect(u1.uit).toBe(x('2026-12-31'));
    const t = u1.objecten.filter((o) => o.object === 'toewijzing');
    expect(t.map((o) => [o.fase, o.nieuweSleutel])).toEqual([['voor', true], ['voor', true]]);
    const [s1, s2] = t.map((o) => o.sleutel!);
    expect(bron.zoekSleutel('wmo', 'toewijzing', GEMEENTE, [bsnVan(u1.uit), '1002'])).toBe(s2);
    expect(bron.versie(s1!)).toMatchObject({ object: 'toewijzing', eigenaar: GEMEENTE, inhoud: expect.objectContaining({ ToewijzingNummer: '1001', Einddatum: '2027-12-31' }) });
    expect(bron.verstrekkingen(s1!)).toEqual([expect.objectContaining({ tegenpartij: AANBIEDER, toewijzingEinde: '2027-12-31' })]);
    expect(bron.verstrekkingen(s2!)).toEqual([expect.objectContaining({ tegenpartij: AANBIEDER, toewijzingEinde: null })]);
    // naast on sleutelVanaf: the Sleutel after the ToewijzingNummer, the data still there
    const u2 = zetOm(bron, x('2027-01-01'), config);
    expect(u2.objecten.filter((o) => o.object === 'toewijzing').map((o) => [o.fase, o.sleutel])).toEqual([['naast', s1], ['naast', s2]]);
    expect(u2.uit).toMatch(new RegExp(`<${m}:ToewijzingNummer>1001</${m}:ToewijzingNummer>\\s*<${m}:Sleutel>${s1}</${m}:Sleutel>\\s*<${m}:(ReferentieAanbieder|Product|Toewijzingsdatum)>`));
    expect(zetOm(bron, x('2027-06-30'), config).objecten.find((o) => o.object === 'toewijzing')!.fase).toBe('naast');
    // na on the einddatum: the ToewijzingNummer and the Sleutel only
    const u3 = zetOm(bron, x('2027-07-01'), config);
    expect(u3.objecten.filter((o) => o.object === 'toewijzing').map((o) => o.fase)).toEqual(['na', 'na']);
    for (const [n, s] of [['1001', s1], ['1002', s2]]) {
      expect(u3.uit).toMatch(new RegExp(`<${m}:ToegewezenProduct>\\s*<${m}:ToewijzingNummer>${n}</${m}:ToewijzingNummer>\\s*<${m}:Sleutel>${s}</${m}:Sleutel>\\s*</${m}:ToegewezenProduct>`));
    }
  });

  it('in its na phase the other objects of the 301 still take their grounds from the Einddatums of the message as it came', () => {
    const { bron: b } = nieuweBron();
    try {
      const x = metProducten('iwmo', bericht301('iwmo', '2027-08-01'), [{ nummer: '2001', einddatum: '2027-09-30' }, { nummer: '2002', einddatum: '2028-03-31' }]);
      const u = zetOm(b, x, leesConfig({ informatieobjecten: { toewijzing: DATA, relatie: DATA, client: DATA } }));
      expect(u.uit).not.toContain('Einddatum>2028-03-31<');
      for (const o of u.objecten.filter((o) => o.object === 'relatie' || o.object === 'client')) {
        expect(o.fase).toBe('na');
        expect(b.verstrekkingen(o.sleutel!)).toEqual([expect.objectContaining({ toewijzingEinde: '2028-03-31' })]);
      }
    } finally {
      b.sluit();
    }
  });

  it('a re-send keeps the Sleutel and makes no version; a change makes a new version', () => {
    const { bron: b } = nieuweBron();
    try {
      const x = (d: string) => metProducten('iwmo', bericht301('iwmo', d), [{ nummer: '3001', einddatum: '2027-12-31' }]);
      const [eerst] = zetOm(b, x('2027-02-01'), config).objecten.filter((o) => o.object === 'toewijzing');
      const [weer] = zetOm(b, x('2027-03-01'), config).objecten.filter((o) => o.object === 'toewijzing');
      expect(weer).toMatchObject({ sleutel: eerst!.sleutel, nieuweSleutel: false, nieuweVersie: false, versie: 1 });
      // extended: the same ToewijzingNummer with a later Einddatum (IV066)
      const verlengd = x('2027-04-01').replace('Einddatum>2027-12-31<', 'Einddatum>2028-06-30<');
      const [nieuw] = zetOm(b, verlengd, config).objecten.filter((o) => o.object === 'toewijzing');
      expect(nieuw).toMatchObject({ sleutel: eerst!.sleutel, nieuweSleutel: false, nieuweVersie: true, versie: 2 });
      expect(b.verstrekkingen(eerst!.sleutel!)).toEqual([expect.objectContaining({ toewijzingEinde: '2028-06-30' })]);
    } finally {
      b.sluit();
    }
  });

  it.each(['iwmo', 'ijw'] as Standaard[])('%s: the 302 echo looks its Sleutel up and keeps its RetourCodes; rehydrated, it is the 302 that came', async (standaard) => {
    const { bron: b } = nieuweBron();
    try {
      const x = metProducten(standaard, bericht301(standaard, '2027-08-01'), [{ nummer: '4001', einddatum: '2027-12-31' }, { nummer: '4002' }]);
      const bron301 = zetOm(b, x, config).objecten.filter((o) => o.object === 'toewijzing');
      const e = echo302(standaard, x, '2027-08-01');
      const u = zetOm(b, e, config);
      expect(u.variant).toBe('sleutel');
      const echo = u.objecten.filter((o) => o.object === 'toewijzing');
      expect(echo.map((o) => [o.rol, o.fase, o.sleutel])).toEqual(bron301.map((o) => ['echo', 'na', o.sleutel]));
      const m2 = prefix(standaard, '302');
      expect(u.uit).toMatch(new RegExp(`<${m2}:ToewijzingNummer>4001</${m2}:ToewijzingNummer>\\s*<${m2}:Sleutel>${bron301[0]!.sleutel}</${m2}:Sleutel>\\s*<${m2}:RetourCodes>`));
      const r = await rehydreer(b, u.uit, config);
      expect(r.fout).toBeUndefined();
      expect(r.tekst).toBe(e);
    } finally {
      b.sluit();
    }
  });

  it('a ToegewezenProduct a later 301 of the same client no longer carries ends for that aanbieder only', () => {
    const { bron: b, db: d } = nieuweBron();
    try {
      const ANDER = '87654321';
      const x = (dag: string, producten: Product[], ontvanger = AANBIEDER) => metProducten('iwmo', bericht301('iwmo', dag, { ontvanger }), producten);
      const beide = [{ nummer: '5001' }, { nummer: '5002', einddatum: '2027-12-31' }];
      const [a, bb] = zetOm(b, x('2027-02-01', beide), config).objecten.filter((o) => o.object === 'toewijzing').map((o) => o.sleutel!);
      zetOm(b, x('2027-02-01', beide, ANDER), config);
      // the next 301 to the aanbieder lacks 5002: it ends for the aanbieder, not for the other one
      zetOm(b, x('2027-03-01', [{ nummer: '5001' }]), config);
      expect(b.beeindigingen(bb!)).toEqual([expect.objectContaining({ tegenpartij: AANBIEDER, dagtekening: '2027-03-01' })]);
      expect(b.beeindigingen(a!)).toEqual([]);
      // the same snapshot again ends nothing again
      zetOm(b, x('2027-03-02', [{ nummer: '5001' }]), config);
      const einden = outbox(d).filter((n) => n.object === 'toewijzing' && n.soort === 'beeindigd');
      expect(einden.map((n) => n.sleutel)).toEqual([bb]);
    } finally {
      b.sluit();
    }
  });

  it('no BSN or name in a notification, a log line or an error', async () => {
    const x = bericht301('iwmo', '2027-08-01');
    const geheim = persoonsgegevens(x);
    expect(geheim).toContain(bsnVan(x));
    const u = zetOm(bron, x, config);
    const { bodies, logs } = await bezorgAlles(db, { toewijzing: DATA });
    expect(bodies.some((b) => b.includes('nl.netwerkbrug.toewijzing.'))).toBe(true);
    for (const t of [...bodies, ...logs]) for (const g of geheim) expect(t).not.toContain(g);
    const strikt = leesConfig({ informatieobjecten: { toewijzing: DATA }, toegang: { einddatumHandhaving: 'strict' } });
    const metData = zetOm(bron, x, leesConfig({ informatieobjecten: { toewijzing: { sleutelVanaf: DATA.sleutelVanaf } } })).uit;
    const f1 = await rehydreer(bron, metData, strikt);
    expect(f1.fout).toMatch(/einddatum/);
    const f2 = await rehydreer(bron, u.uit.replace(/<wmo301:Sleutel>[^<]*</, '<wmo301:Sleutel>11111111-2222-4333-8444-555555555555<'), config);
    expect(f2.fout).toMatch(/cannot be resolved/);
    for (const f of [f1.fout!, f2.fout!]) for (const g of geheim) expect(f).not.toContain(g);
  });
});
