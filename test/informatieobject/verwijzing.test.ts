/**
 * A reference between objects (`verwijstNaar`): a 305 naming a ToewijzingNummer the gemeente never sent is
 * still registered by the aanbieder (it owns the record) and flagged in the conversion report, with no value
 * in the flag. The levering names a `toewijzing` (the gemeente's, identity client BSN + ToewijzingNummer);
 * while no such object is declared in src/, this test declares a made-up one on the 301's ToegewezenProduct.
 * Both owners' records are in one database here, so the reference can be answered.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kind, tekstVan, zoekPad } from '../../src/bericht/boom.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { informatieobject, registreerInformatieobject } from '../../src/informatieobject/catalogus.js';
import { BERICHTVERKEER, type InformatieObject } from '../../src/informatieobject/type.js';
import { verwerkUitgaand, type Registratie } from '../../src/omzetten/uitgaand.js';
import { register, werkmap } from '../helpers/omzetten.js';
import { referentie } from '../helpers/paden.js';

const AANBIEDER = '98001234';
const BSN = '999912343';

const toewijzing: InformatieObject = {
  naam: 'toewijzing',
  type: 'Toewijzing',
  voorkomens: [{ bericht: '301', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], rol: 'bron' }],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: ({ tekst, root, knoop }) => [tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!), tekstVan(tekst, kind(knoop, 'ToewijzingNummer')!)],
  velden: ['ToewijzingNummer'],
  behoud: ['ToewijzingNummer'],
  bericht: ['RetourCodes'],
  sleutelNa: 'ToewijzingNummer',
  doelen: { [BERICHTVERKEER]: ['ToewijzingNummer'] },
  grondEinde: { uit: 'eigenPeriode', einddatum: ['Einddatum'] },
  notificatie: { type: 'nl.netwerkbrug.toewijzing', eventType: 'TOEWIJZING' },
  inzagenaam: 'Toewijzing',
};

const TOEWIJZING = readFileSync(referentie('WMO301_toewijzing'), 'utf8');
const START = readFileSync(referentie('WMO305_start'), 'utf8');
const STOP = readFileSync(referentie('WMO307_stop'), 'utf8');
const nummer = (tekst: string, n: string) => tekst.replace(/ToewijzingNummer>7000123</, `ToewijzingNummer>${n}<`);

/** The toewijzing planned (voor: registered, the 301 left as it is), the levering keyed (na). */
const PLAN = { informatieobjecten: { toewijzing: { sleutelVanaf: '2030-01-01', einddatum: '2030-07-01' }, levering: { sleutelVanaf: '2024-07-01', einddatum: '2025-01-01' } } };
const config = (plan: object = PLAN) => leesConfig({ deelnemer: { code: AANBIEDER }, ...plan });

let weg: (() => void) | undefined;
beforeAll(() => {
  // the real object, once declared in src/, is used as it is
  if (!informatieobject('toewijzing')) weg = registreerInformatieobject(toewijzing);
});
afterAll(() => weg?.());

function zetOm(tekst: string, bron: Registratie, c = config()) {
  const u = verwerkUitgaand(Buffer.from(tekst), { config: c, register, bronregistratie: bron, bestand: 'bericht.xml' });
  if (u.soort !== 'klaar') throw new Error(u.redenen.join('\n'));
  return u.uitkomst.objecten;
}

describe('a levering that names a toewijzing the gemeente never sent', () => {
  const w = werkmap();
  const bron = new Bronregistratie(w.db);
  afterAll(() => bron.sluit());

  it('is registered all the same and flagged with the object, its place and what is missing; one that is known is not', () => {
    expect(zetOm(TOEWIJZING, bron).filter((o) => o.object === 'toewijzing')).toHaveLength(2);
    const [bekend] = zetOm(START, bron);
    expect(bekend).toMatchObject({ object: 'levering', nieuweSleutel: true });
    expect(bekend!.waarschuwing).toBeUndefined();
    expect(zetOm(STOP, bron)[0]!.waarschuwing).toBeUndefined();

    const [onbekend] = zetOm(nummer(START, '7999999'), bron);
    expect(onbekend).toMatchObject({ object: 'levering', fase: 'na', nieuweSleutel: true, waarschuwing: { melding: 'ToewijzingNummer unknown', plaats: '/Bericht/Client/StartProducten/StartProduct[1]' } });
    expect(bron.versie(onbekend!.sleutel!)).toMatchObject({ object: 'levering', eigenaar: AANBIEDER });
    expect(zetOm(nummer(STOP, '7999999'), bron)[0]!.waarschuwing).toMatchObject({ melding: 'ToewijzingNummer unknown' });
    // no value in the flag: neither the BSN nor the number
    expect(JSON.stringify(onbekend!.waarschuwing)).not.toMatch(new RegExp(`${BSN}|7999999`));
  });

  it('is not checked where it cannot be answered: no ToewijzingNummer, the toewijzing not planned, or its owner\'s records kept elsewhere', () => {
    const zonder = START.replace(/\s*<wmo305:ToewijzingNummer>[^<]*<\/wmo305:ToewijzingNummer>/, '');
    expect(zetOm(zonder, bron)[0]!.waarschuwing).toBeUndefined();
    const alleenLevering = config({ informatieobjecten: { levering: PLAN.informatieobjecten.levering } });
    expect(zetOm(nummer(START, '7999998'), bron, alleenLevering)[0]!.waarschuwing).toBeUndefined();
    // a store that keeps only the aanbieder's records (owners separated) cannot tell
    const alleenAanbieder: Registratie = {
      registreer: (r) => bron.registreer(r),
      zoekSleutel: (...a) => bron.zoekSleutel(...a),
      beeindigOntbrekende: (b) => bron.beeindigOntbrekende(b),
      bedient: (eigenaar) => eigenaar === AANBIEDER,
      transactie: (fn) => bron.transactie(fn),
    };
    expect(zetOm(nummer(START, '7999997'), alleenAanbieder)[0]!.waarschuwing).toBeUndefined();
    // the same message against the shared store is flagged
    expect(zetOm(nummer(START, '7999997'), bron)[0]!.waarschuwing).toBeDefined();
  });

  it('the conversion report lists the flag: the file, the place, the object and what is missing, and no value', async () => {
    const r = werkmap();
    // in name order: the toewijzing first (a start converted before its toewijzing is flagged: the report says
    // what was known when the message was converted)
    r.schrijf('a-toewijzing.xml', TOEWIJZING);
    r.schrijf('b-start.xml', START);
    r.schrijf('c-vreemd.xml', nummer(START, '7999999'));
    const rapport = await r.converteer(PLAN);
    expect(rapport.quarantaine).toBe(0);
    expect(rapport.waarschuwingen).toEqual([
      { bestand: expect.stringMatching(/c-vreemd\.xml$/), plaats: '/Bericht/Client/StartProducten/StartProduct[1]', object: 'levering', melding: 'ToewijzingNummer unknown' },
    ]);
    expect(JSON.stringify(rapport)).not.toContain(BSN);
  });
});
