/**
 * Receiving, one message: the one entry point of the receiving side, `verwerkInkomend`, used by the
 * `rehydrate` run (runs/rehydrate.ts), folder mode (runs/map.ts) and `POST /berichten/inkomend`. It validates
 * the message, resolves its Sleutels and rehydrates it to the full 3.2 message (bericht.ts), and validates that
 * result against the plain schema. Either the output bytes and what the message carried, or an `Afkeuring`:
 * the reasons it cannot be handed on (for quarantine and a problem response). An owner that cannot be asked
 * now is not a fault of the message: `OplosserFout` is thrown, and the caller decides (try again later).
 */
import { foutRegel, ongeldigeInvoer, ongeldigeUitvoer, type Afkeuring } from '../archief/quarantaine.js';
import { metBomVan } from '../bericht/lezen.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type GeldigBericht, type Validatiefout } from '../bericht/validatie.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config } from '../config/typen.js';
import { rehydreerBericht, type RehydratieObject } from './bericht.js';
import { OplosserFout, type SleutelOplosser } from './oplosser.js';
import type { RehydratieResultaat } from './rapport.js';

export interface InkomendContext {
  config: Config;
  register: SchemaRegister;
  oplosser: SleutelOplosser;
  /** names the input in errors and reasons */
  bestand: string;
  /** asked of a valid input before any Sleutel is resolved (the sidecar: is the caller its Ontvanger); may throw */
  controleer?: (bericht: GeldigBericht) => void;
}

export type InkomendUitkomst = { soort: 'klaar'; uitvoer: Uint8Array; resultaat: RehydratieResultaat; objecten: RehydratieObject[] } | Afkeuring;

/** A refusal of the message as it is (an unresolvable Sleutel, data after its einddatum): one error, with its place. */
function afgewezen(e: NetwerkbrugFout, bestand: string): Afkeuring {
  const { regel, kolom, pad } = e.plaats ?? {};
  const fout: Validatiefout = { code: e.code, ...(regel ? { regel } : {}), ...(kolom ? { kolom } : {}), ...(pad ? { pad } : {}), omschrijving: e.message };
  return { soort: 'quarantaine', detail: e.message, redenen: [foutRegel(e, bestand)], fouten: [fout] };
}

/** Validates, resolves and rehydrates one message to the full 3.2 message. */
export async function verwerkInkomend(bytes: Buffer, ctx: InkomendContext): Promise<InkomendUitkomst> {
  const { register, bestand } = ctx;
  const v = valideerBericht(bytes, bestand, register);
  if (!v.geldig) return ongeldigeInvoer(bestand, v.fouten);
  ctx.controleer?.(v);
  let u;
  try {
    u = await rehydreerBericht(v.gelezen.tekst, v.bericht, v.kop, ctx);
  } catch (e) {
    if (!(e instanceof NetwerkbrugFout) || e instanceof OplosserFout) throw e;
    return afgewezen(e, bestand);
  }
  let uitvoer: Uint8Array = bytes;
  if (u.gewijzigd) {
    const nieuw = Buffer.from(u.tekst);
    const controle = valideerBericht(nieuw, `${bestand} (output)`, register);
    if (!controle.geldig || controle.bericht.schema.variant === 'sleutel') {
      return ongeldigeUitvoer(bestand, controle.fouten, 'the message or its rehydration is not valid', 'the rehydrated message would not validate against the plain 3.2 schema');
    }
    uitvoer = metBomVan(v.gelezen, nieuw);
  }
  const resultaat: RehydratieResultaat = {
    uitkomst: u.gewijzigd ? 'gerehydrateerd' : 'ongewijzigd',
    bericht: v.bericht.type.naam,
    objecten: u.objecten.map((o) => ({
      object: o.object,
      vorm: o.vorm,
      ...(o.verschillen.length ? { verschillen: o.verschillen } : {}),
      ...(o.onopgelost ? { onopgelost: true } : {}),
      ...(o.naEinddatum ? { naEinddatum: true } : {}),
    })),
  };
  return { soort: 'klaar', uitvoer, resultaat, objecten: u.objecten };
}
