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
import { verzamelInvoer, type ZipBron } from '../archief/invoer.js';
import { foutRegel, QUARANTAINE, redenTekst, zetInQuarantaine } from '../archief/quarantaine.js';
import { ruimTijdelijkeOp, Runuitvoer, veiligPad } from '../archief/uitvoer.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { Runjournaal } from './journaal.js';
import { valideerVooruit, type Runpool } from './pool.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config } from '../plan/config.js';
import { UitvoerOngeldig, zetOmGecontroleerd } from '../omzetten/verwerking.js';
import { conversierapportage, type InvoerResultaat, type Rapport } from '../omzetten/rapport.js';

export interface RunOpties {
  invoer: string[];
  uit: string;
  config: Config;
  register: SchemaRegister;
  bron: Bronregistratie;
  /** validation workers; without them, inputs are validated in this thread */
  pool?: Runpool;
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
  const resultaten = conversierapportage(run);
  const pool = opties.pool;
  const uitvoermap = new Runuitvoer(uit, pool ? { schrijver: (pad, inhoud) => pool.schrijf(pad, inhoud), inVlucht: 64 } : {});
  let klaar = 0;
  ruimTijdelijkeOp(uit);

  const quarantaine = async (bestand: string, relatief: string, zip: ZipBron | undefined, bytes: Uint8Array | undefined, redenen: string[]) => {
    await zetInQuarantaine({ map: quarantaineMap, bestand, relatief, zip, bytes, redenen });
    return journaliseer(bestand, { uitkomst: 'quarantaine', redenen });
  };
  // an input's first result is kept: a resumed run reports what the first attempt recorded
  const journaal = new Runjournaal(bron.verbinding);
  const journaliseer = (bestand: string, r: InvoerResultaat): InvoerResultaat =>
    journaal.journaliseer(run, bestand, r) ? r : ((journaal.journaal(run, bestand) as InvoerResultaat | undefined) ?? r);
  const hervat = journaal.heeftJournaal(run);

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
  return resultaten.rapport;

  async function verwerk() {
    for await (const item of valideerVooruit(verzamelInvoer(opties.invoer), register, pool)) {
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
          resultaten.voegToe(bestand, await quarantaine(bestand, item.zip.relatief, undefined, bytes, [foutRegel(fout, bestand)]));
          continue;
        }
        case 'overgeslagen': {
          // not a message (a README, a note): passed through unchanged, nothing lost
          await schrijf(item.relatief, item.zip, await item.lees());
          const r: InvoerResultaat = { uitkomst: 'doorgegeven' };
          resultaten.voegToe(item.bestand, r);
          opties.voortgang?.(++klaar);
          continue;
        }
      }
      const { invoer } = item;
      const bestand = invoer.bestand;
      const eerder = hervat ? (journaal.journaal(run, bestand) as InvoerResultaat | undefined) : undefined;
      if (!invoer.zip) {
        const doel = eerder?.uitkomst === 'quarantaine' ? veiligPad(quarantaineMap, invoer.relatief) : veiligPad(uit, invoer.relatief);
        if (eerder && existsSync(doel)) {
          resultaten.voegToe(bestand, eerder);
          opties.voortgang?.(++klaar);
          continue;
        }
      }
      if (item.leesfout) {
        resultaten.voegToe(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, undefined, [foutRegel(item.leesfout, bestand)]));
        opties.voortgang?.(++klaar);
        continue;
      }
      const bytes = item.bytes!;
      const invoerResultaat = item.validatie!;
      if (!invoerResultaat.geldig || !invoerResultaat.bericht || !invoerResultaat.gelezen || !invoerResultaat.kop) {
        resultaten.voegToe(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, redenTekst(bestand, invoerResultaat.fouten)));
        opties.voortgang?.(++klaar);
        continue;
      }
      const { bericht, gelezen, kop } = invoerResultaat;
      let uitvoer: Uint8Array;
      let resultaat: InvoerResultaat;
      const omzetting = () => {
        const { uitkomst: u, uitvoer: u8 } = zetOmGecontroleerd({ bytes, gelezen, bericht, kop }, bestand, config, register, bron, !eerder, item.gepland);
        uitvoer = u8;
        const r: InvoerResultaat = {
          uitkomst: u.gewijzigd ? 'omgezet' : 'ongewijzigd',
          bericht: bericht.type.naam,
          objecten: u.objecten.map((o) => ({ object: o.object, fase: o.fase, ...(o.onbekend ? { onbekend: true } : {}) })),
          sleutels: u.objecten.filter((o) => o.nieuweSleutel).length,
          versies: u.objecten.filter((o) => o.nieuweVersie).length,
          alleenSleutels: u.alleenSleutels,
        };
        return journaliseer(bestand, r);
      };
      try {
        // a message without informatieobjecten writes only its journal entry: one statement needs no savepoint
        resultaat = item.gepland?.plan.stappen.length === 0 ? omzetting() : bron.transactie(omzetting);
      } catch (e) {
        if (!(e instanceof UitvoerOngeldig)) throw e;
        const redenen = ['the converted message would not validate against its keyed schema:', ...redenTekst(`${bestand} (output)`, e.fouten)];
        resultaten.voegToe(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, redenen));
        opties.voortgang?.(++klaar);
        continue;
      }
      await schrijf(invoer.relatief, invoer.zip, uitvoer!);
      resultaten.voegToe(bestand, resultaat);
      opties.voortgang?.(++klaar);
    }
  }
}
