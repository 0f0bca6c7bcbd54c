import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The test oracle: the published iWmo/iJw 3.2 XSDs and example messages, a folder holding `iwmo-3.2/` and
 * `ijw-3.2/` (each with `xsd/` and `berichten/`). It is not part of the project: `NETWERKBRUG_ORAKEL` names it,
 * and `../shared/istandaarden` beside the checkout is used when that variable is unset and the folder exists.
 * Without it the tests that need it are skipped (`describe.skipIf(!ORAKEL)`), and test/setup/orakel.ts says so.
 */
const orakelMap = process.env.NETWERKBRUG_ORAKEL ? resolve(process.env.NETWERKBRUG_ORAKEL) : join(ROOT, '..', 'shared', 'istandaarden');
const aanwezig = existsSync(join(orakelMap, 'iwmo-3.2', 'xsd')) && existsSync(join(orakelMap, 'ijw-3.2', 'xsd'));
if (process.env.NETWERKBRUG_ORAKEL && !aanwezig) {
  throw new Error(`NETWERKBRUG_ORAKEL names ${orakelMap}, which has no iwmo-3.2/xsd and ijw-3.2/xsd folders`);
}
/** true when the published XSDs and examples are there */
export const ORAKEL = aanwezig;
/** the oracle's folder (only meaningful when ORAKEL is true) */
export const GEPUBLICEERD = orakelMap;

/** Composed example messages (fictional data), the project's own fixtures. */
export const REFERENTIE_VOORBEELDEN = join(ROOT, 'fixtures', 'referentie');
/** A composed example, e.g. `referentie('WMO301_toewijzing')`. */
export const referentie = (naam: string) => join(REFERENTIE_VOORBEELDEN, `${naam}.xml`);

/** The published example of a message, e.g. `voorbeeld('ijw', 'JW301')`: oracle only. */
export const voorbeeld = (standaard: 'iwmo' | 'ijw', naam: string) => join(GEPUBLICEERD, `${standaard}-3.2`, 'berichten', `${naam}.xml`);
