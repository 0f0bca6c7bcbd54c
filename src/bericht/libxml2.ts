/**
 * The only place that talks to libxml2 (through the low-level bindings of libxmljs 1.x). A schema is
 * compiled once and its validation context reused for every message: libxmljs's own `doc.validate(xsd)`
 * compiles the schema again on every call, which is 30× slower for the 3,000-line basisschema.
 * Messages are validated as a stream (SAX), without building a tree.
 */
import {
  withStructuredErrors,
  xmlParserInputBufferCreateMem,
  xmlSchemaFreeParserCtxt,
  xmlSchemaNewParserCtxt,
  xmlSchemaNewValidCtxt,
  xmlSchemaParse,
  xmlSchemaValidateStream,
} from 'libxmljs/dist/lib/bindings/functions.js';
import { NetwerkbrugFout } from '../fout.js';

/** One diagnostic from libxml2, as it reported it. */
export interface Libxml2Melding {
  /** 1 = parser (well-formedness), 17 = schema validity */
  domein: number;
  code: number;
  regel: number;
  kolom: number;
  tekst: string;
}

const XML_CHAR_ENCODING_UTF8 = 1;

interface RuweFout {
  domain: number;
  code: number;
  line: number;
  column: number;
  message: string;
  file?: string;
}

function meldingen(errors: RuweFout[]): Libxml2Melding[] {
  return errors.map((e) => ({
    domein: e.domain,
    code: e.code,
    regel: e.line,
    kolom: e.column,
    tekst: String(e.message).trim(),
  }));
}

export class GecompileerdSchema {
  private readonly context: ReturnType<typeof xmlSchemaNewValidCtxt>;

  /** Compiles the XSD at `pad` (imports resolved relative to it). Throws SCHEMA_ONGELDIG with libxml2's reasons. */
  constructor(readonly pad: string) {
    const fouten: Libxml2Melding[] = [];
    const context = withStructuredErrors<ReturnType<typeof xmlSchemaNewValidCtxt> | null>((errors: RuweFout[]) => {
      const parser = xmlSchemaNewParserCtxt(pad);
      const schema = parser ? xmlSchemaParse(parser) : null;
      if (parser) xmlSchemaFreeParserCtxt(parser);
      fouten.push(...meldingen(errors));
      return schema ? xmlSchemaNewValidCtxt(schema) : null;
    });
    if (!context) {
      const reden = fouten.map((f) => `${f.regel ? `line ${f.regel}: ` : ''}${f.tekst}`).join('; ');
      throw new NetwerkbrugFout('SCHEMA_ONGELDIG', `schema cannot be compiled: ${reden || 'unknown reason'}`, {
        bestand: pad,
      });
    }
    this.context = context;
  }

  /**
   * Validates UTF-8 bytes of one document. Returns libxml2's diagnostics, empty when valid. The caller
   * has refused DTDs already, so the stream parser meets no entity declarations and loads nothing.
   */
  valideer(bytes: Uint8Array): Libxml2Melding[] {
    return withStructuredErrors<Libxml2Melding[]>((errors: RuweFout[]) => {
      const invoer = xmlParserInputBufferCreateMem(bytes as Buffer, bytes.length, XML_CHAR_ENCODING_UTF8);
      const rc = xmlSchemaValidateStream(this.context, invoer, XML_CHAR_ENCODING_UTF8, null, null);
      const lijst = meldingen(errors);
      if (rc !== 0 && lijst.length === 0) {
        lijst.push({ domein: 0, code: rc, regel: 0, kolom: 0, tekst: `libxml2 reported failure ${rc} without a message` });
      }
      return lijst;
    });
  }
}
