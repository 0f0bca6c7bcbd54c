/**
 * One validated message through the engine: convert it (registering its objects, or only looking up their
 * Sleutels), validate the result against its keyed schema and give back the bytes to deliver. Shared by
 * `convert` (run.ts), the `serve` routes and folder mode. Call inside a bronregistratie transaction: an
 * output that would not validate throws `UitvoerOngeldig`, which rolls the registration back.
 */
import type { GelezenBericht } from '../bericht/lezen.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type Validatiefout } from '../bericht/validatie.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config } from '../plan/config.js';
import { zetBerichtOm, type BerichtUitkomst } from './bericht.js';

export class UitvoerOngeldig extends Error {
  constructor(readonly fouten: Validatiefout[]) {
    super('output would not validate');
  }
}

export interface GeldigBericht {
  bytes: Buffer;
  gelezen: GelezenBericht;
  bericht: HerkendBericht;
  kop: BerichtKop;
}

export interface Omzetting {
  uitkomst: BerichtUitkomst;
  /** the bytes to deliver: the rewritten message (its BOM kept), or the input itself when nothing changed */
  uitvoer: Buffer;
}

/** Converts and checks one message; throws `UitvoerOngeldig` when the result breaks its keyed schema. */
export function zetOmGecontroleerd(m: GeldigBericht, bestand: string, config: Config, register: SchemaRegister, bron: Bronregistratie, registreer = true): Omzetting {
  const u = zetBerichtOm(m.gelezen.tekst, m.bericht, m.kop, config, bron, registreer);
  if (!u.gewijzigd) return { uitkomst: u, uitvoer: m.bytes };
  const nieuw = Buffer.from(u.tekst);
  const controle = valideerBericht(nieuw, `${bestand} (output)`, register);
  if (!controle.geldig) throw new UitvoerOngeldig(controle.fouten);
  return { uitkomst: u, uitvoer: m.gelezen.bom ? Buffer.concat([m.gelezen.bytes.subarray(0, 3), nieuw]) : nieuw };
}
