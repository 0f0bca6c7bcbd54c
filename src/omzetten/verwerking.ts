/**
 * One validated message through the engine: plan its conversion and validate the planned text against its
 * keyed schema (in any thread, see bericht.ts), then register or look up its objects and give back the
 * bytes to deliver. Shared by `convert` (run.ts, with the plan made in a worker thread), the `serve` routes
 * and folder mode. Call inside a bronregistratie transaction. An output that would not validate throws
 * `UitvoerOngeldig`, before anything is registered.
 */
import { NetwerkbrugFout } from '../fout.js';
import type { GelezenBericht } from '../bericht/lezen.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type Validatiefout } from '../bericht/validatie.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config } from '../config/typen.js';
import { planBericht, voerUit, type BerichtPlan, type BerichtUitkomst } from './bericht.js';

/** The converted message would not validate against its keyed schema (nothing is registered then). */
export class UitvoerOngeldig extends NetwerkbrugFout {
  constructor(readonly fouten: Validatiefout[]) {
    super('BERICHT_ONGELDIG', 'the converted message would not validate against its keyed schema');
    this.name = 'UitvoerOngeldig';
  }
}

export interface GeldigBericht {
  bytes: Buffer;
  gelezen: GelezenBericht;
  bericht: HerkendBericht;
  kop: BerichtKop;
}

/** A plan and what validating its text found (empty: valid, or nothing to validate). */
export interface GeplandBericht {
  plan: BerichtPlan;
  fouten: Validatiefout[];
}

export interface Omzetting {
  uitkomst: BerichtUitkomst;
  /** the bytes to deliver: the rewritten message (its BOM kept), or the input itself when nothing changed */
  uitvoer: Buffer;
}

/** Plans a message's conversion and validates the planned text against its keyed schema. */
export function planEnControleer(m: Pick<GeldigBericht, 'gelezen' | 'bericht' | 'kop'>, bestand: string, config: Config, register: SchemaRegister): GeplandBericht {
  const plan = planBericht(m.gelezen.tekst, m.bericht, m.kop, config);
  return { plan, fouten: plan.sjabloon ? controleer(plan.sjabloon, bestand, register) : [] };
}

function controleer(tekst: string, bestand: string, register: SchemaRegister): Validatiefout[] {
  return valideerBericht(Buffer.from(tekst), `${bestand} (output)`, register).fouten;
}

/** Converts one message; throws `UitvoerOngeldig` when the result breaks its keyed schema. */
export function zetOmGecontroleerd(
  m: GeldigBericht,
  bestand: string,
  config: Config,
  register: SchemaRegister,
  bron: Bronregistratie,
  registreer = true,
  gepland: GeplandBericht = planEnControleer(m, bestand, config, register),
): Omzetting {
  if (gepland.fouten.length) throw new UitvoerOngeldig(gepland.fouten);
  // the text is asked for only when a message must be rewritten here: most are planned in a worker
  const u = voerUit(gepland.plan, bron, registreer, (sleutels) => planBericht(m.gelezen.tekst, m.bericht, m.kop, config, sleutels).sjabloon);
  if (u.tekst === undefined) return { uitkomst: u, uitvoer: m.bytes };
  if (u.nietGevalideerd) {
    const fouten = controleer(u.tekst, bestand, register);
    if (fouten.length) throw new UitvoerOngeldig(fouten);
  }
  const nieuw = Buffer.from(u.tekst);
  return { uitkomst: u, uitvoer: m.gelezen.bom ? Buffer.concat([m.gelezen.bytes.subarray(0, 3), nieuw]) : nieuw };
}
