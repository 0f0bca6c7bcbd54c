/**
 * Collects the messages named on the command line: files, directories (recursive, `.xml` files) and
 * `.zip` archives (their `.xml` entries), in any mix, in a stable order. Reading is lazy, one message at a
 * time, so an archive of any size streams through.
 */
import { closeSync, fstatSync, opendirSync, openSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, normalize, sep } from 'node:path';
import yauzl from 'yauzl';
import { controleerGrootte, MAX_BERICHT_BYTES } from '../bericht/lezen.js';
import { NetwerkbrugFout } from '../fout.js';

export interface Invoer {
  /** how the message is named to the user: a path, or `archive.zip!inner/path.xml` */
  bestand: string;
  /** path relative to the input it came from (the directory, or the zip root) */
  relatief: string;
  /** the size in bytes as the zip directory states it (files: checked when read) */
  grootte?: number;
  /** the zip archive the message is an entry of */
  zip?: Ziparchief;
  lees(): Promise<Buffer>;
}

export interface Ziparchief {
  pad: string;
  /** the archive's path relative to its input */
  relatief: string;
}

export type InvoerItem =
  | { soort: 'bericht'; invoer: Invoer }
  | { soort: 'zip-begin'; zip: Ziparchief }
  | { soort: 'zip-einde'; zip: Ziparchief; volledig: boolean }
  | { soort: 'overgeslagen'; bestand: string; relatief: string; reden: string; zip?: Ziparchief; lees(): Promise<Buffer> }
  | { soort: 'fout'; fout: NetwerkbrugFout; zip?: Ziparchief };

const isXml = (naam: string) => naam.toLowerCase().endsWith('.xml');
const isZip = (naam: string) => naam.toLowerCase().endsWith('.zip');

export async function* verzamelInvoer(paden: string[]): AsyncGenerator<InvoerItem> {
  for (const pad of paden) yield* uitPad(pad, basename(pad), true);
}

/**
 * One path: a directory is walked (its entries relative to the directory named on the command line), a zip
 * is opened, a file named on the command line is a message whatever its name, a file found in a walk is one
 * when it ends in `.xml`.
 */
async function* uitPad(pad: string, relatief: string, genoemd: boolean, isMap?: boolean): AsyncGenerator<InvoerItem> {
  if (isMap === undefined) {
    try {
      isMap = (await stat(pad)).isDirectory();
    } catch (e) {
      yield { soort: 'fout', fout: onleesbaar(pad, e) };
      return;
    }
  }
  if (isMap) {
    let inhoud: Mapinhoud;
    try {
      inhoud = leesMapinhoud(pad);
    } catch (e) {
      yield { soort: 'fout', fout: onleesbaar(pad, e) };
      return;
    }
    // an entry's name has no separator: its paths are the folder's plus the name (as path.join would make them,
    // without the garbage of normalising each one again)
    const boven = voorvoegsel(pad);
    const relatiefBoven = genoemd ? '' : relatief + sep;
    for (let i = 0; i < inhoud.aantal; i++) {
      const naam = inhoud.naam(i);
      const soort = inhoud.isMap(i);
      // a plain file is yielded here (no generator of its own); a folder is walked, a symbolic link followed (stat)
      if (soort === false && !isZip(naam)) yield bestandItem(boven + naam, relatiefBoven + naam, false);
      else yield* uitPad(boven + naam, relatiefBoven + naam, false, soort);
    }
  } else if (isZip(pad)) {
    yield* uitZip({ pad, relatief });
  } else {
    yield bestandItem(pad, relatief, genoemd);
  }
}

/**
 * A folder as the start of the paths below it: `path.join(map, naam)` is `voorvoegsel(map) + naam` for a name
 * without separators or `.`/`..` segments (normalised once, a separator after it, empty for the current folder).
 */
export function voorvoegsel(map: string): string {
  const n = normalize(map);
  return n === '.' || n === `.${sep}` ? '' : n.endsWith(sep) ? n : n + sep;
}

/** A file: a message when it was named on the command line or ends in `.xml`, else passed over. */
function bestandItem(pad: string, relatief: string, genoemd: boolean): InvoerItem {
  return genoemd || isXml(pad)
    ? { soort: 'bericht', invoer: { bestand: pad, relatief, lees: () => leesBestand(pad) } }
    : { soort: 'overgeslagen', bestand: pad, relatief, reden: 'not an .xml or .zip file', lees: () => readFile(pad) };
}

/**
 * A folder's entries in name order (code units), held compactly while the walk goes through them: the names
 * in one string, their bounds and kinds in typed arrays, about 25 bytes an entry. As `Dirent` objects in an
 * array they took about 140 bytes each: 70 MB for a folder of 500,000 messages, held for the whole walk of it.
 */
interface Mapinhoud {
  aantal: number;
  naam(i: number): string;
  /** whether entry `i` is a folder; undefined: a symbolic link, to be followed (stat) */
  isMap(i: number): boolean | undefined;
}

const BESTAND = 0;
const MAP = 1;
const LINK = 2;

/**
 * Reads a folder as it streams (never every `Dirent` at once), then sorts and packs its names. Synchronously: the
 * walk needs the whole listing before its first entry anyway (name order), and the asynchronous iterator made a
 * promise per entry (some 800 bytes of garbage each).
 */
function leesMapinhoud(pad: string): Mapinhoud {
  const namen: string[] = [];
  const soorten: number[] = [];
  const map = opendirSync(pad, { bufferSize: 256 });
  try {
    for (let d = map.readSync(); d !== null; d = map.readSync()) {
      namen.push(d.name);
      soorten.push(d.isSymbolicLink() ? LINK : d.isDirectory() ? MAP : BESTAND);
    }
  } finally {
    map.closeSync();
  }
  const volgorde = Uint32Array.from(namen.keys()).sort((a, b) => (namen[a]! < namen[b]! ? -1 : namen[a]! > namen[b]! ? 1 : 0));
  const grenzen = new Uint32Array(namen.length + 1);
  const soort = new Uint8Array(namen.length);
  let lengte = 0;
  volgorde.forEach((j, i) => {
    grenzen[i] = lengte;
    lengte += namen[j]!.length;
    soort[i] = soorten[j]!;
  });
  grenzen[namen.length] = lengte;
  // one flat string: a name is a slice of it
  const tekst = Array.from(volgorde, (j) => namen[j]!).join('');
  return {
    aantal: namen.length,
    naam: (i) => tekst.slice(grenzen[i], grenzen[i + 1]),
    isMap: (i) => (soort[i] === LINK ? undefined : soort[i] === MAP),
  };
}

async function* uitZip(archief: Ziparchief): AsyncGenerator<InvoerItem> {
  const { pad } = archief;
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((ok, nok) =>
      yauzl.open(pad, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) =>
        err || !z ? nok(err) : ok(z),
      ),
    );
  } catch (e) {
    yield { soort: 'fout', fout: onleesbaar(pad, e, 'zip archive cannot be read'), zip: archief };
    return;
  }
  yield { soort: 'zip-begin', zip: archief };
  let volledig = false;
  try {
    for (;;) {
      let entry: yauzl.Entry | undefined;
      try {
        entry = await volgende(zip);
      } catch (e) {
        yield { soort: 'fout', fout: onleesbaar(pad, e, 'zip archive is damaged'), zip: archief };
        return;
      }
      if (!entry) {
        volledig = true;
        return;
      }
      const naam = entry.fileName;
      if (naam.endsWith('/')) continue;
      const bestand = `${pad}!${naam}`;
      const e = entry;
      if (!isXml(naam)) {
        yield { soort: 'overgeslagen', bestand, relatief: naam, reden: 'not an .xml entry', zip: archief, lees: () => leesEntry(zip, e) };
        continue;
      }
      yield { soort: 'bericht', invoer: { bestand, relatief: naam, grootte: e.uncompressedSize, zip: archief, lees: () => leesEntry(zip, e) } };
    }
  } finally {
    zip.close();
    yield { soort: 'zip-einde', zip: archief, volledig };
  }
}

/**
 * Reads a file, refusing one above the message size limit before reading it. Synchronous on purpose: reads
 * hit the page cache and cost a few microseconds, the promise machinery around them costs more.
 */
export async function leesBestand(pad: string): Promise<Buffer> {
  const fd = openSync(pad, 'r');
  try {
    controleerGrootte(fstatSync(fd).size, pad);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function volgende(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((ok, nok) => {
    const op = (e: yauzl.Entry) => {
      zip.off('end', eind);
      zip.off('error', fout);
      ok(e);
    };
    const eind = () => {
      zip.off('entry', op);
      zip.off('error', fout);
      ok(undefined);
    };
    const fout = (err: Error) => {
      zip.off('entry', op);
      zip.off('end', eind);
      nok(err);
    };
    zip.once('entry', op);
    zip.once('end', eind);
    zip.once('error', fout);
    zip.readEntry();
  });
}

/** Reads an entry, stopping past the size limit (a zip bomb never inflates further than that). */
function leesEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limiet = MAX_BERICHT_BYTES): Promise<Buffer> {
  return new Promise((ok, nok) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return nok(err);
      const delen: Buffer[] = [];
      let totaal = 0;
      stream.on('data', (d: Buffer) => {
        totaal += d.length;
        delen.push(d);
        if (totaal > limiet) {
          stream.destroy();
          ok(Buffer.concat(delen));
        }
      });
      stream.on('error', nok);
      stream.on('end', () => ok(Buffer.concat(delen)));
    });
  });
}

function onleesbaar(pad: string, e: unknown, wat = 'cannot be read'): NetwerkbrugFout {
  const err = e as NodeJS.ErrnoException;
  const reden = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
  return new NetwerkbrugFout('INVOER_ONLEESBAAR', `${wat}: ${reden}`, { bestand: pad });
}

/** Counts the inputs (messages and other files) without reading them, for a progress bar. */
export async function telInvoer(paden: string[]): Promise<number> {
  let n = 0;
  for await (const item of verzamelInvoer(paden)) if (item.soort === 'bericht' || item.soort === 'overgeslagen') n++;
  return n;
}

/** Reads a message, its stated size checked first; any failure is a NetwerkbrugFout naming the input. */
export async function leesInvoer(invoer: Invoer): Promise<Buffer> {
  try {
    if (invoer.grootte !== undefined) controleerGrootte(invoer.grootte, invoer.bestand);
    return await invoer.lees();
  } catch (e) {
    throw alsLeesfout(e, invoer.bestand);
  }
}

/** A read failure as the NetwerkbrugFout that names the input. */
export function alsLeesfout(e: unknown, bestand: string): NetwerkbrugFout {
  return e instanceof NetwerkbrugFout ? e : new NetwerkbrugFout('INVOER_ONLEESBAAR', `cannot be read: ${(e as Error).message}`, { bestand });
}
