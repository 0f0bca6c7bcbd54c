/**
 * The end of a counterpart's grounds for an object as its `bron` message states it, from the object's own
 * declaration (`grondEinde`, type.ts). The engine asks here and names no message or element.
 */
import { kind, tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import type { InformatieObject, Objectcontext } from './type.js';

/**
 * The latest of the `einddatum` children of the elements at `pad` (from the root), or `null` when one of them
 * has none (open-ended) or there are none.
 */
export function laatsteEinddatum(tekst: string, root: Knoop, pad: readonly string[], einddatum: string): string | null {
  let einde: string | null = null;
  const perioden = zoekPad(root, pad);
  for (const p of perioden) {
    const e = kind(p, einddatum);
    if (!e) return null;
    const d = tekstVan(tekst, e);
    if (einde === null || d > einde) einde = d;
  }
  return perioden.length ? einde : null;
}

/** The last day of the counterpart's grounds the message gives (YYYY-MM-DD), `null`: open-ended. */
export function grondEinde(object: InformatieObject, ctx: Objectcontext): string | null {
  const g = object.grondEinde;
  switch (g.uit) {
    case 'perioden':
      return laatsteEinddatum(ctx.tekst, ctx.root, g.pad, g.einddatum);
    case 'eigenPeriode': {
      const e = zoekPad(ctx.knoop, g.einddatum)[0];
      return e ? tekstVan(ctx.tekst, e) : null;
    }
    case 'bepaald':
      return g.einde(ctx);
  }
}
