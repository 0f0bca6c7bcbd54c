/**
 * The cases of the differential conformance test. For every message with a published XSD: every
 * published example, every composed reference example, every fixture of the example archive, a few
 * generated messages, and at least 20 mutations; each to be judged by our XSD and the published one.
 * For the iWmo retours, which have no published XSD, the oracle is the published iJw counterpart, fed
 * the same document moved into the iJw namespaces (codes that differ between the standards are mapped).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERICHT_TYPES, type BerichtType } from '../../src/bericht/catalogus.js';
import { STANDAARD_SCHEMAS } from '../../src/bericht/schemas.js';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { GEPUBLICEERD, REFERENTIE_VOORBEELDEN, ROOT } from '../helpers/paden.js';
import { mutaties } from './mutaties.js';

export interface Geval {
  bericht: string;
  naam: string;
  /** our schema and the document for it */
  ons: string;
  tekst: string;
  /** the published schema and the document for it */
  orakel: string;
  orakelTekst: string;
}

export const gepubliceerdeXsd = (t: BerichtType) => join(GEPUBLICEERD, `${t.standaard}-3.2`, 'xsd', `${t.naam}.xsd`);
export const onzeXsd = (t: BerichtType) => join(STANDAARD_SCHEMAS, `${t.standaard}-3.2`, `${t.naam}.xsd`);

const tegenhanger = (t: BerichtType) => BERICHT_TYPES.find((x) => x.standaard === 'ijw' && x.nummer === t.nummer)!;

/** iWmo message text → the same message in iJw namespaces and codes. */
export function naarIjw(tekst: string, t: BerichtType): string {
  const jw = tegenhanger(t);
  const codeMap = new Map(BERICHT_TYPES.filter((x) => x.standaard === 'iwmo').map((x) => [x.berichtCode, tegenhanger(x).berichtCode]));
  const reden: Record<string, string> = { '19': '31', '21': '32', '22': '33', '23': '34' };
  return tekst
    .replaceAll(t.namespace, jw.namespace)
    .replaceAll(t.basisNamespace, jw.basisNamespace)
    .replace(/(<(?:\w+:)?BerichtCode>)(\d+)(<)/, (_, a, c, b) => a + (codeMap.get(c) ?? c) + b)
    .replace(/(<(?:\w+:)?(?:Categorie|ProductCategorie)>)(0[1-9]|1[0-8])(<)/g, '$145$3')
    .replace(/(<(?:\w+:)?RedenBeeindiging>)(19|21|22|23)(<)/g, (_, a, c, b) => a + reden[c] + b);
}

function documenten(t: BerichtType): Array<{ naam: string; tekst: string }> {
  const docs: Array<{ naam: string; tekst: string }> = [];
  const gepubliceerd = join(GEPUBLICEERD, `${t.standaard}-3.2`, 'berichten', `${t.naam}.xml`);
  if (existsSync(gepubliceerd)) docs.push({ naam: `published ${t.naam}.xml`, tekst: readFileSync(gepubliceerd, 'utf8') });
  for (const f of readdirSync(REFERENTIE_VOORBEELDEN).filter((f) => f.startsWith(`${t.naam}_`))) {
    docs.push({ naam: `reference ${f}`, tekst: readFileSync(join(REFERENTIE_VOORBEELDEN, f), 'utf8') });
  }
  const fixtures = join(ROOT, 'fixtures', 'voorbeeldarchief', t.standaard);
  if (existsSync(fixtures)) {
    for (const f of readdirSync(fixtures).filter((f) => f.startsWith(`${t.naam}_`))) {
      docs.push({ naam: `fixture ${f}`, tekst: readFileSync(join(fixtures, f), 'utf8') });
    }
  }
  for (const [seed, stijl] of [[1, 'prefix'], [2, 'standaardnamespace']] as const) {
    docs.push({ naam: `generated seed ${seed} ${stijl}`, tekst: genereerBericht(t.standaard, t.nummer, seed, { stijl, relaties: 3 }) });
  }
  return docs;
}

/** All cases for one message type. */
export function gevallen(t: BerichtType): Geval[] {
  const heeftGepubliceerd = existsSync(gepubliceerdeXsd(t));
  const orakelType = heeftGepubliceerd ? t : tegenhanger(t);
  const vertaal = heeftGepubliceerd ? (s: string) => s : (s: string) => naarIjw(s, t);
  const docs = documenten(t);
  // mutate a valid document with as many elements as possible: the richest generated one
  const basis = docs.filter((d) => d.naam.startsWith('generated')).sort((a, b) => b.tekst.length - a.tekst.length)[0]!;
  const ander = BERICHT_TYPES.find((x) => x.standaard === t.standaard && x.nummer !== t.nummer)!.berichtCode;
  const alle = [...docs, ...mutaties(basis.tekst, ander).map((m) => ({ naam: `mutation ${m.naam}`, tekst: m.tekst }))];
  return alle.map((d) => ({
    bericht: t.naam,
    naam: d.naam,
    ons: onzeXsd(t),
    tekst: d.tekst,
    orakel: gepubliceerdeXsd(orakelType),
    orakelTekst: vertaal(d.tekst),
  }));
}
