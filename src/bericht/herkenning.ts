/**
 * Detection: from the root namespace and Header/BerichtCode, which standard, message and release this is,
 * and which schema validates it. Every refusal names what was found and what was expected.
 */
import { NetwerkbrugFout } from '../fout.js';
import { beschrijfElement, beschrijfNamespace } from './foutteksten.js';
import {
  BERICHT_TYPES,
  type BerichtType,
  leesNamespace,
  RELEASE,
  typeVoorCode,
} from './catalogus.js';
import type { BerichtKop } from './kop.js';
import type { SchemaIngang, SchemaRegister } from './schemas.js';

export interface HerkendBericht {
  type: BerichtType;
  release: string;
  namespace: string;
  schema: SchemaIngang;
}

const PER_NAAM = new Map(BERICHT_TYPES.map((t) => [`${t.standaard}/${t.naam.toLowerCase()}`, t]));

export function herken(kop: BerichtKop, register: SchemaRegister, bestand: string): HerkendBericht {
  const fout = (code: 'BERICHT_ONBEKEND' | 'BERICHT_RELEASE' | 'BERICHT_ONGELDIG' | 'SCHEMA_ONTBREEKT', msg: string, pad?: string) =>
    new NetwerkbrugFout(code, msg, { bestand, ...(pad ? { pad } : {}) });
  const ns = kop.rootNamespace;
  if (kop.rootLokaal !== 'Bericht') {
    // a root name the schemas do not declare is described, not repeated: it is text from the message
    const bekend = register.elementnamen.has(kop.rootLokaal);
    throw fout('BERICHT_ONBEKEND', `root element is ${kop.rootLokaal ? beschrijfElement(kop.rootLokaal, register.elementnamen) : '(none)'}; an iWmo/iJw message has root element Bericht`, `/${bekend ? kop.rootLokaal : '*'}`);
  }
  const ingang = register.zoek(ns);
  const gelezen = leesNamespace(ns);
  if (!ingang) {
    if (gelezen && gelezen.release !== RELEASE) {
      throw fout('BERICHT_RELEASE', `message is release ${gelezen.release} (${beschrijfNamespace(ns)}); expected release ${RELEASE}`, '/Bericht');
    }
    if (gelezen) {
      throw fout('SCHEMA_ONTBREEKT', `no schema for ${beschrijfNamespace(ns)} in ${register.map}`, '/Bericht');
    }
    throw fout(
      'BERICHT_ONBEKEND',
      ns
        ? `the root element's namespace is ${beschrijfNamespace(ns)}, not an iWmo or iJw ${RELEASE} message namespace (expected e.g. http://www.istandaarden.nl/iwmo/3_2/wmo301/schema)`
        : `root element Bericht has no namespace; expected an iWmo or iJw ${RELEASE} message namespace`,
      '/Bericht',
    );
  }
  const standaard = ingang.standaard ?? gelezen?.standaard;
  const bericht = ingang.bericht ?? (gelezen ? `${gelezen.standaard === 'iwmo' ? 'wmo' : 'jw'}${gelezen.nummer}` : undefined);
  const type = PER_NAAM.get(`${standaard}/${bericht}`);
  if (!type) {
    throw fout('BERICHT_ONBEKEND', `schema ${ingang.pad} declares message ${bericht ?? '?'} of standard ${standaard ?? '?'}, which is not one of the 28 iWmo/iJw messages`, '/Bericht');
  }
  const release = ingang.release ?? gelezen?.release ?? RELEASE;
  if (release !== RELEASE) {
    throw fout('BERICHT_RELEASE', `message is release ${release}; expected release ${RELEASE}`, '/Bericht');
  }
  if (kop.berichtCode !== undefined && kop.berichtCode !== type.berichtCode) {
    const ander = typeVoorCode(kop.berichtCode);
    throw fout(
      'BERICHT_ONGELDIG',
      ander
        ? `BerichtCode ${kop.berichtCode} is that of ${ander.naam} (${ander.omschrijving}), but the namespace is that of ${type.naam}; expected BerichtCode ${type.berichtCode}`
        : `BerichtCode is not a known iWmo/iJw ${RELEASE} message code; ${type.naam} (namespace ${type.namespace}) has BerichtCode ${type.berichtCode}`,
      '/Bericht/Header/BerichtCode',
    );
  }
  if (kop.berichtVersie !== undefined && kop.berichtSubversie !== undefined) {
    const versie = `${kop.berichtVersie}.${kop.berichtSubversie}`;
    if (versie !== RELEASE) {
      // small numbers are named; anything else is text from the message and is only described
      const cijfers = /^\d{1,2}$/.test(kop.berichtVersie) && /^\d{1,2}$/.test(kop.berichtSubversie);
      throw fout(
        'BERICHT_RELEASE',
        cijfers
          ? `BerichtVersie ${kop.berichtVersie} and BerichtSubversie ${kop.berichtSubversie} say release ${versie}; expected ${RELEASE}`
          : `BerichtVersie and BerichtSubversie do not say a release number; expected ${RELEASE}`,
        '/Bericht/Header/BerichtVersie',
      );
    }
  }
  return { type, release, namespace: ns, schema: ingang };
}
