/**
 * The keyed extension schemas (`xsd/{iwmo,ijw}-3.2-sleutel/`): for every message in which an
 * informatieobject occurs, the same message in its own namespace (`urn:netwerkbrug:…:sleutel`) where each
 * object element may carry a Sleutel. Derived from the object declarations in src/informatieobject/, so a
 * new object changes these schemas without touching this file. For an object type T with data children D
 * (its fields, `velden`, less the kept ones, `behoud`), the children before them K (the kept ones, e.g.
 * Nummer, or what identifies the object in the message, e.g. a Client's Bsn) and the children after them R
 * (the message's own, `bericht`, e.g. RetourCodes, and other objects nested in this one, e.g. a Client's
 * Relaties):
 *
 *   T = K, ( (Sleutel, (D)?) | D ), R
 *
 * D is one run of the type's children: a declaration whose data is split by another child is refused here,
 * as is one whose Sleutel (`sleutelNa`) would not sit right after K.
 * "oud naast nieuw" is `Sleutel, D`; after the einddatum it is `Sleutel` alone; an object not (yet) keyed is
 * `D`, exactly as in the 3.2 message. The Sleutel is a UUID v4.
 */
import { BERICHT_TYPES, sleutelNamespace } from '../../src/bericht/catalogus.js';
import { objectenIn } from '../../src/informatieobject/catalogus.js';
import type { InformatieObject } from '../../src/informatieobject/type.js';
import { berichten } from './berichten.js';
import { documentatie, element, type Knoop } from './generate.js';
import type { BerichtSchema, ComplexType, Element, Standaard } from './model.js';

export interface SleutelVariant {
  namespace: string;
  uitleg: string;
  /** keyed replacements of message-local complex types, by type name */
  typen: Map<string, (p: string, m: string) => Knoop>;
  /** extra global types (the Sleutel simple type) */
  extra: (p: string, m: string) => Knoop[];
}

export const SLEUTEL_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

function typeOpPad(b: BerichtSchema, pad: readonly string[]): ComplexType {
  let type = b.typen.find((t) => t.naam === 'Root')!;
  for (const stap of pad) {
    const el = type.elementen.find((e) => e.naam === stap);
    const naam = el && typeof el.type === 'string' ? el.type : undefined;
    const volgende = b.typen.find((t) => t.naam === naam);
    if (!volgende) throw new Error(`${b.standaard} ${b.nummer}: no message-local type at ${pad.join('/')}`);
    type = volgende;
  }
  return type;
}

const reeks = (kinderen: Knoop[], minOccurs?: 0): Knoop => ({
  naam: 'xs:sequence',
  ...(minOccurs === 0 ? { attributen: [['minOccurs', '0']] as const } : {}),
  kinderen,
});

function gesleuteldType(t: ComplexType, object: InformatieObject, waar: string) {
  const isData = (e: Element) => object.velden.includes(e.naam) && !object.behoud.includes(e.naam);
  const eerste = t.elementen.findIndex(isData);
  const na = eerste < 0 ? t.elementen.length : eerste;
  let tot = na;
  while (tot < t.elementen.length && isData(t.elementen[tot]!)) tot++;
  if (t.elementen.slice(tot).some(isData)) throw new Error(`${waar}: the data of ${object.naam} is split by another child`);
  const voor = t.elementen.slice(0, na);
  if ((voor.at(-1)?.naam ?? null) !== object.sleutelNa) throw new Error(`${waar}: the Sleutel of ${object.naam} follows ${String(object.sleutelNa)}, not the last child before its data`);
  return (p: string, m: string): Knoop => {
    const el = (e: Element) => element(e, p, m);
    const k = voor.map(el);
    const d = t.elementen.slice(na, tot).map(el);
    const r = t.elementen.slice(tot).map(el);
    const sleutel: Knoop = { naam: 'xs:element', attributen: [['name', 'Sleutel'], ['type', `${m}:Sleutel`]] };
    return {
      naam: 'xs:complexType',
      attributen: [['name', t.naam]],
      kinderen: [
        documentatie(`${t.naam} with its Sleutel: data and Sleutel while both run, the Sleutel alone after the einddatum, or the data alone before the Sleutel.`),
        reeks([...k, { naam: 'xs:choice', kinderen: [reeks([sleutel, reeks(d, 0)]), reeks(d)] }, ...r]),
      ],
    };
  };
}

/** The keyed variants of the messages of a standard. */
export function sleutelVarianten(s: Standaard): Array<[BerichtSchema, SleutelVariant]> {
  const uit: Array<[BerichtSchema, SleutelVariant]> = [];
  for (const b of berichten(s)) {
    const objecten = objectenIn(b.nummer as Parameters<typeof objectenIn>[0]);
    if (!objecten.length) continue;
    const type = BERICHT_TYPES.find((x) => x.standaard === s && x.nummer === b.nummer)!;
    const typen = new Map<string, (p: string, m: string) => Knoop>();
    for (const { object, voorkomen } of objecten) {
      const t = typeOpPad(b, voorkomen.pad);
      typen.set(t.naam, gesleuteldType(t, object, `${s} ${b.nummer} ${voorkomen.pad.join('/')}`));
    }
    uit.push([
      b,
      {
        namespace: sleutelNamespace(type),
        uitleg: objecten.map((o) => `${o.object.naam} at ${o.voorkomen.pad.join('/')}`).join('; '),
        typen,
        extra: () => [
          {
            naam: 'xs:simpleType',
            attributen: [['name', 'Sleutel']],
            kinderen: [
              documentatie('The Sleutel of an informatieobject in the owner\'s bronregistratie: a random UUID v4, lower case.'),
              { naam: 'xs:restriction', attributen: [['base', 'xs:string']], kinderen: [{ naam: 'xs:pattern', attributen: [['value', SLEUTEL_PATTERN]] }] },
            ],
          },
        ],
      },
    ]);
  }
  return uit;
}
