/**
 * A conversion run over files, directories and zip archives: validate each message, convert it (one
 * bronregistratie transaction per message, its journal entry included), validate the output, write it
 * atomically; anything bad goes to `quarantaine/` with its reason. Re-running the same run (same inputs,
 * output folder and plan) is safe at any point: registration is idempotent, the journal keeps each input's
 * first result, outputs are rewritten with the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { leesInvoer, verzamelInvoer, type ZipBron } from '../archief/invoer.js';
import { foutRegel, QUARANTAINE, redenTekst, zetInQuarantaine } from '../archief/quarantaine.js';
import { ruimTijdelijkeOp, Runuitvoer, veiligPad } from '../archief/uitvoer.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht } from '../bericht/validatie.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config } from '../plan/config.js';
import { UitvoerOngeldig, zetOmGecontroleerd } from './verwerking.js';
import { maakRapport, type InvoerResultaat, type Rapport } from './rapport.js';

export interface RunOpties {
  invoer: string[];
  uit: string;
  config: Config;
  register: SchemaRegister;
  bron: Bronregistratie;
  /** called after each input with the number done */
  voortgang?: (klaar: number) => void;
}

const BATCH = 200;

/** Identifies a run by its inputs, output folder and plan: the same command is the same run. */
export function runId(opties: Pick<RunOpties, 'invoer' | 'uit' | 'config'>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ invoer: opties.invoer.map((p) => resolve(p)), uit: resolve(opties.uit), plan: opties.config.informatieobjecten }));
  return h.digest('hex').slice(0, 16);
}

export async function converteer(opties: RunOpties): Promise<Rapport> {
  const { uit, config, register, bron } = opties;
  const run = runId(opties);
  const quarantaineMap = resolve(uit, QUARANTAINE);
  const resultaten = new Map<string, InvoerResultaat>();
  const uitvoermap = new Runuitvoer(uit);
  let klaar = 0;
  ruimTijdelijkeOp(uit);

  const quarantaine = async (bestand: string, relatief: string, zip: ZipBron | undefined, bytes: Uint8Array | undefined, redenen: string[]) => {
    await zetInQuarantaine({ map: quarantaineMap, bestand, relatief, zip, bytes, redenen });
    const r: InvoerResultaat = { uitkomst: 'quarantaine', redenen };
    bron.journaliseer(run, bestand, r);
    return (bron.journaal(run, bestand) as InvoerResultaat | undefined) ?? r;
  };

  // Messages are registered in batches of BATCH (one SQLite commit each); their outputs are written only
  // after their batch is committed, so no output ever names a Sleutel the bronregistratie does not hold.
  let wachtend: Array<() => Promise<void>> = [];
  const bevestig = async () => {
    bron.bevestig();
    const taken = wachtend;
    wachtend = [];
    for (const taak of taken) await taak();
    bron.begin();
  };
  const schrijf = async (relatief: string, zip: ZipBron | undefined, inhoud: Uint8Array | string) => {
    wachtend.push(() => uitvoermap.schrijf(relatief, zip, inhoud));
    if (wachtend.length >= BATCH) await bevestig();
  };

  bron.begin();
  try {
    await verwerk();
    await bevestig();
  } finally {
    bron.draaiTerug();
  }
  await uitvoermap.wacht();
  return maakRapport(run, resultaten);

  async function verwerk() {
    for await (const item of verzamelInvoer(opties.invoer)) {
      switch (item.soort) {
        case 'zip-begin':
          uitvoermap.zipBegin(item.zip);
          continue;
        case 'zip-einde':
          await bevestig();
          await uitvoermap.zipEinde(item.zip, item.volledig);
          continue;
        case 'fout': {
          if (!item.zip) throw item.fout;
          const { fout } = item;
          const bestand = item.zip.pad;
          const bytes = await readFile(bestand).catch(() => undefined);
          resultaten.set(bestand, await quarantaine(bestand, item.zip.relatief, undefined, bytes, [foutRegel(fout, bestand)]));
          continue;
        }
        case 'overgeslagen': {
          // not a message (a README, a note): passed through unchanged, nothing lost
          await schrijf(item.relatief, item.zip, await item.lees());
          const r: InvoerResultaat = { uitkomst: 'doorgegeven' };
          resultaten.set(item.bestand, r);
          opties.voortgang?.(++klaar);
          continue;
        }
      }
      const { invoer } = item;
      const bestand = invoer.bestand;
      const eerder = bron.journaal(run, bestand) as InvoerResultaat | undefined;
      if (!invoer.zip) {
        const doel = eerder?.uitkomst === 'quarantaine' ? veiligPad(quarantaineMap, invoer.relatief) : veiligPad(uit, invoer.relatief);
        if (eerder && existsSync(doel)) {
          resultaten.set(bestand, eerder);
          opties.voortgang?.(++klaar);
          continue;
        }
      }
      let bytes: Buffer;
      try {
        bytes = await leesInvoer(invoer);
      } catch (e) {
        if (!(e instanceof NetwerkbrugFout)) throw e;
        resultaten.set(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, undefined, [foutRegel(e, bestand)]));
        opties.voortgang?.(++klaar);
        continue;
      }
      const invoerResultaat = valideerBericht(bytes, bestand, register);
      if (!invoerResultaat.geldig || !invoerResultaat.bericht || !invoerResultaat.gelezen || !invoerResultaat.kop) {
        resultaten.set(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, redenTekst(bestand, invoerResultaat.fouten)));
        opties.voortgang?.(++klaar);
        continue;
      }
      const { bericht, gelezen, kop } = invoerResultaat;
      let uitvoer: Uint8Array;
      let resultaat: InvoerResultaat;
      try {
        resultaat = bron.transactie(() => {
          const { uitkomst: u, uitvoer: u8 } = zetOmGecontroleerd({ bytes: bytes!, gelezen, bericht, kop }, bestand, config, register, bron, !eerder);
          uitvoer = u8;
          const r: InvoerResultaat = {
            uitkomst: u.gewijzigd ? 'omgezet' : 'ongewijzigd',
            bericht: bericht.type.naam,
            objecten: u.objecten.map((o) => ({ object: o.object, fase: o.fase, ...(o.onbekend ? { onbekend: true } : {}) })),
            sleutels: u.objecten.filter((o) => o.nieuweSleutel).length,
            versies: u.objecten.filter((o) => o.nieuweVersie).length,
            alleenSleutels: u.alleenSleutels,
          };
          bron.journaliseer(run, bestand, r);
          // a resumed run keeps what the first attempt recorded
          return (bron.journaal(run, bestand) as InvoerResultaat | undefined) ?? r;
        });
      } catch (e) {
        if (!(e instanceof UitvoerOngeldig)) throw e;
        const redenen = ['the converted message would not validate against its keyed schema:', ...redenTekst(`${bestand} (output)`, e.fouten)];
        resultaten.set(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, redenen));
        opties.voortgang?.(++klaar);
        continue;
      }
      await schrijf(invoer.relatief, invoer.zip, uitvoer!);
      resultaten.set(bestand, resultaat);
      opties.voortgang?.(++klaar);
    }
  }
}
