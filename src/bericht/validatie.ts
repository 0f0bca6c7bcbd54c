/**
 * Validation of one message: hardened reading, detection, schema validation with libxml2, and each
 * problem turned into a place (line, column, element path) and a rule in plain words.
 * Values from the message are never repeated in a message text: they may be personal data.
 */
import { NetwerkbrugFout, type FoutCode } from '../fout.js';
import { beschrijfElement, beschrijfNamespace, elementnamenIn, TOT_HET_EINDE, welgevormdheidsregel } from './foutteksten.js';
import { herken, type HerkendBericht } from './herkenning.js';
import { leesKop, type BerichtKop } from './kop.js';
import type { Libxml2Melding } from './libxml2.js';
import { leesBericht, MAX_BERICHT_BYTES, zonderBom, type GelezenBericht } from './lezen.js';
import { elementOpRegel, regelEnKolom, ScanFout, scanTags } from './scanner.js';
import { STANDAARD_SCHEMAS, type SchemaRegister } from './schemas.js';

export interface Validatiefout {
  code: FoutCode;
  regel?: number;
  kolom?: number;
  pad?: string;
  /** the rule broken, in plain words */
  omschrijving: string;
}

/** A valid message: read, detected, its header scanned; nothing wrong with it. */
export interface GeldigBericht {
  bestand: string;
  geldig: true;
  bericht: HerkendBericht;
  kop: BerichtKop;
  gelezen: GelezenBericht;
  fouten: [];
}

/** An invalid message, with what could be learned of it before the first problem, and every problem. */
export interface OngeldigBericht {
  bestand: string;
  geldig: false;
  bericht?: HerkendBericht;
  kop?: BerichtKop;
  gelezen?: GelezenBericht;
  /** never empty */
  fouten: Validatiefout[];
}

export type Validatieresultaat = GeldigBericht | OngeldigBericht;

/** Validates one message. Never throws for bad input: every problem is in `fouten`. */
export function valideerBericht(bytes: Buffer, bestand: string, register: SchemaRegister): Validatieresultaat {
  let gelezen: GelezenBericht;
  try {
    gelezen = leesBericht(bytes, bestand);
  } catch (e) {
    return { bestand, geldig: false, fouten: [alsFout(e)] };
  }
  let kop: BerichtKop | undefined;
  try {
    kop = leesKop(gelezen.tekst);
  } catch (e) {
    if (!(e instanceof ScanFout)) throw e;
    // not well-formed: libxml2 below gives the precise diagnosis when a schema is known; without one, say it here
  }
  if (!kop) {
    const fouten = welgevormdheid(gelezen);
    return { bestand, geldig: false, gelezen, fouten: fouten.length ? fouten : [{ code: 'BERICHT_ONLEESBAAR', omschrijving: 'no root element: the file holds no XML element' }] };
  }
  let bericht: HerkendBericht;
  try {
    bericht = herken(kop, register, bestand);
  } catch (e) {
    const wf = welgevormdheid(gelezen);
    return { bestand, geldig: false, kop, gelezen, fouten: wf.length ? wf : [alsFout(e)] };
  }
  const meldingen = register.schema(bericht.schema).valideer(zonderBom(gelezen.bytes));
  const fouten = vertaal(meldingen, gelezen.tekst, register.elementnamen);
  return fouten.length ? { bestand, geldig: false, bericht, kop, gelezen, fouten } : { bestand, geldig: true, bericht, kop, gelezen, fouten: [] };
}

/**
 * Validates a message this program rewrote from a valid one (`kop`: that one's header): its body changed and its
 * root namespace became `namespace`, its Header and encoding did not. So what reading and detecting the original
 * established holds here as well (UTF-8, no DTD, the same Header fields), and only the size, the detection of the
 * new namespace and libxml2's verdict are asked again: the same answer as `valideerBericht` without decoding and
 * scanning the text once more. Any problem goes the whole way (`valideerBericht`), so its places and rules are
 * exactly what they would have been.
 */
export function valideerHerschreven(bytes: Buffer, bestand: string, register: SchemaRegister, kop: BerichtKop, namespace: string): Validatiefout[] {
  let bericht: HerkendBericht | undefined;
  if (bytes.length <= MAX_BERICHT_BYTES) {
    try {
      bericht = herken({ ...kop, rootNamespace: namespace }, register, bestand);
    } catch {
      // said by the whole way below
    }
  }
  if (bericht && register.schema(bericht.schema).valideer(zonderBom(bytes)).length === 0) return [];
  return valideerBericht(bytes, bestand, register).fouten;
}

function alsFout(e: unknown): Validatiefout {
  if (e instanceof NetwerkbrugFout) {
    const { regel, kolom, pad } = e.plaats ?? {};
    return { code: e.code, omschrijving: e.message, ...(regel ? { regel } : {}), ...(kolom ? { kolom } : {}), ...(pad ? { pad } : {}) };
  }
  throw e;
}

/** Well-formedness problems found by the scanner alone (used when no schema could be chosen). */
function welgevormdheid(gelezen: GelezenBericht): Validatiefout[] {
  try {
    leesKop(gelezen.tekst);
    return [];
  } catch (e) {
    if (!(e instanceof ScanFout)) throw e;
    return [{ code: 'BERICHT_ONLEESBAAR', omschrijving: `not well-formed XML: ${e.message}`, ...regelEnKolom(gelezen.tekst, e.offset) }];
  }
}

/** Line and column of the first construct the scanner cannot read (where an unclosed section began). */
function scanfoutPlaats(tekst: string): { regel: number; kolom: number } | undefined {
  try {
    for (const _ of scanTags(tekst));
    return undefined;
  } catch (e) {
    return e instanceof ScanFout ? regelEnKolom(tekst, e.offset) : undefined;
  }
}

const NS_NAAM = /\{[^}]*\}/g;
const ELEMENT = /^Element '(?:\{([^}]*)\})?([^']+)'(, attribute '[^']*')?: /s;

/**
 * Turns libxml2's diagnostics into places and plain-words rules, dropping follow-up duplicates. `namen` are
 * the element names the schemas declare: only those are repeated, in a rule or a path.
 */
export function vertaal(meldingen: Libxml2Melding[], tekst: string, namen: ReadonlySet<string> = elementnamenIn(STANDAARD_SCHEMAS)): Validatiefout[] {
  const uit: Validatiefout[] = [];
  let vorige: { regel: number; element?: string; facet: boolean } | undefined;
  const bekend = (lokaal: string) => namen.has(lokaal);
  for (const m of meldingen) {
    if (m.domein !== 17) {
      // well-formedness: libxml2 stops at the first fatal error; what follows it are consequences
      if (uit.some((f) => f.code === 'BERICHT_ONLEESBAAR')) continue;
      // an unclosed CDATA section, comment or PI is reported where the document ends: the scanner knows where it began
      const begin = TOT_HET_EINDE.test(m.tekst) ? scanfoutPlaats(tekst) : undefined;
      const regel = begin?.regel ?? m.regel;
      const plaats = regel ? elementOpRegel(tekst, regel, undefined, bekend) : {};
      const kolom = begin?.kolom ?? m.kolom;
      uit.push({ code: 'BERICHT_ONLEESBAAR', omschrijving: welgevormdheidsregel(m.tekst), ...(regel ? { regel } : {}), ...(kolom ? { kolom } : {}), ...(plaats.pad ? { pad: plaats.pad } : {}) });
      continue;
    }
    const em = ELEMENT.exec(m.tekst);
    const element = em?.[2];
    const rest = em ? m.tekst.slice(em[0].length) : m.tekst;
    // libxml2 follows a facet error with "… is not a valid value of the local atomic type": one is enough
    if (vorige?.facet && vorige.regel === m.regel && vorige.element === element && /is not a valid value of the (local )?atomic type/.test(rest)) {
      continue;
    }
    const facet = rest.startsWith('[facet');
    vorige = { regel: m.regel, ...(element ? { element } : {}), facet };
    const code: FoutCode = 'BERICHT_ONGELDIG';
    const omschrijving = regelInWoorden(element, rest, namen, em?.[3] !== undefined, em?.[1] ?? '');
    // libxml2 gives a column for well-formedness errors only; for a schema error it is where the element's tag begins
    const plaats = m.regel ? elementOpRegel(tekst, m.regel, element, bekend) : {};
    const kolom = m.kolom || plaats.kolom;
    uit.push({ code, omschrijving, ...(m.regel ? { regel: m.regel } : {}), ...(kolom ? { kolom } : {}), ...(plaats.pad ? { pad: plaats.pad } : {}) });
  }
  return uit;
}

/**
 * libxml2's schema messages in plain words, without the values (which may be personal data). Element names
 * and patterns, code lists and types in the rule come from the schema; an element name from the message is
 * repeated only when the schema declares it. An unrecognised message becomes a fixed rule, never libxml2's text.
 */
export function regelInWoorden(element: string | undefined, rest: string, namen: ReadonlySet<string> = elementnamenIn(STANDAARD_SCHEMAS), attribuut = false, namespace = ''): string {
  const el = beschrijfElement(element, namen);
  const van = element !== undefined && namen.has(element) ? element : 'an element the schema does not know';
  let m: RegExpExecArray | null;
  if (attribuut || /^The attribute '.*' is (not allowed|required but missing)/s.test(rest)) {
    return `${el} carries an attribute its schema does not allow`;
  }
  if ((m = /^This element is not expected\. Expected is (?:one of )?\( (.*) \)\.?$/s.exec(rest))) {
    // the right name in the wrong namespace (a prefix bound to another URI): say so, naming only a known namespace
    const zelfde = [...m[1]!.matchAll(/\{([^}]*)\}([\w.-]+)/g)].find((x) => x[2] === element && x[1] !== namespace);
    if (zelfde) return `${el} is in ${beschrijfNamespace(namespace)}; expected it in namespace ${zelfde[1]}`;
    return `${el} is not allowed here; expected ${verwachteNamen(m[1]!).split(', ').join(' or ')}`;
  }
  if (/^This element is not expected\.?$/.test(rest)) {
    return `${el} is not allowed here: nothing more may follow`;
  }
  if ((m = /^Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\.?$/s.exec(rest))) {
    return `${el} is incomplete: required ${verwachteNamen(m[1]!).split(', ').join(' or ')} is missing`;
  }
  if ((m = /^\[facet 'pattern'\] The value '.*' is not accepted by the pattern '(.*)'\.?$/s.exec(rest))) {
    return `value of ${van} does not match the pattern ${m[1]}`;
  }
  if ((m = /^\[facet 'enumeration'\] The value '.*' is not an element of the set \{(.*)\}\.?$/s.exec(rest))) {
    return `value of ${van} is not in its code list (allowed: ${m[1]!.replace(/'/g, '')})`;
  }
  if ((m = /^\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'\.?$/.exec(rest))) {
    return `value of ${van} is ${m[1]} characters long; at most ${m[2]} are allowed`;
  }
  if ((m = /^\[facet 'minLength'\] The value has a length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'\.?$/.exec(rest))) {
    return `value of ${van} is ${m[1]} characters long; at least ${m[2]} are required`;
  }
  if ((m = /^\[facet 'length'\] The value has a length of '(\d+)'; this differs from the allowed length of '(\d+)'\.?$/.exec(rest))) {
    return `value of ${van} is ${m[1]} characters long; exactly ${m[2]} are required`;
  }
  if ((m = /^\[facet '(max|min)(In|Ex)clusive'\] The value '.*' is (greater|less) than (?:or equal to )?the (maximum|minimum) value allowed \('(.*)'\)\.?$/s.exec(rest))) {
    return `value of ${van} is ${m[3] === 'greater' ? 'above' : 'below'} the ${m[4]} ${m[5]}`;
  }
  if ((m = /^\[facet '(totalDigits|fractionDigits)'\] The value '.*' has more (?:fractional )?digits than are allowed \('(\d+)'\)\.?$/s.exec(rest))) {
    return `value of ${van} has more ${m[1] === 'totalDigits' ? '' : 'fractional '}digits than the ${m[2]} allowed`;
  }
  if ((m = /^\[facet '(\w+)'\]/.exec(rest))) {
    return `value of ${van} breaks the ${m[1]} rule of its type`;
  }
  if ((m = /^'.*' is not a valid value of the (?:local )?(?:atomic|list|union) type '?([^']*)'?\.?$/s.exec(rest))) {
    const type = m[1]!.replace(NS_NAAM, '').trim();
    return `value of ${van} is not a valid ${type && /^[\w.-]+$/.test(type) ? type : 'value of its type'}`;
  }
  if (/^No matching global declaration available for the validation root\.?$/.test(rest)) {
    return `root ${el} is not declared in the schema`;
  }
  if (/^Character content other than whitespace is not allowed because the content type is 'element-only'/.test(rest)) {
    return `${el} may contain only elements, not text`;
  }
  if (/^Element content is not allowed, because the content type is a simple type/.test(rest)) {
    return `${el} may contain only text, not elements`;
  }
  return `${el} breaks a rule of its schema`;
}

/** The element names of libxml2's "expected" list, without namespaces: they come from the schema. */
function verwachteNamen(lijst: string): string {
  return lijst.replace(NS_NAAM, '').replace(/\s+/g, ' ').trim();
}
