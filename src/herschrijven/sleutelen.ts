/**
 * Rewrites a message to carry Sleutels: a pure function of the text, its tree and the decisions per object.
 * Outside the inserted or removed elements every byte stays as it was (declaration, prefixes, comments,
 * CR/LF, indentation); inserted elements use the object's own prefix and the indentation of their
 * neighbours. The one other change is the message namespace, which becomes the keyed namespace so that
 * a receiver (and `validate`) knows which schema applies.
 */
import { inspringing, kind, type Knoop } from '../bericht/boom.js';
import type { InformatieObject } from '../informatieobject/type.js';

export interface Objectbewerking {
  object: InformatieObject;
  knoop: Knoop;
  fase: 'naast' | 'na';
  sleutel: string;
}

interface Splits {
  begin: number;
  einde: number;
  door: string;
}

/**
 * Applies splices (non-overlapping) from the end, so earlier offsets stay valid. At one offset a removal
 * goes before an insertion, so the insertion is not removed with it.
 */
export function pasToe(tekst: string, splitsen: Splits[]): string {
  let uit = tekst;
  for (const s of [...splitsen].sort((a, b) => b.begin - a.begin || b.einde - a.einde)) uit = uit.slice(0, s.begin) + s.door + uit.slice(s.einde);
  return uit;
}

/** Splices that replace a namespace URI in every declaration of it (xmlns or xmlns:p, either quote). */
export function vervangNamespace(root: Knoop, van: string, naar: string): Splits[] {
  const uit: Splits[] = [];
  const bezoek = (k: Knoop) => {
    const { start } = k;
    if (start.attributen.includes(van)) {
      const attrBegin = start.begin + 1 + start.naam.length;
      const re = /(xmlns(?::[^\s=]+)?\s*=\s*)(["'])([^"']*)\2/g;
      for (const m of start.attributen.matchAll(re)) {
        if (m[3] !== van) continue;
        const begin = attrBegin + m.index + m[1]!.length + 1;
        uit.push({ begin, einde: begin + van.length, door: naar });
      }
    }
    k.kinderen.forEach(bezoek);
  };
  bezoek(root);
  return uit;
}

function sleutelElement(tekst: string, b: Objectbewerking): Splits {
  const { knoop, object, sleutel } = b;
  const p = knoop.prefix ? `${knoop.prefix}:` : '';
  const element = `<${p}Sleutel>${sleutel}</${p}Sleutel>`;
  const anker = object.sleutelNa ? kind(knoop, object.sleutelNa) : undefined;
  if (anker) return { begin: anker.eind.einde, einde: anker.eind.einde, door: inspringing(tekst, anker) + element };
  const eerste = knoop.kinderen[0];
  const ws = eerste ? inspringing(tekst, eerste) : '';
  return { begin: knoop.start.einde, einde: knoop.start.einde, door: ws + element };
}

/** The splices for one object: its Sleutel, and in the na phase the removal of its data. */
export function objectSplitsen(tekst: string, b: Objectbewerking): Splits[] {
  const uit = [sleutelElement(tekst, b)];
  if (b.fase === 'na') {
    for (const c of b.knoop.kinderen) {
      if (b.object.behoud.includes(c.lokaal) || b.object.bericht.includes(c.lokaal)) continue;
      uit.push({ begin: c.start.begin - inspringing(tekst, c).length, einde: c.eind.einde, door: '' });
    }
  }
  return uit;
}

export function sleutelBericht(tekst: string, root: Knoop, bewerkingen: readonly Objectbewerking[], namespace: { van: string; naar: string }): string {
  if (!bewerkingen.length) return tekst;
  return pasToe(tekst, [...vervangNamespace(root, namespace.van, namespace.naar), ...bewerkingen.flatMap((b) => objectSplitsen(tekst, b))]);
}
