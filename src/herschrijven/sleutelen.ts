/**
 * Sending: rewrites a message to carry Sleutels, a pure function of the text, its tree and the decisions per
 * object. Outside the inserted or removed elements every byte stays as it was (see splitsen.ts); inserted
 * elements use the object's own prefix and the indentation of their neighbours. The one other change is the
 * message namespace, which becomes the keyed namespace so that a receiver (and `validate`) knows which schema
 * applies.
 */
import { inspringing, kind, type Knoop } from '../bericht/boom.js';
import type { InformatieObject } from '../informatieobject/type.js';
import { pasToe, verwijder, vervangNamespace, voegIn, type Splits } from './splitsen.js';

export interface Objectbewerking {
  object: InformatieObject;
  knoop: Knoop;
  fase: 'naast' | 'na';
  sleutel: string;
}

function sleutelElement(tekst: string, b: Objectbewerking): Splits {
  const { knoop, object, sleutel } = b;
  const p = knoop.prefix ? `${knoop.prefix}:` : '';
  const element = `<${p}Sleutel>${sleutel}</${p}Sleutel>`;
  const anker = object.sleutelNa ? kind(knoop, object.sleutelNa) : undefined;
  if (anker) return voegIn(anker.eind.einde, inspringing(tekst, anker) + element);
  const eerste = knoop.kinderen[0];
  const ws = eerste ? inspringing(tekst, eerste) : '';
  return voegIn(knoop.start.einde, ws + element);
}

/**
 * The splices for one object: its Sleutel, and in the na phase the removal of its data: its fields, except
 * the kept ones and the message's own. Any other child stays, such as another object nested in this one (a
 * Client's Relaties), which has its own phase and its own splices.
 */
export function objectSplitsen(tekst: string, b: Objectbewerking): Splits[] {
  const uit = [sleutelElement(tekst, b)];
  if (b.fase === 'na') {
    for (const c of b.knoop.kinderen) {
      if (!b.object.velden.includes(c.lokaal) || b.object.behoud.includes(c.lokaal) || b.object.bericht.includes(c.lokaal)) continue;
      uit.push(verwijder(tekst, c));
    }
  }
  return uit;
}

/** The message with a Sleutel per object (and without the data of objects in the na phase), in the keyed namespace. */
export function sleutelBericht(tekst: string, root: Knoop, bewerkingen: readonly Objectbewerking[], namespace: { van: string; naar: string }): string {
  if (!bewerkingen.length) return tekst;
  return pasToe(tekst, [...vervangNamespace(root, namespace.van, namespace.naar), ...bewerkingen.flatMap((b) => objectSplitsen(tekst, b))]);
}
