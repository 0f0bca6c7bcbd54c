/**
 * The two validators of the differential test: libxml2 (through our compiled-schema wrapper) and Xerces
 * (xsd-schema-validator, a JVM per call, so calls are run a few at a time).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import xsdValidator from 'xsd-schema-validator';
import { GecompileerdSchema } from '../../src/bericht/libxml2.js';
import { STANDAARD_SCHEMAS } from '../../src/bericht/schemas.js';
import { GEPUBLICEERD, ORAKEL } from '../helpers/paden.js';

const schemas = new Map<string, GecompileerdSchema>();

export function libxml2Geldig(xsd: string, tekst: string): boolean {
  let s = schemas.get(xsd);
  if (!s) schemas.set(xsd, (s = new GecompileerdSchema(xsd)));
  return s.valideer(Buffer.from(tekst)).length === 0;
}

const MAX_JVMS = Math.max(2, availableParallelism() * 2);
let actief = 0;
const wachtrij: Array<() => void> = [];

/**
 * Xerces verdict. Xerces reports a document it cannot parse and a schema it cannot compile alike
 * (FATAL_ERROR): the test checks separately that every schema compiles under Xerces.
 */
export async function xercesGeldig(xsd: string, tekst: string): Promise<boolean> {
  if (actief >= MAX_JVMS) await new Promise<void>((ok) => wachtrij.push(ok));
  actief++;
  try {
    const r = await xsdValidator.validateXML(tekst, xsd);
    return r.valid;
  } catch (e) {
    const m = (e as Error).message;
    if (/invalid xml \(status=(WITH_ERRORS|FATAL_ERROR)\)/.test(m)) return false;
    throw e;
  } finally {
    actief--;
    wachtrij.shift()?.();
  }
}

/**
 * A full 3.2 message is valid: against our plain XSD always, and against the published XSD too when the
 * oracle is there (in CI it always is).
 */
export function geldig3_2(standaard: 'iwmo' | 'ijw', naam: string, tekst: string): boolean {
  const ons = libxml2Geldig(join(STANDAARD_SCHEMAS, `${standaard}-3.2`, `${naam}.xsd`), tekst);
  return ORAKEL ? ons && libxml2Geldig(join(GEPUBLICEERD, `${standaard}-3.2`, 'xsd', `${naam}.xsd`), tekst) : ons;
}
