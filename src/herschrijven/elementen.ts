/**
 * Receiving: rebuilds an object's elements from the fields the bronregistratie keeps (the inverse of
 * `leesVelden`): each name in the message or basisschema namespace as the schema says, with the document's own
 * prefixes, line ends and indentation, so that the rebuilt message equals the original after canonicalisation.
 */
import { inspringing, type Knoop } from '../bericht/boom.js';
import type { Elementtype, Schematypen } from '../bericht/schematypen.js';
import type { Veldgroep, Veldwaarde } from '../informatieobject/velden.js';
import { prefixVoor } from './splitsen.js';

export interface Opmaak {
  /** the line end and indentation before a child of the object element (empty in a document without whitespace) */
  inspringing: string;
  /** one level of indentation */
  eenheid: string;
  /** prefix (with colon, or empty) of the message namespace and of the basisschema namespace */
  bericht: string;
  basis: string;
  /** ` xmlns:p="…"` for the basisschema, when the document has none in scope */
  basisDeclaratie?: string;
}

/** The layout of the object element `knoop` as the document has it: its children's indentation and prefixes. */
export function opmaakVoor(tekst: string, knoop: Knoop, basisNamespace: string): Opmaak {
  const ws = knoop.kinderen[0] ? inspringing(tekst, knoop.kinderen[0]) : '';
  const eigen = inspringing(tekst, knoop);
  const regel = (s: string) => s.slice(s.lastIndexOf('\n') + 1);
  const eenheid = regel(ws).startsWith(regel(eigen)) ? regel(ws).slice(regel(eigen).length) : '\t';
  const basis = prefixVoor(knoop, basisNamespace);
  return {
    inspringing: ws,
    eenheid,
    bericht: knoop.prefix ? `${knoop.prefix}:` : '',
    basis: basis ?? 'b:',
    ...(basis === undefined ? { basisDeclaratie: ` xmlns:b="${basisNamespace}"` } : {}),
  };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

/** The children of an element of type `ouder`, each preceded by `ws`: the text to splice in. */
export function bouwElementen(velden: Veldgroep, ouder: Elementtype, typen: Schematypen, opmaak: Opmaak, ws = opmaak.inspringing): string {
  let uit = '';
  for (const [naam, waarde] of Object.entries(velden)) {
    for (const w of Array.isArray(waarde) ? waarde : [waarde]) uit += ws + element(naam, w, ouder, typen, opmaak, ws);
  }
  return uit;
}

function element(naam: string, waarde: Veldwaarde, ouder: Elementtype, typen: Schematypen, opmaak: Opmaak, ws: string): string {
  const prefix = ouder.basis ? opmaak.basis : opmaak.bericht;
  const type = typen.kind(ouder, naam);
  // a message element whose children are the first in the basisschema namespace declares its prefix when
  // the document has none in scope
  const declaratie = !ouder.basis && type.basis && opmaak.basisDeclaratie ? opmaak.basisDeclaratie : '';
  const open = `<${prefix}${naam}${declaratie}>`;
  const sluit = `</${prefix}${naam}>`;
  // a value is kept as an XML parser reads it, line ends as LF; a CR/LF document gets its own line ends back
  // (the same value to a parser), so an element holding only a line end and indentation stays byte-identical
  if (typeof waarde === 'string') return `${open}${ws.includes('\r\n') ? escape(waarde).replace(/\n/g, '\r\n') : escape(waarde)}${sluit}`;
  if (Array.isArray(waarde)) throw new Error(`nested list under ${naam}`);
  const binnen = ws ? ws + opmaak.eenheid : '';
  return `${open}${bouwElementen(waarde, type, typen, opmaak, binnen)}${ws}${sluit}`;
}
