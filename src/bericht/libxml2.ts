/**
 * The only place that talks to libxml2: libxml2 itself, compiled to WebAssembly (libxml2-wasm). Each thread
 * that imports this module gets its own libxml2 instance, so validation runs in worker threads too (the
 * native libxmljs 1.x binding crashes as soon as a second thread loads it). A schema is compiled once and
 * reused for every message.
 */
import { readFileSync } from 'node:fs';
import { ParseOption, XmlDocument, XmlLibError, XmlParseError, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { NetwerkbrugFout } from '../fout.js';

/** One diagnostic from libxml2, as it reported it. */
export interface Libxml2Melding {
  /** 1 = parser (well-formedness), 17 = schema validity */
  domein: number;
  regel: number;
  kolom: number;
  tekst: string;
}

const PARSER = 1;
const SCHEMA = 17;
/** No network, no entity expansion, no external DTD: the caller refuses DTDs already, this is the second lock. */
const OPTIES = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_BIG_LINES | ParseOption.XML_PARSE_COMPACT;

// schemas import their basisschema by relative path: libxml2 reads those files through Node's fs
xmlRegisterFsInputProviders();

function meldingen(domein: number, details: ErrorDetail[]): Libxml2Melding[] {
  return details.map((d) => ({ domein, regel: d.line ?? 0, kolom: d.col ?? 0, tekst: String(d.message).trim() }));
}

export class GecompileerdSchema {
  private readonly validator: XsdValidator;

  /** Compiles the XSD at `pad` (imports resolved relative to it). Throws SCHEMA_ONGELDIG with libxml2's reasons. */
  constructor(readonly pad: string) {
    try {
      // the schema document stays alive with the validator that was compiled from it
      const xsd = XmlDocument.fromBuffer(readFileSync(pad), { url: pad, option: OPTIES });
      this.validator = XsdValidator.fromDoc(xsd);
    } catch (e) {
      const reden =
        e instanceof XmlLibError
          ? meldingen(SCHEMA, e.details).map((f) => `${f.regel ? `line ${f.regel}: ` : ''}${f.tekst}`).join('; ')
          : (e as Error).message;
      throw new NetwerkbrugFout('SCHEMA_ONGELDIG', `schema cannot be compiled: ${reden || 'unknown reason'}`, { bestand: pad });
    }
  }

  /** Validates UTF-8 bytes of one document. Returns libxml2's diagnostics, empty when valid. */
  valideer(bytes: Uint8Array): Libxml2Melding[] {
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromBuffer(bytes, { encoding: 'UTF-8', option: OPTIES });
    } catch (e) {
      if (e instanceof XmlParseError) return meldingen(PARSER, e.details);
      throw e;
    }
    try {
      this.validator.validate(doc);
      return [];
    } catch (e) {
      if (e instanceof XmlLibError) return meldingen(SCHEMA, e.details);
      throw e;
    } finally {
      doc.dispose();
    }
  }
}
