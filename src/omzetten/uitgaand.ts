/**
 * Sending, one message: the one entry point of the sending side, `verwerkUitgaand`, used by the `convert` run
 * (runs/convert.ts, with the verdict and the plan made in a worker thread), folder mode (runs/map.ts) and
 * `POST /berichten/uitgaand`. It validates the message (or takes the verdict given), plans its conversion and
 * validates the planned text against its keyed schema (in any thread, see bericht.ts), then, in one
 * transaction, registers or looks up its objects and gives back the bytes to deliver. A message that is not
 * valid, or whose result would not be, comes back as an `Afkeuring`, with nothing registered.
 */
import { ongeldigeInvoer, ongeldigeUitvoer, redenTekst, type Afkeuring } from '../archief/quarantaine.js';
import type { HerkendBericht } from '../bericht/herkenning.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { sleutelNamespace } from '../bericht/catalogus.js';
import { metBomVan } from '../bericht/lezen.js';
import { valideerBericht, valideerHerschreven, type GeldigBericht, type Validatiefout, type Validatieresultaat } from '../bericht/validatie.js';
import type { Config } from '../config/typen.js';
import { NetwerkbrugFout } from '../fout.js';
import { planBericht, sjabloonAlsBytes, voerUit, type BerichtPlan, type BerichtUitkomst, type Sleutelregistratie } from './bericht.js';

/** Where a message's Sleutels are registered and looked up, all of a message in one transaction (the bronregistratie). */
export interface Registratie extends Sleutelregistratie {
  /** runs `fn` as one transaction (a savepoint inside a batch): all of its writes or none */
  transactie<T>(fn: () => T): T;
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

export interface UitgaandContext<T = void> {
  config: Config;
  register: SchemaRegister;
  bronregistratie: Registratie;
  /** names the input in errors and reasons */
  bestand: string;
  /** false: a message whose registration is already done (a resumed run): Sleutels are looked up, nothing is registered */
  registreer?: boolean;
  /** the input's verdict when it was made already (in a worker thread) */
  gevalideerd?: Validatieresultaat;
  /** the plan of a valid input when it was made already (in a worker thread) */
  gepland?: GeplandBericht;
  /** asked of a valid input before anything is planned (the sidecar: is the caller its Afzender); may throw */
  controleer?: (bericht: GeldigBericht) => void;
  /** done in the message's transaction, after its registration (a journal entry): all or nothing with it */
  inTransactie?: (omzetting: Omzetting, bericht: GeldigBericht) => T;
}

export type UitgaandUitkomst<T = void> = ({ soort: 'klaar'; bericht: HerkendBericht; vastgelegd: T } & Omzetting) | Afkeuring;

const UITVOER_ONGELDIG = 'the converted message would not validate against its keyed schema';

/** The converted message would not validate: thrown inside the transaction, so what was registered is undone. */
class UitvoerOngeldig extends NetwerkbrugFout {
  constructor(readonly fouten: Validatiefout[]) {
    super('BERICHT_ONGELDIG', UITVOER_ONGELDIG);
    this.name = 'UitvoerOngeldig';
  }
}

const EIGENAAR_NIET_BEDIEND = 'the owner of its informatieobjecten has no bronregistratie here (bronregistratie.eigenaren)';
const eigenaarNietBediend = (bestand: string, eigenaar: string): Afkeuring => {
  const fouten: Validatiefout[] = [{ code: 'EIGENAAR_NIET_BEDIEND', omschrijving: `${EIGENAAR_NIET_BEDIEND}: owner ${eigenaar}` }];
  return { soort: 'quarantaine', detail: EIGENAAR_NIET_BEDIEND, redenen: redenTekst(bestand, fouten), fouten };
};

const uitvoerAfgekeurd = (bestand: string, fouten: Validatiefout[]) => ongeldigeUitvoer(bestand, fouten, UITVOER_ONGELDIG, UITVOER_ONGELDIG);

/**
 * Plans a valid message's conversion and validates the planned text against its keyed schema (any thread).
 * `alsBytes`: the planned text becomes the bytes to deliver (`sjabloonAlsBytes`, a run's worker) before it is
 * validated, so it is encoded once and those very bytes are validated.
 */
export function planEnControleer(m: Pick<GeldigBericht, 'gelezen' | 'bericht' | 'kop'>, bestand: string, config: Config, register: SchemaRegister, alsBytes = false): GeplandBericht {
  const plan = planBericht(m.gelezen.tekst, m.bericht, m.kop, config);
  if (plan.sjabloon === undefined) return { plan, fouten: [] };
  const bytes = alsBytes ? sjabloonAlsBytes(plan, m.gelezen.bom)! : Buffer.from(plan.sjabloon);
  return { plan, fouten: controleer(bytes, m, bestand, register) };
}

/** Validates a rewritten message (placeholders or Sleutels in it) against its keyed schema. */
function controleer(bytes: Buffer, m: Pick<GeldigBericht, 'bericht' | 'kop'>, bestand: string, register: SchemaRegister): Validatiefout[] {
  return valideerHerschreven(bytes, `${bestand} (output)`, register, m.kop, sleutelNamespace(m.bericht.type));
}

/** Validates, plans, registers and rewrites one message to carry its Sleutels. */
export function verwerkUitgaand<T = void>(bytes: Buffer, ctx: UitgaandContext<T>): UitgaandUitkomst<T> {
  const { config, register, bronregistratie, bestand } = ctx;
  const v = ctx.gevalideerd ?? valideerBericht(bytes, bestand, register);
  if (!v.geldig) return ongeldigeInvoer(bestand, v.fouten);
  ctx.controleer?.(v);
  const gepland = ctx.gepland ?? planEnControleer(v, bestand, config, register);
  if (gepland.fouten.length) return uitvoerAfgekeurd(bestand, gepland.fouten);
  // owners separated (bronregistratie.eigenaren): a message of an owner without a database here registers nothing
  const vreemd = gepland.plan.stappen.find((s) => !bronregistratie.bedient(s.eigenaar));
  if (vreemd) return eigenaarNietBediend(bestand, vreemd.eigenaar);
  const omzetting = () => {
    const o = zetOm(bytes, v, gepland.plan, ctx);
    return { ...o, vastgelegd: (ctx.inTransactie ? ctx.inTransactie(o, v) : undefined) as T };
  };
  try {
    // a message without informatieobjecten registers nothing: no savepoint for its journal entry alone
    const o = gepland.plan.stappen.length === 0 ? omzetting() : bronregistratie.transactie(omzetting);
    return { soort: 'klaar', bericht: v.bericht, ...o };
  } catch (e) {
    if (!(e instanceof UitvoerOngeldig)) throw e;
    return uitvoerAfgekeurd(bestand, e.fouten);
  }
}

/** Registers (or looks up) the plan's objects and gives the bytes to deliver; throws `UitvoerOngeldig`. */
function zetOm(bytes: Buffer, m: GeldigBericht, plan: BerichtPlan, ctx: UitgaandContext<unknown>): Omzetting {
  const { config, register, bronregistratie, bestand } = ctx;
  // the text is asked for only when a message must be rewritten here: most are planned in a worker
  const u = voerUit(plan, bronregistratie, ctx.registreer ?? true, (sleutels) => planBericht(m.gelezen.tekst, m.bericht, m.kop, config, sleutels).sjabloon);
  if (u.bytes) return { uitkomst: u, uitvoer: u.bytes };
  if (u.tekst === undefined) return { uitkomst: u, uitvoer: bytes };
  const nieuw = Buffer.from(u.tekst);
  if (u.nietGevalideerd) {
    const fouten = controleer(nieuw, m, bestand, register);
    if (fouten.length) throw new UitvoerOngeldig(fouten);
  }
  return { uitkomst: u, uitvoer: metBomVan(m.gelezen, nieuw) };
}
