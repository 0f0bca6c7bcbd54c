/**
 * A position-keeping element tree over the message text, built from the scanner. Every node knows the
 * offsets of its start and end tags, so a rewriter can splice the original text and leave every other byte
 * as it was. Text is read on demand (entities decoded).
 */
import { scanTags, type Tag } from './scanner.js';

export interface Knoop {
  lokaal: string;
  prefix: string;
  namespace: string;
  start: Tag;
  /** the end tag; the start tag itself for an empty-element tag */
  eind: Tag;
  kinderen: Knoop[];
  ouder?: Knoop;
}

/** Builds the tree of a well-formed document (the caller validated it). Returns the root element. */
export function bouwBoom(tekst: string): Knoop {
  const stack: Knoop[] = [];
  let root: Knoop | undefined;
  for (const tag of scanTags(tekst)) {
    if (tag.soort === 'eind') {
      const k = stack.pop()!;
      k.eind = tag;
      continue;
    }
    const ouder = stack[stack.length - 1];
    const k: Knoop = { lokaal: tag.lokaal, prefix: tag.prefix, namespace: tag.namespace, start: tag, eind: tag, kinderen: [], ...(ouder ? { ouder } : {}) };
    if (ouder) ouder.kinderen.push(k);
    else root ??= k;
    if (tag.soort === 'start') stack.push(k);
  }
  if (!root) throw new Error('document has no root element');
  return root;
}

export function kind(k: Knoop, lokaal: string): Knoop | undefined {
  return k.kinderen.find((c) => c.lokaal === lokaal);
}

/** All nodes at a path of local names below `k` (`['Client', 'Relaties', 'Relatie']`). */
export function zoekPad(k: Knoop, pad: readonly string[]): Knoop[] {
  let laag = [k];
  for (const stap of pad) {
    const volgende: Knoop[] = [];
    for (const x of laag) for (const c of x.kinderen) if (c.lokaal === stap) volgende.push(c);
    laag = volgende;
  }
  return laag;
}

const ENTITEITEN: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The text content of a leaf element as an XML parser sees it: line ends normalised to LF (a CR survives only
 * as the character reference `&#13;`), entities and character references decoded, CDATA unwrapped.
 */
export function tekstVan(tekst: string, k: Knoop): string {
  if (k.start === k.eind) return '';
  const ruw = tekst.slice(k.start.einde, k.eind.begin);
  // most values are plain text: nothing to normalise or decode
  if (!/[\r&<]/.test(ruw)) return ruw;
  return ruw
    .replace(/\r\n?/g, '\n')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, cdata: string | undefined, ent: string | undefined) => {
      if (cdata !== undefined) return cdata;
      if (ent === undefined) return '';
      if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
      if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
      return ENTITEITEN[ent] ?? m;
    });
}

/** The whitespace just before a node's start tag (its indentation, with the line end before it). */
export function inspringing(tekst: string, k: Knoop): string {
  let i = k.start.begin;
  while (i > 0 && /\s/.test(tekst[i - 1]!)) i--;
  return tekst.slice(i, k.start.begin);
}
