/**
 * Splicing a message's text, for both directions: one splice type, applied from the end so every offset is
 * one of the original text. Outside a splice every byte stays as it was (declaration, prefixes, comments,
 * CR/LF, indentation). Also the namespace declarations in scope of an element, read from its start tag.
 */
import type { Knoop } from '../bericht/boom.js';
import { inspringing } from '../bericht/boom.js';

/** Replaces the text from `begin` to `einde` (offsets in the original text) by `door`. */
export interface Splits {
  begin: number;
  einde: number;
  door: string;
}

/**
 * Applies splices (non-overlapping) from the end, so earlier offsets stay valid. At one offset a removal
 * goes before an insertion, so the insertion is not removed with it.
 */
export function pasToe(tekst: string, splitsen: readonly Splits[]): string {
  let uit = tekst;
  for (const s of [...splitsen].sort((a, b) => b.begin - a.begin || b.einde - a.einde)) uit = uit.slice(0, s.begin) + s.door + uit.slice(s.einde);
  return uit;
}

/** Removes an element with the whitespace before it (its line end and indentation). */
export const verwijder = (tekst: string, k: Knoop): Splits => ({ begin: k.start.begin - inspringing(tekst, k).length, einde: k.eind.einde, door: '' });

/** Inserts `door` at `offset`. */
export const voegIn = (offset: number, door: string): Splits => ({ begin: offset, einde: offset, door });

interface Declaratie {
  /** the prefix declared (`xmlns:p`), or undefined for a default namespace (`xmlns`) */
  prefix: string | undefined;
  uri: string;
  /** offset of the URI in the text */
  begin: number;
}

const XMLNS = /(xmlns(?::([^\s=]+))?\s*=\s*)(["'])([^"']*)\3/g;

/** The namespace declarations on an element's start tag (xmlns or xmlns:p, either quote). */
function declaraties(k: Knoop): Declaratie[] {
  const { start } = k;
  const attrBegin = start.begin + 1 + start.naam.length;
  return [...start.attributen.matchAll(XMLNS)].map((m) => ({ prefix: m[2], uri: m[4]!, begin: attrBegin + m.index + m[1]!.length + 1 }));
}

/** Splices that replace a namespace URI in every declaration of it, anywhere in the tree. */
export function vervangNamespace(root: Knoop, van: string, naar: string): Splits[] {
  const uit: Splits[] = [];
  const bezoek = (k: Knoop) => {
    if (k.start.attributen.includes(van)) {
      for (const d of declaraties(k)) if (d.uri === van) uit.push({ begin: d.begin, einde: d.begin + van.length, door: naar });
    }
    k.kinderen.forEach(bezoek);
  };
  bezoek(root);
  return uit;
}

/** The prefix (with colon, or empty for the default namespace) bound to `namespace` where `k` is, or undefined. */
export function prefixVoor(k: Knoop | undefined, namespace: string): string | undefined {
  for (let x = k; x; x = x.ouder) {
    for (const d of declaraties(x)) if (d.uri === namespace) return d.prefix ? `${d.prefix}:` : '';
  }
  return undefined;
}
