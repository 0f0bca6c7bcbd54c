import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared beside the checkout: the published schemas and examples are the oracle */
export const SHARED = join(ROOT, '..', 'shared');
export const GEPUBLICEERD = join(SHARED, 'istandaarden');
export const REFERENTIE_VOORBEELDEN = join(SHARED, 'reference', 'examples');
export const BIN = join(ROOT, 'bin', 'netwerkbrug.js');

/** The published example of a message, e.g. `voorbeeld('ijw', 'JW301')`. */
export const voorbeeld = (standaard: 'iwmo' | 'ijw', naam: string) => join(GEPUBLICEERD, `${standaard}-3.2`, 'berichten', `${naam}.xml`);
