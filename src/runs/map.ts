/**
 * Folder mode of `serve`: legacy software drops messages into a folder; each is converted by `verwerkUitgaand`
 * (or, `richting: 'inkomend'`, rehydrated by `verwerkInkomend`), its result written atomically to
 * the output folder under the same name, and only then the input moved to `verwerkt/` beside it. A bad file
 * goes to the quarantine folder with `<name>.reden.txt`.
 *
 * A restart loses nothing and registers nothing twice: an input still in the folder is handled again; its
 * journal entry (committed with its registration, keyed by name and content) makes that a lookup, so the
 * output is rewritten with the same bytes and no new version appears (rehydration writes nothing, so handling
 * an incoming message again is the same work). An incoming message whose owner cannot be reached stays in the
 * folder and is tried again at the next scan. Only files directly in the folder are
 * read, not those whose name starts with `.` or ends in `.tmp`/`.part`, and not before they have been left
 * alone for `rustMs` (a writer may still be busy).
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Runjournaal } from './journaal.js';
import { PRIVE, ruimTijdelijkeOp, schrijfAtomisch } from '../archief/uitvoer.js';
import { MAX_BERICHT_BYTES } from '../bericht/lezen.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config } from '../config/typen.js';
import { schrijfReden } from '../archief/quarantaine.js';
import { OplosserFout, type SleutelOplosser } from '../rehydreren/oplosser.js';
import { verwerkInkomend } from '../rehydreren/inkomend.js';
import { verwerkUitgaand } from '../omzetten/uitgaand.js';

export const VERWERKT = 'verwerkt';

export interface MapOpties {
  in: string;
  uit: string;
  quarantaine: string;
  config: Config;
  register: SchemaRegister;
  bronregistratie: Bronregistratie;
  /** default `uitgaand` */
  richting?: 'uitgaand' | 'inkomend';
  /** resolves Sleutels for `inkomend` */
  oplosser?: SleutelOplosser;
  /** a file is read once it has not changed for this long (default 500 ms) */
  rustMs?: number;
  /** time between scans (default 500 ms) */
  intervalMs?: number;
  /** told after each file; never given the file name (legacy names can hold personal data) */
  melding?: (m: MapMelding) => void;
  /** for crash tests: called after the output is written, before the input is moved */
  naUitvoer?: (naam: string) => void;
}

export interface MapMelding {
  uitkomst: 'omgezet' | 'ongewijzigd' | 'gerehydrateerd' | 'quarantaine' | 'uitgesteld';
  bericht?: string;
}

const OVERSLAAN = /^\.|\.(tmp|part)$/i;

export class Mapverwerker {
  private readonly run: string;
  private readonly journaal: Runjournaal;
  private timer: NodeJS.Timeout | undefined;
  private bezig: Promise<void> | undefined;
  private gestopt = false;

  constructor(private readonly o: MapOpties) {
    this.journaal = new Runjournaal(o.bronregistratie.verbinding);
    this.run = `map:${createHash('sha256').update(JSON.stringify([resolve(o.in), resolve(o.uit)])).digest('hex').slice(0, 16)}`;
    mkdirSync(join(o.in, VERWERKT), { recursive: true });
    mkdirSync(o.uit, { recursive: true });
    ruimTijdelijkeOp(o.uit);
  }

  /** Handles every file that is ready now; returns how many. */
  async scan(): Promise<number> {
    const rust = this.o.rustMs ?? 500;
    const nu = Date.now();
    let n = 0;
    const namen = readdirSync(this.o.in, { withFileTypes: true })
      .filter((d) => d.isFile() && !OVERSLAAN.test(d.name))
      .map((d) => d.name)
      .sort();
    for (const naam of namen) {
      if (this.gestopt) break;
      let st;
      try {
        st = statSync(join(this.o.in, naam));
      } catch {
        continue; // taken away meanwhile
      }
      if (nu - st.mtimeMs < rust) continue;
      try {
        if (this.o.richting === 'inkomend') await this.verwerkInkomend(naam, st.size);
        else this.verwerk(naam, st.size);
      } catch (e) {
        if (!(e instanceof OplosserFout)) throw e;
        this.o.melding?.({ uitkomst: 'uitgesteld' });
        continue;
      }
      n++;
    }
    return n;
  }

  private verwerk(naam: string, grootte: number): void {
    const { bronregistratie, config, register } = this.o;
    const pad = join(this.o.in, naam);
    if (grootte > MAX_BERICHT_BYTES) {
      return this.quarantaine(naam, undefined, [`${naam} [BERICHT_ONLEESBAAR] message is ${(grootte / 1024 / 1024).toFixed(1)} MB; the limit is 25 MB (OP179)`]);
    }
    const bytes = readFileSync(pad);
    const sleutel = `${naam}#${createHash('sha256').update(bytes).digest('hex')}`;
    const eerder = this.journaal.journaal(this.run, sleutel) !== undefined;
    // the journal entry is written in the message's transaction, with its registration
    const u = verwerkUitgaand(bytes, {
      config,
      register,
      bronregistratie,
      bestand: naam,
      registreer: !eerder,
      inTransactie: (o) => void this.journaal.journaliseer(this.run, sleutel, { uitkomst: o.uitkomst.gewijzigd ? 'omgezet' : 'ongewijzigd' }),
    });
    if (u.soort === 'quarantaine') return this.quarantaine(naam, bytes, u.redenen);
    schrijfAtomisch(join(this.o.uit, naam), u.uitvoer);
    this.o.naUitvoer?.(naam);
    renameSync(pad, vrijPad(join(this.o.in, VERWERKT), naam));
    this.o.melding?.({ uitkomst: u.uitkomst.gewijzigd ? 'omgezet' : 'ongewijzigd', bericht: u.bericht.type.naam });
  }

  private async verwerkInkomend(naam: string, grootte: number): Promise<void> {
    if (grootte > MAX_BERICHT_BYTES) {
      return this.quarantaine(naam, undefined, [`${naam} [BERICHT_ONLEESBAAR] message is ${(grootte / 1024 / 1024).toFixed(1)} MB; the limit is 25 MB (OP179)`]);
    }
    if (!this.o.oplosser) throw new Error('folder mode inkomend needs an oplosser');
    const pad = join(this.o.in, naam);
    const bytes = readFileSync(pad);
    const u = await verwerkInkomend(bytes, { config: this.o.config, register: this.o.register, oplosser: this.o.oplosser, bestand: naam });
    if (u.soort === 'quarantaine') return this.quarantaine(naam, bytes, u.redenen);
    schrijfAtomisch(join(this.o.uit, naam), u.uitvoer);
    this.o.naUitvoer?.(naam);
    renameSync(pad, vrijPad(join(this.o.in, VERWERKT), naam));
    this.o.melding?.({ uitkomst: u.resultaat.uitkomst === 'gerehydrateerd' ? 'gerehydrateerd' : 'ongewijzigd', bericht: u.resultaat.bericht });
  }

  private quarantaine(naam: string, bytes: Buffer | undefined, redenen: string[]): void {
    const pad = join(this.o.in, naam);
    const doel = join(this.o.quarantaine, naam);
    mkdirSync(this.o.quarantaine, { recursive: true });
    if (bytes) schrijfAtomisch(doel, bytes);
    else {
      renameSync(pad, doel);
      // moved, not written: it keeps the mode the legacy software gave it unless we may tighten it
      try {
        chmodSync(doel, PRIVE);
      } catch {
        // a file of another owner stays as it was
      }
    }
    schrijfReden(doel, naam, redenen);
    if (bytes) unlinkSync(pad);
    this.o.melding?.({ uitkomst: 'quarantaine' });
  }

  /** Scans now and then every `intervalMs` until `stop`. An error stops nothing: it is reported and the scan retried. */
  start(fout: (e: unknown) => void = () => undefined): void {
    const tik = () => {
      if (this.gestopt) return;
      this.bezig = Promise.resolve()
        .then(() => this.scan())
        .then(
          () => undefined,
          (e: unknown) => fout(e),
        )
        .finally(() => {
          if (!this.gestopt) this.timer = setTimeout(tik, this.o.intervalMs ?? 500);
        });
    };
    tik();
  }

  async stop(): Promise<void> {
    this.gestopt = true;
    if (this.timer) clearTimeout(this.timer);
    await this.bezig;
  }
}

/** `map/naam`, or `map/naam.1`, `.2`, … when a file of that name was handled before. */
function vrijPad(map: string, naam: string): string {
  let pad = join(map, naam);
  for (let i = 1; existsSync(pad); i++) pad = join(map, `${naam}.${i}`);
  return pad;
}
