/**
 * A conversion run over files, directories and zip archives: validate each message, convert it (a savepoint
 * per message, its journal entry included, inside one bronregistratie transaction per batch that is committed
 * before its outputs are written), validate the output, write it atomically; anything bad goes to `quarantaine/` with its reason. Re-running the same run (same inputs,
 * output folder and plan) is safe at any point: registration is idempotent, the journal keeps each input's
 * first result, outputs are rewritten with the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { verzamelInvoer, type Ziparchief } from '../archief/invoer.js';
import { foutRegel, QUARANTAINE, zetInQuarantaine } from '../archief/quarantaine.js';
import { ruimTijdelijkeOp, Runuitvoer, veiligPad } from '../archief/uitvoer.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { Duurzaamheid } from './duurzaam.js';
import { Runjournaal } from './journaal.js';
import { valideerVooruit, type Runpool } from './pool.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { Checkpointer } from '../bronregistratie/checkpoint.js';
import { inGeheugen } from '../bronregistratie/verbinding.js';
import { Eigenaarregistraties } from '../bronregistratie/eigenaren.js';
import type { Config } from '../config/typen.js';
import { verwerkUitgaand, type UitgaandUitkomst } from '../omzetten/uitgaand.js';
import { conversierapportage, type InvoerResultaat, type Rapport } from '../omzetten/rapport.js';

export interface RunOpties {
  invoer: string[];
  uit: string;
  config: Config;
  register: SchemaRegister;
  /** the store, or with owners separated (`bronregistratie.eigenaren`) the stores: each message registers in its owner's */
  bronregistratie: Bronregistratie | Eigenaarregistraties;
  /** validation workers; without them, inputs are validated in this thread */
  pool?: Runpool;
  /** called after each input with the number done */
  voortgang?: (klaar: number) => void;
  /** a sentence for the user that does not stop the run (a failed WAL checkpoint) */
  waarschuwing?: (tekst: string) => void;
}

const BATCH = 200;

/**
 * The run's WAL checkpoints. A batch of a large archive dirties pages all over the indexes of random keys, and
 * copying them from the WAL into the database file (and syncing it) is as much work as writing them: on the main
 * thread the run waited for that fsync (docs/speed.md: 3–9 % of the wall time at 300,000 messages). So during a run
 * a thread of its own (one for all the run's database files) checkpoints every `RUN_CHECKPOINT_MS` (PASSIVE: it
 * never blocks the writer; the WAL starts again from its beginning once a checkpoint has caught up), as `serve`
 * does, and the run's connection checkpoints itself only when the WAL has grown to `RUN_CHECKPOINT_PAGINAS` pages
 * (256 MB) all the same: that bounds the WAL if the thread falls behind. A killed run loses nothing: each commit is
 * in the WAL, and the WAL is replayed on open. A power loss may roll back the batches since the last sync (the WAL
 * is synced at a checkpoint, and by the run's syncfs of its outputs), their journal entries with them, so a resumed
 * run does them again. The connection's setting is put back when the run ends.
 */
export const RUN_CHECKPOINT_PAGINAS = 64_000;

/**
 * The page cache of a run's registration (KiB, shared by the run's databases), instead of the 4 MB every
 * connection opens with (verbinding.ts). Each registration looks up and inserts into the leaves of indexes of
 * random keys (identity, Sleutel, snapshot group, person); with 4 MB most of those leaves come from the operating
 * system's cache, a system call and a copy each. Measured on the serial step alone (`npm run bench:registratie`,
 * docs/speed.md, sixteenth session): for an archive of 301s 16 MB cut its CPU time by 9–13 %, in a new database
 * and in one of a million messages, and 32 or 128 MB bought no more; for the bench's mix it changed nothing
 * measurable. About 11 MB more at the peak. Put back when the run ends.
 */
export const RUN_PAGINACACHE_KIB = 16_000;

/** How often the run's checkpoint thread copies the WAL into the database file. */
export const RUN_CHECKPOINT_MS = 1000;

/**
 * For measuring only (docs/speed.md): with NETWERKBRUG_METING_ZONDER_DUURZAAMHEID=1 a run neither marks its
 * entries unconfirmed nor makes its outputs durable in groups, so the bench can show what that costs. A run
 * made so is not safe against a power loss. Not an option: never documented for users.
 */
const ZONDER_DUURZAAMHEID = process.env.NETWERKBRUG_METING_ZONDER_DUURZAAMHEID === '1';

/** Identifies a run by its inputs, output folder and plan: the same command is the same run. */
export function runId(opties: Pick<RunOpties, 'invoer' | 'uit' | 'config'>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ invoer: opties.invoer.map((p) => resolve(p)), uit: resolve(opties.uit), plan: opties.config.informatieobjecten }));
  return h.digest('hex').slice(0, 16);
}

export async function converteer(opties: RunOpties): Promise<Rapport> {
  const { uit, config, register } = opties;
  const bronregistratie = opties.bronregistratie instanceof Bronregistratie ? Eigenaarregistraties.enkel(opties.bronregistratie) : opties.bronregistratie;
  const run = runId(opties);
  const quarantaineMap = resolve(uit, QUARANTAINE);
  const resultaten = conversierapportage(run);
  resultaten.invoer(opties.invoer);
  const pool = opties.pool;
  const uitvoermap = new Runuitvoer(uit, pool ? { schrijver: (pad, inhoud) => pool.schrijf(pad, inhoud), inVlucht: 64 } : {});
  let klaar = 0;
  ruimTijdelijkeOp(uit);

  // an input's first result is kept: a resumed run reports what the first attempt recorded. An input's entry is
  // in the store it registered in (in the same transaction), else in the default one: each store has a journal
  const journalen = new Map(bronregistratie.alle.map((b) => [b.verbinding, new Runjournaal(b.verbinding)]));
  const eerderResultaat = (bestand: string) => {
    for (const j of journalen.values()) {
      const r = j.journaal(run, bestand) as InvoerResultaat | undefined;
      if (r !== undefined) return r;
    }
    return undefined;
  };
  const journaliseer = (bestand: string, r: InvoerResultaat, verbinding = bronregistratie.standaard.verbinding): InvoerResultaat =>
    journalen.get(verbinding)!.journaliseer(run, bestand, r) ? r : (eerderResultaat(bestand) ?? r);
  const hervat = [...journalen.values()].some((j) => j.heeftJournaal(run));
  // an entry whose output was written but not confirmed durable: its output is written again
  const onbevestigdeInvoer = new Set<string>();
  if (hervat) for (const j of journalen.values()) for (const invoer of j.onbevestigd(run)) onbevestigdeInvoer.add(invoer);
  const duurzaam = new Duurzaamheid(uit, run, [...journalen.values()], () => uitvoermap.wacht());
  // the inputs of the batch in hand whose outputs will be written, per journal: marked unconfirmed in one row
  const teMarkeren = new Map<Bronregistratie['verbinding'], string[]>();
  // a quarantined input's entry is written after its files, in a statement of its own (no transaction is open)
  const quarantaine = async (bestand: string, relatief: string, zip: Ziparchief | undefined, bytes: Uint8Array | undefined, redenen: string[]) => {
    await zetInQuarantaine({ map: quarantaineMap, bestand, relatief, zip, bytes, redenen });
    return journaliseer(bestand, { uitkomst: 'quarantaine', redenen });
  };
  const klaarMet = (bestand: string, r: InvoerResultaat) => {
    resultaten.voegToe(bestand, r);
    opties.voortgang?.(++klaar);
  };

  // Inputs are handled in batches of BATCH, in their order. A batch registers its messages in one transaction
  // (better-sqlite3's, BEGIN IMMEDIATE; a message that must be undone makes it run again with each message a
  // savepoint inside it: Eigenaarregistraties.batchZonderSavepoints) that runs synchronously and is
  // committed before anything is awaited; then the batch's outputs are written and its quarantines made. So no
  // transaction stays open across an await, and no output ever names a Sleutel the bronregistratie does not hold.
  let batch: Stap[] = [];
  const verwerkBatch = async () => {
    const stappen = batch;
    batch = [];
    const klaargezet = bronregistratie.batchZonderSavepoints(() => {
      teMarkeren.clear();
      const u = stappen.map((stap) => (stap.registreer ? stap.registreer() : undefined));
      if (teMarkeren.size) {
        const groep = duurzaam.volgendeGroep();
        for (const [verbinding, invoeren] of teMarkeren) journalen.get(verbinding)!.markeerOnbevestigd(run, groep, invoeren);
      }
      return u;
    });
    for (const [i, stap] of stappen.entries()) await stap.daarna(klaargezet[i]);
    duurzaam.naBatch();
  };
  const voegToe = async (stap: Stap) => {
    batch.push(stap);
    if (batch.length >= BATCH) await verwerkBatch();
  };

  const checkpoints = bronregistratie.alle.map((b) => b.autoCheckpoint(RUN_CHECKPOINT_PAGINAS));
  const caches = bronregistratie.alle.map((b) => b.paginacache(RUN_PAGINACACHE_KIB / bronregistratie.alle.length));
  const bestanden = bronregistratie.alle.map((b) => b.pad).filter((pad) => !inGeheugen(pad));
  const checkpointer = bestanden.length > 0 ? new Checkpointer(bestanden, RUN_CHECKPOINT_MS, (melding) => opties.waarschuwing?.(`WAL checkpoint: ${melding}`)) : undefined;
  try {
    await verwerk();
    await verwerkBatch();
    await uitvoermap.wacht();
    await duurzaam.einde();
  } finally {
    duurzaam.sluit();
    await checkpointer?.stop();
    bronregistratie.alle.forEach((b, i) => {
      b.autoCheckpoint(checkpoints[i]!);
      b.paginacache(caches[i]!);
    });
  }
  return resultaten.rapport;

  async function verwerk() {
    for await (const item of valideerVooruit(verzamelInvoer(opties.invoer), register, pool)) {
      switch (item.soort) {
        case 'zip-begin':
          uitvoermap.zipBegin(item.zip);
          continue;
        case 'zip-einde':
          await verwerkBatch();
          await uitvoermap.zipEinde(item.zip, item.volledig);
          continue;
        case 'fout': {
          if (!item.zip) throw item.fout;
          const { fout } = item;
          const bestand = item.zip.pad;
          const relatief = item.zip.relatief;
          await voegToe({
            daarna: async () => {
              const bytes = await readFile(bestand).catch(() => undefined);
              resultaten.voegToe(bestand, await quarantaine(bestand, relatief, undefined, bytes, [foutRegel(fout, bestand)]));
            },
          });
          continue;
        }
        case 'overgeslagen': {
          // not a message (a README, a note): passed through unchanged, nothing lost
          const { relatief, zip, bestand } = item;
          const inhoud = await item.lees();
          await voegToe({
            daarna: async () => {
              await uitvoermap.schrijf(relatief, zip, inhoud);
              klaarMet(bestand, { uitkomst: 'doorgegeven' });
            },
          });
          continue;
        }
      }
      const { invoer } = item;
      const bestand = invoer.bestand;
      const eerder = hervat ? eerderResultaat(bestand) : undefined;
      if (eerder && !invoer.zip) {
        const doel = eerder.uitkomst === 'quarantaine' ? veiligPad(quarantaineMap, invoer.relatief) : uitvoermap.pad(invoer.relatief);
        if (existsSync(doel) && !onbevestigdeInvoer.has(bestand)) {
          await voegToe({ daarna: async () => klaarMet(bestand, eerder) });
          continue;
        }
      }
      if (item.leesfout) {
        const leesfout = item.leesfout;
        await voegToe({ daarna: async () => klaarMet(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, undefined, [foutRegel(leesfout, bestand)])) });
        continue;
      }
      const { bytes, validatie, gepland } = item;
      await voegToe({
        // inside the batch's transaction: one savepoint per message, its journal entry included, so a message
        // whose output would not validate leaves nothing behind (an invalid message is refused before it)
        registreer: () =>
          verwerkUitgaand(bytes, {
            config,
            register,
            bronregistratie,
            bestand,
            registreer: !eerder,
            gevalideerd: validatie,
            ...(gepland ? { gepland } : {}),
            inTransactie: ({ uitkomst: u }, { bericht }) => {
              const verbinding = bronregistratie.journaalverbinding;
              // a zip's entries are written again whenever the zip is (a resumed run never skips them)
              if (!invoer.zip && !ZONDER_DUURZAAMHEID) (teMarkeren.get(verbinding) ?? teMarkeren.set(verbinding, []).get(verbinding)!).push(bestand);
              return journaliseer(bestand, {
                uitkomst: u.gewijzigd ? 'omgezet' : 'ongewijzigd',
                bericht: bericht.type.naam,
                objecten: u.objecten.map((o) => ({ object: o.object, fase: o.fase, ...(o.onbekend ? { onbekend: true } : {}), ...(o.waarschuwing ? { waarschuwing: o.waarschuwing } : {}) })),
                sleutels: u.objecten.filter((o) => o.nieuweSleutel).length,
                versies: u.objecten.filter((o) => o.nieuweVersie).length,
                ...(u.alleenSleutels ? { alleenSleutels: true } : {}),
              }, verbinding);
            },
          }),
        // after the commit
        daarna: async (u) => {
          if (!u) return;
          if (u.soort === 'quarantaine') {
            klaarMet(bestand, await quarantaine(bestand, invoer.relatief, invoer.zip, bytes, u.redenen));
            return;
          }
          const doel = invoer.zip ? undefined : uitvoermap.pad(invoer.relatief);
          await uitvoermap.schrijf(invoer.relatief, invoer.zip, u.uitvoer, doel);
          if (doel && !ZONDER_DUURZAAMHEID) duurzaam.noteer(doel);
          klaarMet(bestand, u.vastgelegd);
        },
      });
    }
  }
}

/**
 * One input of a batch: what it registers inside the batch's transaction (a validated message), and what is
 * done with that after the commit, in input order (its output, its quarantine, its line in the report).
 */
interface Stap {
  registreer?: () => UitgaandUitkomst<InvoerResultaat>;
  daarna: (geregistreerd: UitgaandUitkomst<InvoerResultaat> | undefined) => Promise<void>;
}
