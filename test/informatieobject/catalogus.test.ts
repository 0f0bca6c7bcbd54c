import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { bouwBoom, zoekPad } from '../../src/bericht/boom.js';
import { leesKop } from '../../src/bericht/kop.js';
import { controleerInformatieobject, INFORMATIEOBJECTEN, informatieobject, registreerInformatieobject } from '../../src/informatieobject/catalogus.js';
import { grondEinde } from '../../src/informatieobject/grondeinde.js';
import { relatie } from '../../src/informatieobject/relatie.js';
import type { InformatieObject } from '../../src/informatieobject/type.js';

/** A copy of relatie under another name, without the field the test takes away. */
function zonder(veld: keyof InformatieObject): InformatieObject {
  const o: Partial<InformatieObject> = { ...relatie, naam: 'proef', type: 'Proef', notificatie: { type: 'nl.netwerkbrug.proef', eventType: 'PROEF' } };
  delete o[veld];
  return o as InformatieObject;
}

describe('the informatieobject catalogue', () => {
  it('holds sound declarations only', () => {
    expect(INFORMATIEOBJECTEN.map((o) => o.naam)).toEqual(['relatie', 'contactgegevens', 'client', 'toewijzing', 'levering']);
    for (const o of INFORMATIEOBJECTEN) expect(controleerInformatieobject(o, INFORMATIEOBJECTEN.filter((x) => x !== o))).toEqual([]);
  });

  it('refuses an object without a declared end of grounds, in one sentence naming the object', () => {
    const fouten = controleerInformatieobject(zonder('grondEinde'));
    expect(fouten).toEqual(['informatieobject proef: declares no end of grounds (grondEinde: perioden, eigenPeriode or bepaald), and an object is never given open grounds']);
    expect(() => registreerInformatieobject(zonder('grondEinde'))).toThrow(/^informatieobject proef: declares no end of grounds/);
    expect(informatieobject('proef')).toBeUndefined();
    // an unknown kind of end is no declaration either
    expect(controleerInformatieobject({ ...zonder('grondEinde'), grondEinde: { uit: 'open' } as never })).toHaveLength(1);
  });

  it('refuses a declaration without a notification type, twice the same name, or a snapshot on an echo', () => {
    expect(controleerInformatieobject(zonder('notificatie')).join('\n')).toMatch(/^informatieobject proef: declares no notification type/);
    expect(controleerInformatieobject(relatie, INFORMATIEOBJECTEN)).toContain('informatieobject relatie: is declared twice');
    const echo = { ...zonder('momentopname' as never), voorkomens: [{ bericht: '301', pad: ['Client', 'Relaties', 'Relatie'], rol: 'bron' }, { bericht: '302', pad: ['Client'], rol: 'echo', momentopname: ['Client', 'Bsn'] }] } as InformatieObject;
    expect(controleerInformatieobject(echo)).toEqual(['informatieobject proef: declares a snapshot in message 302, where it is an echo']);
    const verwijst = { ...zonder('momentopname' as never), voorkomens: [{ bericht: '301', pad: ['Client', 'Relaties', 'Relatie'], rol: 'bron' }, { bericht: '302', pad: ['Client'], rol: 'echo', verwijstNaar: { object: 'x', identiteit: () => undefined, melding: 'x' } }] } as InformatieObject;
    expect(controleerInformatieobject(verwijst)).toEqual(['informatieobject proef: declares a reference in message 302, where it is an echo']);
  });

  it('registers a sound declaration for a while, and removes it again', () => {
    const proef = zonder('inzagenaam' as never);
    const voor = INFORMATIEOBJECTEN.length;
    const weg = registreerInformatieobject(proef);
    try {
      expect(informatieobject('proef')).toBe(proef);
      expect(() => registreerInformatieobject(proef)).toThrow(/informatieobject proef: is declared twice/);
    } finally {
      weg();
    }
    expect(informatieobject('proef')).toBeUndefined();
    expect(INFORMATIEOBJECTEN).toHaveLength(voor);
  });

  it('reads the end of grounds as declared: the periods of the message, or the object\'s own', () => {
    const xml = genereerBericht('iwmo', '301', 3, { dagtekening: '2027-01-01', relaties: 1 });
    const root = bouwBoom(xml);
    const kop = leesKop(xml)!;
    const ctx = (knoop: ReturnType<typeof bouwBoom>) => ({ tekst: xml, root, kop, knoop });
    const producten = zoekPad(root, ['Client', 'ToegewezenProducten', 'ToegewezenProduct']);
    const einden = producten.map((p) => /<wmo301:Einddatum>([^<]*)</.exec(xml.slice(p.start.begin, p.eind.einde))?.[1]);
    expect(einden.some((e) => e !== undefined)).toBe(true);
    // relatie: the latest Einddatum of the message's ToegewezenProducten, open when one has none
    expect(grondEinde(relatie, ctx(zoekPad(root, ['Client', 'Relaties', 'Relatie'])[0]!))).toBe(einden.includes(undefined) ? null : [...einden].sort().at(-1));
    // an object at a ToegewezenProduct ending with its own period
    const eigen: InformatieObject = { ...relatie, grondEinde: { uit: 'eigenPeriode', einddatum: ['Einddatum'] } };
    expect(producten.map((p) => grondEinde(eigen, ctx(p)))).toEqual(einden.map((e) => e ?? null));
    expect(grondEinde({ ...relatie, grondEinde: { uit: 'bepaald', einde: () => '2030-01-31' } }, ctx(root))).toBe('2030-01-31');
  });
});
