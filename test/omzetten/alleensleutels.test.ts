/**
 * Key-only (issue 14): a message is key-only when, once keyed, it holds nothing but its header, the client's
 * Bsn and per object what identifies it plus its Sleutel. The verdict is the planner's (`planBericht`), from
 * the declarations and the phases; an object that is not active or not yet in na, data no object declares,
 * or a RetourCode keeps a message from it.
 *
 * To show the rule without depending on which objects src/ declares, the test declares the 301's remaining
 * blocks as made-up objects (`klant`: the client's own data; `opdracht`: each ToegewezenProduct) and puts
 * every known object in the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { bouwBoom, kind, tekstVan, zoekPad, type Knoop } from '../../src/bericht/boom.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { leesConfig } from '../../src/config/laden.js';
import { INFORMATIEOBJECTEN, registreerInformatieobject } from '../../src/informatieobject/catalogus.js';
import { BERICHTVERKEER, type InformatieObject } from '../../src/informatieobject/type.js';
import { TOEWIJZINGSPERIODE } from '../../src/informatieobject/toewijzing.js';
import { planBericht } from '../../src/omzetten/bericht.js';

const bsn = ({ tekst, root }: { tekst: string; root: Knoop }) => tekstVan(tekst, zoekPad(root, ['Client', 'Bsn'])[0]!);
const KLANT = ['Geboortedatum', 'Geslacht', 'Naam', 'Communicatie', 'JuridischeStatus', 'WettelijkeVertegenwoordiging', 'Commentaar'];
const OPDRACHT = ['ToewijzingNummer', 'ReferentieAanbieder', 'Product', 'Toewijzingsdatum', 'Toewijzingstijd', 'Ingangsdatum', 'Einddatum', 'RedenWijziging', 'Omvang', 'Budget', 'Commentaar'];

const gemeenschappelijk = {
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  grondEinde: TOEWIJZINGSPERIODE,
} as const;

const klant: InformatieObject = {
  ...gemeenschappelijk,
  naam: 'klant',
  type: 'Klant',
  voorkomens: [{ bericht: '301', pad: ['Client'], rol: 'bron', momentopname: ['Client', 'Bsn'] }],
  identiteit: (ctx) => [bsn(ctx)],
  velden: KLANT,
  behoud: [],
  // the Bsn names the client; the other blocks belong to other objects
  bericht: ['Bsn', 'Relaties', 'Contactgegevens', 'ToegewezenProducten'],
  sleutelNa: 'Bsn',
  doelen: { [BERICHTVERKEER]: KLANT },
  notificatie: { type: 'nl.netwerkbrug.test.klant', eventType: 'KLANT' },
  inzagenaam: 'Klant',
};

const opdracht: InformatieObject = {
  ...gemeenschappelijk,
  naam: 'opdracht',
  type: 'Opdracht',
  voorkomens: [{ bericht: '301', pad: ['Client', 'ToegewezenProducten', 'ToegewezenProduct'], rol: 'bron', momentopname: ['Client', 'Bsn'] }],
  identiteit: (ctx) => [bsn(ctx), tekstVan(ctx.tekst, kind(ctx.knoop, 'ToewijzingNummer')!)],
  velden: OPDRACHT,
  behoud: ['ToewijzingNummer'],
  bericht: [],
  sleutelNa: 'ToewijzingNummer',
  doelen: { [BERICHTVERKEER]: OPDRACHT },
  notificatie: { type: 'nl.netwerkbrug.test.opdracht', eventType: 'OPDRACHT' },
  inzagenaam: 'Opdracht',
};

const register = SchemaRegister.laad();
let klantWeg: () => void;
let opdrachtWeg: () => void;

beforeAll(() => {
  klantWeg = registreerInformatieobject(klant);
  opdrachtWeg = registreerInformatieobject(opdracht);
});
afterAll(() => {
  klantWeg();
  opdrachtWeg();
});

/** Every known object in the plan: key from 2027-01-01, data gone from 2027-07-01; `naast` keeps one back. */
function plan(opties: { naast?: string; zonder?: string } = {}) {
  const informatieobjecten = Object.fromEntries(
    INFORMATIEOBJECTEN.filter((o) => o.naam !== opties.zonder).map((o) => [o.naam, o.naam === opties.naast ? { sleutelVanaf: '2027-01-01' } : { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' }]),
  );
  return leesConfig({ informatieobjecten });
}

function geplandVoor(tekst: string, config = plan()) {
  const v = valideerBericht(Buffer.from(tekst), 'bericht.xml', register);
  if (!v.geldig) throw new Error(JSON.stringify(v.fouten));
  return planBericht(v.gelezen.tekst, v.bericht, v.kop, config);
}

/** The leaves (elements without children) of the body, by local name. */
function bladeren(tekst: string): string[] {
  const uit: string[] = [];
  const loop = (k: Knoop) => (k.kinderen.length ? k.kinderen.forEach(loop) : uit.push(k.lokaal));
  bouwBoom(tekst).kinderen.filter((c) => c.lokaal !== 'Header').forEach(loop);
  return uit;
}

const toewijzing = (dagtekening: string) => genereerBericht('iwmo', '301', 11, { dagtekening, relaties: 2, afzender: '0344', ontvanger: '12345678' });

describe('key-only messages', () => {
  it('a 301 whose every object is in na is key-only, and its keyed text holds only the Bsn, what identifies each object and Sleutels', () => {
    const p = geplandVoor(toewijzing('2027-08-01'));
    expect(p.alleenSleutels).toBe(true);
    const over = new Set(bladeren(p.sjabloon!));
    expect([...over].sort()).toEqual(['Bsn', 'Nummer', 'Sleutel', 'ToewijzingNummer']);
  });

  it('one object still in naast: not key-only (its data travels beside its Sleutel)', () => {
    expect(geplandVoor(toewijzing('2027-08-01'), plan({ naast: 'contactgegevens' })).alleenSleutels).toBeFalsy();
  });

  it('one object not in the plan: not key-only (its data travels as it is)', () => {
    expect(geplandVoor(toewijzing('2027-08-01'), plan({ zonder: 'relatie' })).alleenSleutels).toBeFalsy();
  });

  it('before the einddatum nothing is key-only', () => {
    expect(geplandVoor(toewijzing('2027-03-01')).alleenSleutels).toBeFalsy();
  });

  it('data that no object declares keeps the message from being key-only, though every declared object is in na', () => {
    klantWeg();
    try {
      const p = geplandVoor(toewijzing('2027-08-01'));
      expect(p.stappen.every((s) => s.soort === 'einde' || s.fase === 'na')).toBe(true);
      expect(p.alleenSleutels).toBeFalsy();
      expect(bladeren(p.sjabloon!)).toContain('Geslacht');
    } finally {
      klantWeg = registreerInformatieobject(klant);
    }
  });

  it('a 302 echoing the objects with their RetourCodes is not key-only: the RetourCodes are the message\'s own', () => {
    const retour = genereerBericht('iwmo', '302', 11, { dagtekening: '2027-08-01', relaties: 1, afzender: '0344', ontvanger: '12345678', echo: true });
    const p = geplandVoor(retour);
    expect(p.stappen.length).toBeGreaterThan(0);
    expect(p.alleenSleutels).toBeFalsy();
  });
});
