/**
 * One incoming message, as the archive run and the sidecar's `POST /berichten/inkomend` both handle it:
 * validate, rehydrate, validate the full 3.2 result against the plain schema. Either the output bytes and
 * what the message carried, or the reasons it cannot be handed on (for quarantine and a problem response).
 */
import { redenTekst, foutRegel } from '../archief/quarantaine.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type Validatiefout, type Validatieresultaat } from '../bericht/validatie.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config } from '../config/typen.js';
import { rehydreerBericht, type RehydratieObject } from './bericht.js';
import type { SleutelOplosser } from './oplosser.js';
import type { RehydratieResultaat } from './rapport.js';
import { OplosserFout } from './oplosser.js';

export type InkomendUitkomst =
  | { soort: 'klaar'; uitvoer: Uint8Array; resultaat: RehydratieResultaat; objecten: RehydratieObject[] }
  /** `fout`: the first error as it was found (for a problem response); `fouten`: validation errors, if that was it */
  | { soort: 'quarantaine'; redenen: string[]; fout?: NetwerkbrugFout; fouten?: Validatiefout[] };

/** `gevalideerd`: the input's validation when the caller already did it (the sidecar checks the Ontvanger first). */
export async function verwerkInkomend(
  bytes: Buffer,
  bestand: string,
  opties: { config: Config; register: SchemaRegister; oplosser: SleutelOplosser },
  gevalideerd?: Validatieresultaat,
): Promise<InkomendUitkomst> {
  const { register } = opties;
  const v = gevalideerd ?? valideerBericht(bytes, bestand, register);
  if (!v.geldig) return { soort: 'quarantaine', redenen: redenTekst(bestand, v.fouten), fouten: v.fouten };
  let u;
  try {
    u = await rehydreerBericht(v.gelezen.tekst, v.bericht, v.kop, { ...opties, bestand });
  } catch (e) {
    // an owner that cannot be asked now is not a fault of the message: the caller decides (try again later)
    if (!(e instanceof NetwerkbrugFout) || e instanceof OplosserFout) throw e;
    return { soort: 'quarantaine', redenen: [foutRegel(e, bestand)], fout: e };
  }
  let uitvoer: Uint8Array = bytes;
  if (u.gewijzigd) {
    const nieuw = Buffer.from(u.tekst);
    const controle = valideerBericht(nieuw, `${bestand} (output)`, register);
    if (!controle.geldig || controle.bericht.schema.variant === 'sleutel') {
      return { soort: 'quarantaine', redenen: ['the rehydrated message would not validate against the plain 3.2 schema:', ...redenTekst(`${bestand} (output)`, controle.fouten)], fouten: controle.fouten };
    }
    uitvoer = v.gelezen.bom ? Buffer.concat([v.gelezen.bytes.subarray(0, 3), nieuw]) : nieuw;
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
