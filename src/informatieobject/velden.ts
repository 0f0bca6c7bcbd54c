/**
 * An object's fields as JSON: a text element becomes its string, a compound element an object of its
 * children, a repeated element an array. Keys keep document order (the schema's order), so equal content
 * gives equal JSON text.
 */
import { tekstVan, type Knoop } from '../bericht/boom.js';

export type Veldwaarde = string | Veldgroep | Veldwaarde[];
export interface Veldgroep {
  [naam: string]: Veldwaarde;
}

function waarde(tekst: string, k: Knoop): Veldwaarde {
  return k.kinderen.length ? groep(tekst, k.kinderen) : tekstVan(tekst, k);
}

function groep(tekst: string, kinderen: readonly Knoop[]): Veldgroep {
  const uit: Veldgroep = {};
  for (const c of kinderen) {
    const w = waarde(tekst, c);
    const eerder = uit[c.lokaal];
    // a value is a string or a group, so an array can only come from a repeated element
    if (eerder === undefined) uit[c.lokaal] = w;
    else if (Array.isArray(eerder)) eerder.push(w);
    else uit[c.lokaal] = [eerder, w];
  }
  return uit;
}

/** The fields named in `velden` among the children of the object element. */
export function leesVelden(tekst: string, knoop: Knoop, velden: readonly string[]): Veldgroep {
  return groep(tekst, knoop.kinderen.filter((c) => velden.includes(c.lokaal)));
}
