/**
 * Writing results: every file is written atomically (a temporary file beside it, fsync, rename), so a run
 * killed at any moment leaves either the old file or the new one, never half of one. Zip archives are
 * built in a temporary file the same way. Outputs, quarantined inputs, reasons and reports hold personal
 * data: the temporary file is created with mode 0600 (set with fchmod, so whatever the umask).
 */
import { closeSync, createReadStream, createWriteStream, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { threadId } from 'node:worker_threads';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { NetwerkbrugFout } from '../fout.js';
import { voorvoegsel, type Ziparchief } from './invoer.js';

/** The mode of every file written here: read and write for the owner only. */
export const PRIVE = 0o600;

let teller = 0;
/** A temporary name beside `pad`, unique per process and thread. */
const tijdelijk = (pad: string) => `${pad}.${process.pid}-${threadId}.${++teller}.tmp`;
const TIJDELIJK = /\.\d+-\d+\.\d+\.tmp$/;

/** Removes temporary files a killed run left below `map`; returns how many. */
export function ruimTijdelijkeOp(map: string): number {
  if (!existsSync(map)) return 0;
  let n = 0;
  for (const d of readdirSync(map, { withFileTypes: true, recursive: true })) {
    if (d.isFile() && TIJDELIJK.test(d.name)) {
      rmSync(join(d.parentPath, d.name), { force: true });
      n++;
    }
  }
  return n;
}

/**
 * A relative path that `normalize` leaves as it is and that stays below its folder: not absolute, no empty, `.`
 * or `..` segment, no backslash, no separator at the end (the names of a folder walk, nearly always).
 */
const GEWOON = /^(?!\/)(?!.*\/\/)(?!(?:.*\/)?\.\.?(?:\/|$))[^\\]*[^\\/]$/;

/** Joins a relative path from an input (a zip entry name, say) below `map`, refusing `..` and absolute paths. */
export function veiligPad(map: string, relatief: string): string {
  const n = normalize(relatief.replace(/\\/g, '/'));
  if (isAbsolute(n) || n === '..' || n.startsWith(`..${sep}`) || n.startsWith('../')) {
    throw new NetwerkbrugFout('INVOER_ONLEESBAAR', `path ${relatief} leaves the output folder`, { bestand: relatief });
  }
  return join(map, n);
}

/**
 * Writes a file atomically. `fsync: false` is for the many outputs of a run: a killed process cannot undo a
 * completed rename, and a re-run rewrites any output it cannot find (see the run journal).
 */
export function schrijfAtomisch(pad: string, inhoud: string | Uint8Array, opties: { fsync?: boolean; modus?: number } = {}): void {
  schrijfAtomischDelen(pad, [inhoud], opties);
}

/** The same for a text given in parts (a large report), written as they come: the whole never in memory. */
export function schrijfAtomischDelen(pad: string, delen: Iterable<string | Uint8Array>, { fsync = true, modus = PRIVE } = {}): void {
  const tmp = tijdelijk(pad);
  let fd: number;
  try {
    fd = openSync(tmp, 'w', modus);
  } catch (e) {
    // the folder is made when the first file in it is written
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dirname(pad), { recursive: true });
    fd = openSync(tmp, 'w', modus);
  }
  try {
    try {
      fchmodSync(fd, modus);
      for (const deel of delen) writeSync(fd, typeof deel === 'string' ? Buffer.from(deel) : deel);
      if (fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, pad);
  } catch (e) {
    // a full disk or a vanished folder: no temporary file is left behind
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The same without fsync, asynchronous: the thread pool overlaps file creation with the next message's work. */
export async function schrijfAtomischAsync(pad: string, inhoud: string | Uint8Array): Promise<void> {
  const tmp = tijdelijk(pad);
  const f = await openPrive(tmp, pad);
  try {
    try {
      await f.writeFile(inhoud);
    } finally {
      await f.close();
    }
    await rename(tmp, pad);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A new temporary file with mode 0600; the folder is made when the first file in it is written, as in schrijfAtomisch. */
async function openPrive(tmp: string, pad: string) {
  let f;
  try {
    f = await open(tmp, 'w', PRIVE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await mkdir(dirname(pad), { recursive: true });
    f = await open(tmp, 'w', PRIVE);
  }
  await f.chmod(PRIVE);
  return f;
}

/** Copies a file into place atomically (a large file is never read into memory), with mode 0600 whatever the source's. */
export async function kopieerAtomisch(van: string, naar: string): Promise<void> {
  const tmp = tijdelijk(naar);
  const f = await openPrive(tmp, naar);
  try {
    // the write stream closes the file, also on an error
    await pipeline(createReadStream(van), f.createWriteStream());
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  await rename(tmp, naar);
}

/**
 * Runs at most `max` asynchronous tasks at once; `wacht` resolves when all are done, or rejects on the first error.
 * A task that ends wakes the first one waiting for room (no race over every running task, which cost a reaction
 * on each of them per task added).
 */
export class Wachtrij {
  private lopend = 0;
  private fout: unknown;
  /** waiting for room, first come first served */
  private readonly wachtOpRuimte: Array<() => void> = [];
  /** waiting for every task to end */
  private readonly wachtOpLeeg: Array<() => void> = [];
  constructor(private readonly max = 32) {}

  async voegToe(taak: () => Promise<void>): Promise<void> {
    if (this.fout) throw this.fout;
    while (this.lopend >= this.max) await new Promise<void>((ok) => this.wachtOpRuimte.push(ok));
    this.lopend++;
    let p: Promise<void>;
    try {
      p = taak();
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      () => this.klaar(),
      (e: unknown) => {
        this.fout ??= e;
        this.klaar();
      },
    );
  }

  private klaar(): void {
    this.lopend--;
    this.wachtOpRuimte.shift()?.();
    if (this.lopend === 0 && this.wachtOpLeeg.length) for (const ok of this.wachtOpLeeg.splice(0)) ok();
  }

  async wacht(): Promise<void> {
    if (this.lopend) await new Promise<void>((ok) => this.wachtOpLeeg.push(ok));
    if (this.fout) throw this.fout;
  }
}

/** A zip archive written entry by entry to a temporary file, renamed into place by `sluit`. */
export class ZipUitvoer {
  private readonly zip = new yazl.ZipFile();
  private readonly tmp: string;
  private readonly klaar: Promise<void>;

  constructor(readonly pad: string) {
    mkdirSync(dirname(pad), { recursive: true });
    this.tmp = tijdelijk(pad);
    const stroom = createWriteStream(this.tmp, { mode: PRIVE });
    this.klaar = new Promise((ok, nok) => {
      stroom.on('close', ok);
      stroom.on('error', nok);
      this.zip.outputStream.on('error', nok);
    });
    this.zip.outputStream.pipe(stroom);
  }

  /** Adds an entry; a fixed modification time keeps the archive byte-identical from run to run. */
  voegToe(naam: string, inhoud: string | Uint8Array): void {
    this.zip.addBuffer(Buffer.from(inhoud), naam, { mtime: new Date(Date.UTC(2000, 0, 1)), mode: 0o100644 });
  }

  async sluit(): Promise<void> {
    this.zip.end();
    await this.klaar;
    const fd = openSync(this.tmp, 'r+');
    fchmodSync(fd, PRIVE);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(this.tmp, this.pad);
  }

  afbreken(): void {
    rmSync(this.tmp, { force: true });
  }
}

/**
 * Where a run writes its outputs: a file atomically below `map` (through a Wachtrij, so writes overlap the
 * work), an entry of a zip input into the zip of the same name below `map`, closed when its input ends.
 */
export class Runuitvoer {
  private readonly zips = new Map<string, ZipUitvoer>();
  private readonly rij: Wachtrij;
  private readonly schrijver: (pad: string, inhoud: Uint8Array | string) => Promise<void>;
  /** `map` normalised, with a separator after it (empty for the current folder) */
  private readonly basis: string;

  /**
   * `schrijver`: writes a file atomically somewhere else (the worker threads of a Runpool); `inVlucht`: writes
   * at once, enough to keep the writers busy, few enough to bound the memory outputs hold.
   */
  constructor(
    readonly map: string,
    { schrijver = schrijfAtomischAsync, inVlucht = 32 }: { schrijver?: (pad: string, inhoud: Uint8Array | string) => Promise<void>; inVlucht?: number } = {},
  ) {
    this.schrijver = schrijver;
    this.rij = new Wachtrij(inVlucht);
    this.basis = voorvoegsel(map);
  }

  zipBegin(zip: Ziparchief): void {
    this.zips.set(zip.pad, new ZipUitvoer(veiligPad(this.map, zip.relatief)));
  }

  /** Closes the zip out when its input was read whole; otherwise drops it (nothing half-written is left). */
  async zipEinde(zip: Ziparchief, volledig: boolean): Promise<void> {
    const z = this.zips.get(zip.pad);
    this.zips.delete(zip.pad);
    if (z && volledig) await z.sluit();
    else z?.afbreken();
  }

  /** Where the output of a file input goes: `veiligPad(map, relatief)`, a plain relative path joined without normalising it again. */
  pad(relatief: string): string {
    return GEWOON.test(relatief) ? this.basis + relatief : veiligPad(this.map, relatief);
  }

  /** Writes an output (a file's to `doel`, from `pad`; a zip entry's into its zip). */
  async schrijf(relatief: string, zip: Ziparchief | undefined, inhoud: Uint8Array | string, doel?: string): Promise<void> {
    if (zip) this.zips.get(zip.pad)!.voegToe(relatief, inhoud);
    else {
      const pad = doel ?? this.pad(relatief);
      await this.rij.voegToe(() => this.schrijver(pad, inhoud));
    }
  }

  wacht(): Promise<void> {
    return this.rij.wacht();
  }
}
