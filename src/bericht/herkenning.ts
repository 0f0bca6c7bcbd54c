/**
 * Detection: from the root namespace and Header/BerichtCode, which standard, message and release this is,
 * and which schema validates it. Every refusal names what was found and what was expected.
 */
import { NetwerkbrugFout } from '../fout.js';
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
    throw fout('BERICHT_ONBEKEND', `root element is ${kop.rootLokaal || '(none)'}; an iWmo/iJw message has root element Bericht`, `/${kop.rootLokaal}`);
  }
  const ingang = register.zoek(ns);
  const gelezen = leesNamespace(ns);
  if (!ingang) {
    if (gelezen && gelezen.release !== RELEASE) {
      throw fout('BERICHT_RELEASE', `message is release ${gelezen.release} (namespace ${ns}); expected release ${RELEASE}`, '/Bericht');
    }
    if (gelezen) {
      throw fout('SCHEMA_ONTBREEKT', `no schema for namespace ${ns} in ${register.map}`, '/Bericht');
    }
    throw fout(
      'BERICHT_ONBEKEND',
      ns
        ? `namespace ${ns} is not an iWmo or iJw ${RELEASE} message namespace (expected e.g. http://www.istandaarden.nl/iwmo/3_2/wmo301/schema)`
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
        : `BerichtCode ${kop.berichtCode} is not a known iWmo/iJw ${RELEASE} message code; ${type.naam} (namespace ${ns}) has BerichtCode ${type.berichtCode}`,
      '/Bericht/Header/BerichtCode',
    );
  }
  if (kop.berichtVersie !== undefined && kop.berichtSubversie !== undefined) {
    const versie = `${kop.berichtVersie}.${kop.berichtSubversie}`;
    if (versie !== RELEASE) {
      throw fout('BERICHT_RELEASE', `BerichtVersie ${kop.berichtVersie} and BerichtSubversie ${kop.berichtSubversie} say release ${versie}; expected ${RELEASE}`, '/Bericht/Header/BerichtVersie');
    }
  }
  return { type, release, namespace: ns, schema: ingang };
}
