/** Receiving: the Sleutel out, the layout a rebuilt object takes from its document, on strings. */
import { describe, expect, it } from 'vitest';
import { bouwBoom, kind, zoekPad } from '../../src/bericht/boom.js';
import { heeftData, sleutelWeg } from '../../src/herschrijven/aanvullen.js';
import { opmaakVoor } from '../../src/herschrijven/elementen.js';
import { pasToe } from '../../src/herschrijven/splitsen.js';
import type { InformatieObject } from '../../src/informatieobject/type.js';

const object = {
  naam: 'ding',
  type: 'Ding',
  voorkomens: [],
  eigenaar: 'Afzender',
  tegenpartij: 'Ontvanger',
  identiteit: () => [],
  velden: ['Nummer', 'Naam'],
  behoud: ['Nummer'],
  bericht: [],
  sleutelNa: 'Nummer',
  doelen: { berichtverkeer: ['Nummer', 'Naam'] },
  grondEinde: { uit: 'eigenPeriode', einddatum: ['Einddatum'] },
  notificatie: { type: 'nl.netwerkbrug.ding', eventType: 'DING' },
  inzagenaam: 'Ding',
} satisfies InformatieObject;

const S = '11111111-2222-4333-8444-555555555555';
const GESLEUTELD = `<p:Bericht xmlns:p="urn:bericht" xmlns:b="urn:basis">\r\n  <p:Ding>\r\n    <p:Nummer>1</p:Nummer>\r\n    <p:Sleutel>${S}</p:Sleutel>\r\n  </p:Ding>\r\n</p:Bericht>\r\n`;

describe('herschrijven/aanvullen', () => {
  it('takes the Sleutel out with its line end and indentation', () => {
    const root = bouwBoom(GESLEUTELD);
    const ding = zoekPad(root, ['Ding'])[0]!;
    expect(pasToe(GESLEUTELD, [sleutelWeg(GESLEUTELD, kind(ding, 'Sleutel')!)])).toBe(GESLEUTELD.replace(`\r\n    <p:Sleutel>${S}</p:Sleutel>`, ''));
  });

  it('tells an object that carries data from one that carries only what identifies it', () => {
    const ding = (t: string) => zoekPad(bouwBoom(t), ['Ding'])[0]!;
    expect(heeftData(ding(GESLEUTELD), object)).toBe(false);
    expect(heeftData(ding(GESLEUTELD.replace('</p:Nummer>', '</p:Nummer><p:Naam>x</p:Naam>')), object)).toBe(true);
  });

  it('reads the layout of an object element: its children\'s indentation, one level, the prefixes in scope', () => {
    const ding = zoekPad(bouwBoom(GESLEUTELD), ['Ding'])[0]!;
    expect(opmaakVoor(GESLEUTELD, ding, 'urn:basis')).toEqual({ inspringing: '\r\n    ', eenheid: '  ', bericht: 'p:', basis: 'b:' });
  });

  it('declares the basisschema prefix itself when the document has none in scope', () => {
    const zonder = GESLEUTELD.replace(' xmlns:b="urn:basis"', '');
    const ding = zoekPad(bouwBoom(zonder), ['Ding'])[0]!;
    expect(opmaakVoor(zonder, ding, 'urn:basis')).toEqual({ inspringing: '\r\n    ', eenheid: '  ', bericht: 'p:', basis: 'b:', basisDeclaratie: ' xmlns:b="urn:basis"' });
  });
});
