/**
 * Changing the cutover plan in its file, keeping comments and layout (YAML document API); a JSON file stays
 * JSON. The changed plan is validated like a loaded one before it is written, atomically.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { NetwerkbrugFout } from '../fout.js';
import { leesConfig, parseConfigTekst } from '../config/laden.js';
import type { Config } from '../config/typen.js';

export interface Wijziging {
  object: string;
  sleutelVanaf?: string;
  einddatum?: string;
  /** a counterpart code: the change goes under `afwijkend` */
  voor?: string;
}

export function wijzigPlan(bestand: string, w: Wijziging): Config {
  let tekst: string;
  try {
    tekst = readFileSync(bestand, 'utf8');
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `configuration cannot be read: ${(e as Error).message}`, { bestand });
  }
  parseConfigTekst(tekst, bestand);
  const pad = ['informatieobjecten', w.object, ...(w.voor ? ['afwijkend', w.voor] : [])];
  const json = /^\s*\{/.test(tekst);
  let nieuw: string;
  if (json) {
    const data = JSON.parse(tekst) as Record<string, unknown>;
    let doel = data;
    for (const stap of pad) doel = (doel[stap] ??= {}) as Record<string, unknown>;
    if (w.sleutelVanaf) doel.sleutelVanaf = w.sleutelVanaf;
    if (w.einddatum) doel.einddatum = w.einddatum;
    nieuw = JSON.stringify(data, null, 2) + '\n';
  } else {
    const doc = parseDocument(tekst);
    if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
    if (w.sleutelVanaf) doc.setIn([...pad, 'sleutelVanaf'], w.sleutelVanaf);
    if (w.einddatum) doc.setIn([...pad, 'einddatum'], w.einddatum);
    nieuw = doc.toString();
  }
  const config = leesConfig(parseConfigTekst(nieuw, bestand), bestand);
  // the configuration holds no personal data: it keeps the mode it had
  schrijfAtomisch(bestand, nieuw, { modus: statSync(bestand).mode & 0o777 });
  return config;
}
