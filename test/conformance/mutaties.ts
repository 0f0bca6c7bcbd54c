/**
 * Deterministic mutations of a valid message, for differential schema testing. Each kind the issue names
 * is applied at several places spread over the document; whether a mutation is still valid does not
 * matter, only that our schema and the published one agree about it.
 */
import { scanTags, type Tag } from '../../src/bericht/scanner.js';

export interface Mutatie {
  naam: string;
  tekst: string;
}

interface Element {
  start: Tag;
  eind?: Tag;
  /** the element holds only text */
  blad: boolean;
  diepte: number;
}

function elementen(tekst: string): Element[] {
  const uit: Element[] = [];
  const stack: Element[] = [];
  for (const tag of scanTags(tekst)) {
    if (tag.soort === 'start' || tag.soort === 'leeg') {
      if (stack.length) stack[stack.length - 1]!.blad = false;
      const el: Element = { start: tag, blad: tag.soort === 'start', diepte: stack.length };
      uit.push(el);
      if (tag.soort === 'start') stack.push(el);
      else el.eind = tag;
    } else {
      const el = stack.pop()!;
      el.eind = tag;
    }
  }
  return uit;
}

/** `n` indexes spread evenly over `lengte` items. */
function gespreid<T>(lijst: T[], n: number): T[] {
  if (lijst.length <= n) return lijst;
  return Array.from({ length: n }, (_, i) => lijst[Math.floor(((i + 0.5) * lijst.length) / n)]!);
}

const vervang = (tekst: string, van: number, tot: number, door: string) => tekst.slice(0, van) + door + tekst.slice(tot);

/** At least 8 kinds × ~3 places: required element dropped, order, unknown element, enumeration, pattern, length, namespace, BerichtCode. */
export function mutaties(tekst: string, andereBerichtCode: string): Mutatie[] {
  const els = elementen(tekst);
  const uit: Mutatie[] = [];
  const lokaal = (e: Element) => e.start.lokaal;
  const binnen = els.filter((e) => e.diepte >= 2);
  const bladeren = els.filter((e) => e.blad && e.eind);
  const waarde = (e: Element) => tekst.slice(e.start.einde, e.eind!.begin);
  const zetWaarde = (e: Element, w: string) => vervang(tekst, e.start.einde, e.eind!.begin, w);

  for (const e of gespreid(binnen, 4)) {
    uit.push({ naam: `drop ${lokaal(e)}`, tekst: vervang(tekst, e.start.begin, e.eind!.einde, '') });
  }
  const paren = binnen.flatMap((e, i) => {
    const volgende = els.slice(i + 1).find((x) => x.diepte === e.diepte && x.start.begin > e.eind!.einde);
    const naast = volgende && tekst.slice(e.eind!.einde, volgende.start.begin).trim() === '' ? volgende : undefined;
    return naast && lokaal(naast) !== lokaal(e) ? [[e, naast] as const] : [];
  });
  for (const [a, b] of gespreid(paren, 3)) {
    const tussen = tekst.slice(a.eind!.einde, b.start.begin);
    const blokA = tekst.slice(a.start.begin, a.eind!.einde);
    const blokB = tekst.slice(b.start.begin, b.eind!.einde);
    uit.push({ naam: `swap ${lokaal(a)} ${lokaal(b)}`, tekst: vervang(tekst, a.start.begin, b.eind!.einde, blokB + tussen + blokA) });
  }
  for (const e of gespreid(binnen, 3)) {
    const p = e.start.prefix ? `${e.start.prefix}:` : '';
    uit.push({ naam: `unknown after ${lokaal(e)}`, tekst: vervang(tekst, e.eind!.einde, e.eind!.einde, `<${p}Onbekend>1</${p}Onbekend>`) });
  }
  const codes = bladeren.filter((e) => /^\s*\d{1,2}\s*$/.test(waarde(e)) || /^[A-Z]{1,2}$/.test(waarde(e).trim()));
  for (const e of gespreid(codes, 3)) uit.push({ naam: `enumeration ${lokaal(e)}`, tekst: zetWaarde(e, '98') });
  const cijfers = bladeren.filter((e) => /\d/.test(waarde(e)));
  for (const e of gespreid(cijfers, 3)) uit.push({ naam: `pattern ${lokaal(e)}`, tekst: zetWaarde(e, waarde(e).replace(/\d/, 'X')) });
  const datums = bladeren.filter((e) => /^\d{4}-\d{2}-\d{2}$/.test(waarde(e)));
  for (const e of gespreid(datums, 2)) {
    uit.push({ naam: `date ${lokaal(e)}`, tekst: zetWaarde(e, waarde(e).slice(0, 5) + '02-30') });
    uit.push({ naam: `date zone ${lokaal(e)}`, tekst: zetWaarde(e, waarde(e) + 'Z') });
  }
  for (const e of gespreid(bladeren, 3)) uit.push({ naam: `too long ${lokaal(e)}`, tekst: zetWaarde(e, 'A'.repeat(260)) });
  for (const e of gespreid(bladeren, 2)) uit.push({ naam: `blank ${lokaal(e)}`, tekst: zetWaarde(e, '   ') });
  for (const e of gespreid(binnen, 3)) {
    const s = e.start;
    const naam = `fout:${lokaal(e)}`;
    const t0 = s.soort === 'leeg' ? tekst : vervang(tekst, e.eind!.begin, e.eind!.einde, `</${naam}>`);
    const t = vervang(t0, s.begin, s.einde, `<${naam} xmlns:fout="urn:netwerkbrug:fout"${s.attributen}${s.soort === 'leeg' ? '/' : ''}>`);
    uit.push({ naam: `namespace ${lokaal(e)}`, tekst: t });
  }
  const code = bladeren.find((e) => lokaal(e) === 'BerichtCode');
  if (code) uit.push({ naam: 'BerichtCode', tekst: zetWaarde(code, andereBerichtCode) });
  return uit;
}
