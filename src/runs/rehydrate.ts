/**
 * A rehydration run over files, directories and zip archives (the CLI twin of `POST /berichten/inkomend`):
 * validate each message, resolve its Sleutels, validate the full 3.2 result against the plain schema, write
 * it atomically; anything that cannot be made whole goes to `quarantaine/` with its reason. Rehydration
 * writes nothing to the bronregistratie, so a re-run (after a crash too) writes the same outputs again.
 * Without an output folder the run only compares (`netwerkbrug verschillen`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { leesInvoer, verzamelInvoer, type Ziparchief } from '../archief/invoer.js';
import { foutRegel, QUARANTAINE, zetInQuarantaine } from '../archief/quarantaine.js';
import { ruimTijdelijkeOp, Runuitvoer } from '../archief/uitvoer.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config } from '../config/typen.js';
import { OplosserFout, type SleutelOplosser } from '../rehydreren/oplosser.js';
import { rehydratierapportage, type RehydratieResultaat, type Rehydratierapport } from '../rehydreren/rapport.js';
import { verwerkInkomend } from '../rehydreren/inkomend.js';

export interface RehydratieRunOpties {
  invoer: string[];
  /** output folder; without it nothing is written (compare only) */
  uit?: string;
  config: Config;
  register: SchemaRegister;
  oplosser: SleutelOplosser;
  voortgang?: (klaar: number) => void;
}

export async function rehydreer(opties: RehydratieRunOpties): Promise<Rehydratierapport> {
  const { uit, config, register, oplosser } = opties;
  const resultaten = rehydratierapportage();
  resultaten.invoer(opties.invoer);
  const uitvoermap = uit ? new Runuitvoer(uit) : undefined;
  let klaar = 0;
  if (uit) ruimTijdelijkeOp(uit);

  const klaarMet = (bestand: string, r: RehydratieResultaat) => {
    resultaten.voegToe(bestand, r);
    opties.voortgang?.(++klaar);
  };
  const quarantaine = async (bestand: string, relatief: string, zip: Ziparchief | undefined, bytes: Uint8Array | undefined, redenen: string[]) => {
    if (uit) await zetInQuarantaine({ map: resolve(uit, QUARANTAINE), bestand, relatief, zip, bytes, redenen });
    klaarMet(bestand, { uitkomst: 'quarantaine', redenen });
  };

  for await (const item of verzamelInvoer(opties.invoer)) {
    switch (item.soort) {
      case 'zip-begin':
        uitvoermap?.zipBegin(item.zip);
        continue;
      case 'zip-einde':
        await uitvoermap?.zipEinde(item.zip, item.volledig);
        continue;
      case 'fout': {
        if (!item.zip) throw item.fout;
        const bestand = item.zip.pad;
        await quarantaine(bestand, item.zip.relatief, undefined, await readFile(bestand).catch(() => undefined), [foutRegel(item.fout, bestand)]);
        continue;
      }
      case 'overgeslagen':
        await uitvoermap?.schrijf(item.relatief, item.zip, await item.lees());
        klaarMet(item.bestand, { uitkomst: 'doorgegeven' });
        continue;
    }
    const { invoer } = item;
    const bestand = invoer.bestand;
    let bytes: Buffer;
    try {
      bytes = await leesInvoer(invoer);
    } catch (e) {
      if (!(e instanceof NetwerkbrugFout)) throw e;
      await quarantaine(bestand, invoer.relatief, invoer.zip, undefined, [foutRegel(e, bestand)]);
      continue;
    }
    let u;
    try {
      u = await verwerkInkomend(bytes, { config, register, oplosser, bestand });
    } catch (e) {
      if (!(e instanceof OplosserFout)) throw e;
      // kept with its reason; run rehydrate again on the quarantine folder once the owner answers
      await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, [foutRegel(e, bestand)]);
      continue;
    }
    if (u.soort === 'quarantaine') {
      await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, u.redenen);
      continue;
    }
    await uitvoermap?.schrijf(invoer.relatief, invoer.zip, u.uitvoer);
    klaarMet(bestand, u.resultaat);
  }
  await uitvoermap?.wacht();
  return resultaten.rapport;
}
