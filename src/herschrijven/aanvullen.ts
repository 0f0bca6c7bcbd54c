/**
 * Receiving: the splices that make a keyed object whole again, pure functions of the text, its tree and the
 * record the bronregistratie returned. The Sleutel goes; a Sleutel-only object gets its data back, rebuilt
 * with the document's own layout (elementen.ts) where its kept children or its Sleutel were. Putting the message back in the
 * plain 3.2 namespace is `vervangNamespace` (splitsen.ts), as sending does the other way.
 */
import { inspringing, kind, type Knoop } from '../bericht/boom.js';
import type { Elementtype, Schematypen } from '../bericht/schematypen.js';
import type { InformatieObject } from '../informatieobject/type.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import { bouwElementen, opmaakVoor } from './elementen.js';
import { verwijder, voegIn, type Splits } from './splitsen.js';

/** Whether the object element carries data beyond what identifies it. */
export const heeftData = (knoop: Knoop, object: InformatieObject): boolean =>
  knoop.kinderen.some((c) => object.velden.includes(c.lokaal) && !object.behoud.includes(c.lokaal));

/** Takes the Sleutel element out (with the whitespace before it). */
export const sleutelWeg = (tekst: string, sleutel: Knoop): Splits => verwijder(tekst, sleutel);

/**
 * Puts a record's fields back into the object element `knoop` (of schema type `type`): the identifying
 * children are rebuilt with the rest, in schema order, where the first of them was, or else where the
 * Sleutel was (the fields follow it; a child before it that is no field, a Client's Bsn, stays).
 */
export function dataTerug(tekst: string, knoop: Knoop, object: InformatieObject, inhoud: Veldgroep, type: Elementtype, typen: Schematypen, basisNamespace: string): Splits[] {
  const behouden = knoop.kinderen.filter((c) => object.behoud.includes(c.lokaal));
  const uit = behouden.map((c) => verwijder(tekst, c));
  const eerste = behouden[0] ?? kind(knoop, 'Sleutel') ?? knoop.kinderen[0];
  const begin = eerste ? eerste.start.begin - inspringing(tekst, eerste).length : knoop.start.einde;
  uit.push(voegIn(begin, bouwElementen(inhoud, type, typen, opmaakVoor(tekst, knoop, basisNamespace))));
  return uit;
}
