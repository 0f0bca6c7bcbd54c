/**
 * Key-only (issue 14): a message is key-only when, once keyed, it holds nothing but its header, the client's
 * Bsn and per object what identifies it plus its Sleutel. The verdict is the planner's (`planBericht`), from
 * the declarations and the phases; an object that is not active or not yet in na, data no object declares,
 * or a RetourCode keeps a message from it. The plan puts every known object in the same phases.
 */
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { bouwBoom, type Knoop } from '../../src/bericht/boom.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { leesConfig } from '../../src/config/laden.js';
import { INFORMATIEOBJECTEN } from '../../src/informatieobject/catalogus.js';
import { planBericht } from '../../src/omzetten/bericht.js';

const register = SchemaRegister.laad();

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

  it('data that no object declares keeps a message from being key-only, though every declared object is in na', () => {
    // a 305's Client block (birth date, sex, name) is no informatieobject: the levering alone cannot make it key-only
    const start = genereerBericht('iwmo', '305', 11, { dagtekening: '2027-08-01', afzender: '12345678', ontvanger: '0344' });
    const p = geplandVoor(start);
    expect(p.stappen.length).toBeGreaterThan(0);
    expect(p.stappen.every((s) => s.soort === 'einde' || s.fase === 'na')).toBe(true);
    expect(p.alleenSleutels).toBeFalsy();
    expect(bladeren(p.sjabloon!)).toContain('Geslacht');
  });

  it('a 302 echoing the objects with their RetourCodes is not key-only: the RetourCodes are the message\'s own', () => {
    const retour = genereerBericht('iwmo', '302', 11, { dagtekening: '2027-08-01', relaties: 1, afzender: '0344', ontvanger: '12345678', echo: true });
    const p = geplandVoor(retour);
    expect(p.stappen.length).toBeGreaterThan(0);
    expect(p.alleenSleutels).toBeFalsy();
  });
});
