/** Sending: a message rewritten to carry Sleutels, on strings; every byte outside the splices kept. */
import { describe, expect, it } from 'vitest';
import { bouwBoom, zoekPad } from '../../src/bericht/boom.js';
import { objectSplitsen, sleutelBericht, type Objectbewerking } from '../../src/herschrijven/sleutelen.js';
import { pasToe } from '../../src/herschrijven/splitsen.js';
import type { InformatieObject } from '../../src/informatieobject/type.js';

const object = {
  naam: 'ding',
  type: 'Ding',
  voorkomens: [],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: () => [],
  velden: ['Nummer', 'Naam', 'Code'],
  behoud: ['Nummer'],
  bericht: ['Code'],
  sleutelNa: 'Nummer',
  doelen: { berichtverkeer: ['Nummer', 'Naam'] },
  grondEinde: { uit: 'eigenPeriode', einddatum: ['Einddatum'] },
  notificatie: { type: 'nl.netwerkbrug.ding', eventType: 'DING' },
  inzagenaam: 'Ding',
} satisfies InformatieObject;

const XML = [
  '<p:Bericht xmlns:p="urn:bericht">',
  '\t<p:Dingen>',
  '\t\t<p:Ding>',
  '\t\t\t<p:Nummer>1</p:Nummer>',
  '\t\t\t<p:Naam>geheim</p:Naam>',
  '\t\t\t<p:Code>01</p:Code>',
  '\t\t</p:Ding>',
  '\t</p:Dingen>',
  '</p:Bericht>',
  '',
].join('\r\n');

const S = '11111111-2222-4333-8444-555555555555';

function bewerking(tekst: string, fase: 'naast' | 'na', o: InformatieObject = object): { root: ReturnType<typeof bouwBoom>; b: Objectbewerking } {
  const root = bouwBoom(tekst);
  return { root, b: { object: o, knoop: zoekPad(root, ['Dingen', 'Ding'])[0]!, fase, sleutel: S } };
}

describe('herschrijven/sleutelen', () => {
  it('naast: the Sleutel after its anchor, in the object\'s prefix and its neighbours\' indentation; the data stays', () => {
    const { b } = bewerking(XML, 'naast');
    expect(pasToe(XML, objectSplitsen(XML, b))).toBe(XML.replace('<p:Nummer>1</p:Nummer>', `<p:Nummer>1</p:Nummer>\r\n\t\t\t<p:Sleutel>${S}</p:Sleutel>`));
  });

  it('na: the data goes, what identifies the object and the message\'s own elements stay', () => {
    const { b } = bewerking(XML, 'na');
    expect(pasToe(XML, objectSplitsen(XML, b))).toBe(
      XML.replace('<p:Nummer>1</p:Nummer>\r\n\t\t\t<p:Naam>geheim</p:Naam>', `<p:Nummer>1</p:Nummer>\r\n\t\t\t<p:Sleutel>${S}</p:Sleutel>`),
    );
  });

  it('without an anchor the Sleutel is the first child', () => {
    const { b } = bewerking(XML, 'naast', { ...object, sleutelNa: null });
    expect(pasToe(XML, objectSplitsen(XML, b))).toBe(XML.replace('<p:Ding>', `<p:Ding>\r\n\t\t\t<p:Sleutel>${S}</p:Sleutel>`));
  });

  it('in a document without whitespace nothing is indented', () => {
    const plat = XML.replace(/\r\n\t*/g, '');
    const { b } = bewerking(plat, 'na');
    expect(pasToe(plat, objectSplitsen(plat, b))).toBe(plat.replace('<p:Naam>geheim</p:Naam>', '').replace('</p:Nummer>', `</p:Nummer><p:Sleutel>${S}</p:Sleutel>`));
  });

  it('moves the message to the keyed namespace, and leaves a message without objects to key as it is', () => {
    const { root, b } = bewerking(XML, 'naast');
    const uit = sleutelBericht(XML, root, [b], { van: 'urn:bericht', naar: 'urn:bericht:sleutel' });
    expect(uit).toContain('xmlns:p="urn:bericht:sleutel"');
    expect(uit).toContain(`<p:Sleutel>${S}</p:Sleutel>`);
    expect(sleutelBericht(XML, root, [], { van: 'urn:bericht', naar: 'urn:bericht:sleutel' })).toBe(XML);
  });
});
