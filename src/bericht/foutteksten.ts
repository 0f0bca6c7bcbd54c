/**
 * Error texts that never carry bytes of the message. A message holds personal data (a BSN, a name, an
 * address), and anything libxml2 or the scanner read from it may be such data: an unclosed CDATA section
 * quotes what follows it, an undefined entity is named, an end tag is quoted. So a diagnosis is turned into a
 * fixed rule per kind of error, with the place (line, column, element path) beside it; libxml2's own text is
 * only classified, never repeated.
 *
 * Values from a closed set may be named: the element names our schemas declare, the namespaces of the 3.2
 * messages and basisschemas, a BerichtCode from the code list, a known encoding. Anything else is described
 * ("an unknown namespace of 24 characters"), never quoted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** libxml2's well-formedness messages by kind, each to a fixed rule. The first match wins. */
const WELGEVORMDHEID: ReadonlyArray<[RegExp, string]> = [
  [/^CData section not finished/i, 'CDATA section not closed (`]]>` missing)'],
  [/^Comment not terminated/i, 'comment not closed (`-->` missing)'],
  [/^(Double hyphen within comment|Comment must not contain)/i, 'comment contains `--`'],
  [/^(ParsePI|PI .* never end|xmlParsePI|processing instruction)/i, 'processing instruction not well-formed'],
  [/^(XML declaration allowed only at the start|xmlParsePITarget: invalid name prefix 'xml')/i, 'XML declaration not at the start of the document'],
  [/^(parsing XML declaration|Blank needed here|Malformed declaration|Unsupported version|String not closed|xmlParseXMLDecl|Missing encoding in text declaration|Unsupported encoding|Document labelled|Invalid XML encoding name|Encoding error)/i, 'XML declaration not well-formed'],
  [/^(Detected an entity reference loop|Entity .* failed to parse|Entity reference loop)/i, 'entity reference not allowed'],
  [/^Entity .* not defined/i, 'undefined entity: only &lt; &gt; &amp; &quot; &apos; and character references are allowed'],
  [/^(xmlParseEntityRef: no name|EntityRef: expecting ';'|xmlParseStringName: invalid)/i, '`&` that starts no entity or character reference (write &amp;)'],
  [/^(xmlParseCharRef|CharRef: invalid|.*invalid (decimal|hexadecimal) value)/i, 'character reference to a character that XML does not allow'],
  [/(invalid Char value|Char 0x[0-9A-F]+ out of allowed range|not a valid XML character|invalid character in attribute value|Input is not proper UTF-8)/i, 'character that XML does not allow'],
  [/^Opening and ending tag mismatch/i, 'mismatched end tag: it does not close the element open at that point'],
  [/^(Premature end of data|EndTag: '<\/' not found)/i, 'document ends before every element is closed'],
  [/^Extra content at the end of the document/i, 'content after the end of the root element'],
  [/^(Start tag expected|Document is empty)/i, 'no root element'],
  [/^(StartTag: invalid element name|EndTag: invalid|xmlParseStartTag: invalid element name)/i, 'invalid element name'],
  [/^AttValue: " or ' expected/i, 'attribute value not in quotes'],
  [/^Unescaped '<' not allowed in attributes? values/i, '`<` inside an attribute value'],
  [/^(Attribute .* redefined|Attribute .* in .* redefined)/i, 'attribute given twice in one start tag'],
  [/^Specification mandates value for attribute/i, 'attribute without a value'],
  [/^Namespace prefix .* (is not defined|not defined)/i, 'undefined namespace prefix'],
  [/^(xmlns.*redefined|Namespace default prefix was redefined|.*reserved prefix|xml namespace (prefix|URI)|xmlns:.*Empty XML namespace|xmlns: .* not a valid URI)/i, 'namespace declaration not allowed'],
  [/^(attributes construct error|Couldn't find end of Start Tag|xmlParseStartTag: problem parsing attributes|error parsing attribute name|attributes? construct error)/i, 'start tag not well-formed (an attribute or the closing `>`)'],
  [/^Sequence '\]\]>' not allowed in content/i, '`]]>` in text content'],
  [/^(Excessive depth in document|Huge input lookup|Maximum recursion|xmlParseElement: depth)/i, 'elements nested too deeply'],
];

/** A fixed rule for one of libxml2's well-formedness messages; libxml2's text itself is never returned. */
export function welgevormdheidsregel(libxml2Tekst: string): string {
  for (const [patroon, regel] of WELGEVORMDHEID) if (patroon.test(libxml2Tekst)) return `not well-formed XML: ${regel}`;
  return 'not well-formed XML';
}

/** The kinds whose libxml2 position is the end of the document rather than where the construct began. */
export const TOT_HET_EINDE = /^(CData section not finished|Comment not terminated|ParsePI|PI .* never end)/i;

const ISTANDAARDEN = /^http:\/\/www\.istandaarden\.nl\/(iwmo|ijw)\/\d{1,2}_\d{1,2}\/(wmo\d{3}|jw\d{3}|basisschema)\/schema$/;
const SLEUTEL = /^urn:netwerkbrug:(iwmo|ijw):\d{1,2}_\d{1,2}:(wmo|jw)\d{3}:sleutel$/;

/** A namespace named when it is one of the iStandaarden or keyed message namespaces, else only described. */
export function beschrijfNamespace(ns: string): string {
  if (!ns) return 'no namespace';
  if (ISTANDAARDEN.test(ns) || SLEUTEL.test(ns)) return `namespace ${ns}`;
  return `an unknown namespace (${ns.length} characters)`;
}

const ENCODINGS = new Set(
  ['UTF-16', 'UTF-16LE', 'UTF-16BE', 'UTF-32', 'UCS-2', 'UCS-4', 'US-ASCII', 'ASCII', 'LATIN1', 'CP1252', 'WINDOWS-1250', 'WINDOWS-1251', 'WINDOWS-1252', 'ISO-2022-JP', 'SHIFT_JIS', 'EUC-JP', 'GB2312', 'GBK', 'BIG5', 'KOI8-R', 'IBM850', 'CP850', 'EBCDIC']
    .concat(Array.from({ length: 16 }, (_, i) => `ISO-8859-${i + 1}`)),
);

/** An encoding named when it is a known one, else only described. */
export function beschrijfEncoding(naam: string): string {
  return ENCODINGS.has(naam.toUpperCase()) ? `encoding ${naam}` : `an unknown encoding (${naam.length} characters)`;
}

const PER_MAP = new Map<string, ReadonlySet<string>>();
const ELEMENT_NAAM = /<(?:[\w.-]+:)?element\b[^>]*?\bname\s*=\s*["']([^"']+)["']/g;

/** Every element name declared by the XSDs below `map` (read once per folder and process). */
export function elementnamenIn(map: string): ReadonlySet<string> {
  const sleutel = resolve(map);
  let namen = PER_MAP.get(sleutel);
  if (!namen) {
    const s = new Set<string>();
    const loop = (m: string, diepte: number) => {
      for (const naam of readdirSync(m)) {
        const pad = join(m, naam);
        const st = statSync(pad);
        if (st.isDirectory() && diepte < 3) loop(pad, diepte + 1);
        else if (st.isFile() && naam.toLowerCase().endsWith('.xsd')) for (const e of readFileSync(pad, 'utf8').matchAll(ELEMENT_NAAM)) s.add(e[1]!);
      }
    };
    try {
      loop(sleutel, 0);
    } catch {
      // an unreadable folder names nothing: every name is then described
    }
    PER_MAP.set(sleutel, (namen = s));
  }
  return namen;
}

/** An element named when the schemas declare its name; otherwise described by its length only. */
export function beschrijfElement(lokaal: string | undefined, namen: ReadonlySet<string>): string {
  if (lokaal === undefined) return 'element';
  return namen.has(lokaal) ? `element ${lokaal}` : `an element the schema does not know (name of ${lokaal.length} characters)`;
}
