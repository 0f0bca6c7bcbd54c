/**
 * A small, position-keeping XML tag scanner. It does not build a tree and does not validate; libxml2 does
 * that. It exists to read the header before a schema is chosen, and to turn a line number from libxml2
 * into an element path. It understands comments, processing instructions, CDATA and quoted attribute
 * values containing `>`, and resolves namespace prefixes.
 */
import { NetwerkbrugFout } from '../fout.js';

export type TagSoort = 'start' | 'eind' | 'leeg';

export interface Tag {
  soort: TagSoort;
  /** qualified name as written, e.g. `wmo301:Client` */
  naam: string;
  prefix: string;
  lokaal: string;
  /** offset of `<` */
  begin: number;
  /** offset just past `>` */
  einde: number;
  /** namespace URI the prefix resolves to (start and empty tags; end tags get their start tag's) */
  namespace: string;
  /** attribute text between the name and `>` (start and empty tags) */
  attributen: string;
}

const ATTRIBUUT = /([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g;

/** Thrown when the scanner meets markup it cannot read; libxml2 gives the full diagnosis later. */
export class ScanFout extends NetwerkbrugFout {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super('BERICHT_ONLEESBAAR', message);
    this.name = 'ScanFout';
  }
}

/** Yields every tag of `text` in document order, with resolved namespaces. */
export function* scanTags(text: string): Generator<Tag> {
  const scopes: Array<Map<string, string>> = [new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])];
  const open: Tag[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) throw new ScanFout('comment is not closed', lt);
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) throw new ScanFout('CDATA section is not closed', lt);
        i = end + 3;
      } else {
        throw new ScanFout('markup declaration (DOCTYPE) is not allowed', lt);
      }
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) throw new ScanFout('processing instruction is not closed', lt);
      i = end + 2;
      continue;
    }
    const gt = eindeVanTag(text, lt);
    if (next === 0x2f /* / */) {
      const naam = text.slice(lt + 2, gt).trim();
      const start = open.pop();
      scopes.pop();
      const { prefix, lokaal } = splitNaam(naam);
      yield { soort: 'eind', naam, prefix, lokaal, begin: lt, einde: gt + 1, namespace: start?.namespace ?? '', attributen: '' };
      i = gt + 1;
      continue;
    }
    const leeg = text.charCodeAt(gt - 1) === 0x2f;
    const inhoudEinde = leeg ? gt - 1 : gt;
    let naamEinde = lt + 1;
    while (naamEinde < inhoudEinde && !isScheiding(text.charCodeAt(naamEinde))) naamEinde++;
    if (naamEinde === lt + 1) throw new ScanFout('tag without a name', lt);
    const naam = text.slice(lt + 1, naamEinde);
    const attributen = naamEinde === inhoudEinde ? '' : text.slice(naamEinde, inhoudEinde);
    let scope = scopes[scopes.length - 1]!;
    if (attributen.includes('xmlns')) {
      scope = new Map(scope);
      for (const a of attributen.matchAll(ATTRIBUUT)) {
        const key = a[1]!;
        const value = a[2]!.slice(1, -1);
        if (key === 'xmlns') scope.set('', value);
        else if (key.startsWith('xmlns:')) scope.set(key.slice(6), value);
      }
    }
    const { prefix, lokaal } = splitNaam(naam);
    const tag: Tag = {
      soort: leeg ? 'leeg' : 'start',
      naam,
      prefix,
      lokaal,
      begin: lt,
      einde: gt + 1,
      namespace: scope.get(prefix) ?? '',
      attributen,
    };
    if (!leeg) {
      scopes.push(scope);
      open.push(tag);
    }
    yield tag;
    i = gt + 1;
  }
}

/** whitespace, `/` or `>`: the end of a tag name */
function isScheiding(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

function eindeVanTag(text: string, lt: number): number {
  let quote = 0;
  for (let j = lt + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return j;
    } else if (c === 0x3c) {
      throw new ScanFout('`<` inside a tag', j);
    }
  }
  throw new ScanFout('tag is not closed', lt);
}

function splitNaam(naam: string): { prefix: string; lokaal: string } {
  const c = naam.indexOf(':');
  return c < 0 ? { prefix: '', lokaal: naam } : { prefix: naam.slice(0, c), lokaal: naam.slice(c + 1) };
}

/** 1-based line and column of an offset. Counts LF; a CR/LF pair is one line end. */
export function regelEnKolom(text: string, offset: number): { regel: number; kolom: number } {
  let regel = 1;
  let begin = 0;
  for (let j = text.indexOf('\n'); j >= 0 && j < offset; j = text.indexOf('\n', j + 1)) {
    regel++;
    begin = j + 1;
  }
  return { regel, kolom: offset - begin + 1 };
}

/**
 * The element path (`/Bericht/Client/Relaties/Relatie[2]/Naam`) of the element named `lokaal` whose start
 * or end tag lies on `regel`, with the column where that tag begins; without a name match, the deepest
 * element open at the end of that line (no column). Repeated siblings get a 1-based index from the second
 * one on. With `bekend`, a name it does not accept (not declared by the schemas, so possibly data from the
 * message) is printed as `*`, without an index.
 */
export function elementOpRegel(text: string, regel: number, lokaal?: string, bekend?: (lokaal: string) => boolean): { pad?: string; kolom?: number } {
  const stack: Array<{ lokaal: string; telling: Map<string, number> }> = [];
  const padVan = (extra?: string) => '/' + [...stack.map((s) => s.lokaal), ...(extra ? [extra] : [])].join('/');
  let huidigeRegel = 1;
  let regelBegin = 0;
  let gescand = 0;
  let laatsteOpen: string | undefined;
  const regelVan = (offset: number) => {
    for (let j = text.indexOf('\n', gescand); j >= 0 && j < offset; j = text.indexOf('\n', j + 1)) {
      huidigeRegel++;
      regelBegin = j + 1;
      gescand = j + 1;
    }
    if (gescand < offset) gescand = offset;
    return huidigeRegel;
  };
  const rootTelling = new Map<string, number>();
  try {
    for (const tag of scanTags(text)) {
      const r = regelVan(tag.begin);
      if (r > regel) break;
      const kolom = tag.begin - regelBegin + 1;
      if (tag.soort === 'eind') {
        if (r === regel && tag.lokaal === lokaal) return { pad: padVan(), kolom };
        stack.pop();
        continue;
      }
      const ouder = stack[stack.length - 1]?.telling ?? rootTelling;
      const nr = (ouder.get(tag.lokaal) ?? 0) + 1;
      ouder.set(tag.lokaal, nr);
      const stap = bekend && !bekend(tag.lokaal) ? '*' : nr > 1 ? `${tag.lokaal}[${nr}]` : tag.lokaal;
      if (r === regel && tag.lokaal === lokaal) return { pad: padVan(stap), kolom };
      if (tag.soort === 'start') {
        stack.push({ lokaal: stap, telling: new Map() });
        if (r === regel) laatsteOpen = padVan();
      }
    }
  } catch {
    // a scan error past the point of interest leaves the best answer found so far
  }
  const pad = laatsteOpen ?? (stack.length ? padVan() : undefined);
  return pad ? { pad } : {};
}
