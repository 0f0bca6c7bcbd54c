/**
 * The law source of the law separation (wetscheiding.ts) read from an archive: schema v3 kept no law, but every
 * message it registered names its standard in its namespace (plain 3.2 or keyed). The messages of the archive
 * the database was built from (input or output of `convert`) give the law of each (Afzender, Dagtekening,
 * BerichtIdentificatie). Only the header is read; a message whose identification occurs under both laws is
 * left unknown (the safe answer).
 */
import { verzamelInvoer, leesInvoer } from '../archief/invoer.js';
import { leesNamespace, WET_VAN, type Standaard, type Wet } from '../bericht/catalogus.js';
import { leesKop } from '../bericht/kop.js';
import type { Wetbron } from './wetscheiding.js';

const SLEUTEL_NS = /^urn:netwerkbrug:(iwmo|ijw):/;

/** The law of a message by its root namespace (plain or keyed), if it is an iWmo or iJw message. */
export function wetVanNamespace(ns: string): Wet | undefined {
  const standaard = (leesNamespace(ns)?.standaard ?? SLEUTEL_NS.exec(ns)?.[1]) as Standaard | undefined;
  return standaard ? WET_VAN[standaard] : undefined;
}

export interface Archiefwetten {
  wetbron: Wetbron;
  berichten: number;
  /** identifications found under both laws: left unknown */
  tegenstrijdig: number;
}

export async function wetbronUitArchief(paden: string[]): Promise<Archiefwetten> {
  const wetten = new Map<string, Wet | null>();
  let berichten = 0;
  for await (const item of verzamelInvoer(paden)) {
    if (item.soort !== 'bericht') continue;
    let kop;
    try {
      kop = leesKop((await leesInvoer(item.invoer)).toString('utf8'));
    } catch {
      continue;
    }
    const wet = kop && wetVanNamespace(kop.rootNamespace);
    if (!kop || !wet || !kop.afzender || !kop.dagtekening || kop.identificatie === undefined) continue;
    berichten++;
    const sleutel = JSON.stringify([kop.afzender, kop.dagtekening, kop.identificatie]);
    const eerder = wetten.get(sleutel);
    wetten.set(sleutel, eerder === undefined || eerder === wet ? wet : null);
  }
  const tegenstrijdig = [...wetten.values()].filter((w) => w === null).length;
  return {
    berichten,
    tegenstrijdig,
    wetbron: (b) => wetten.get(JSON.stringify([b.eigenaar, b.dagtekening, b.berichtIdentificatie])) ?? undefined,
  };
}
