/**
 * Input and output folders must be apart: an output folder that is the input folder, or lies inside it,
 * would overwrite the original messages or feed the outputs back in; an input inside the output folder would
 * be overwritten by its own result. Checked on real paths (symbolic links resolved) before anything is written.
 */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';

/** The real path of `pad`; for a path that does not exist yet, that of its nearest existing folder plus the rest. */
export function echtPad(pad: string): string {
  let bestaand = resolve(pad);
  const rest: string[] = [];
  while (!existsSync(bestaand)) {
    const boven = dirname(bestaand);
    if (boven === bestaand) break;
    rest.unshift(basename(bestaand));
    bestaand = boven;
  }
  return join(realpathSync(bestaand), ...rest);
}

/** Whether `binnen` is `map` itself or lies below it (real paths). */
function inOfGelijk(binnen: string, map: string): boolean {
  const r = relative(map, binnen);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

export interface GenoemdeMap {
  /** the option or role, as the user knows it (`--out`, `input`) */
  naam: string;
  pad: string;
}

/**
 * Refuses (exit 2) an output that is, or lies inside, an input, and an input that lies inside an output.
 * `toegestaan` lists pairs [binnen, buiten] that may nest (serve's quarantine folder inside --in by default).
 */
export function controleerMappen(invoer: readonly GenoemdeMap[], uitvoer: readonly GenoemdeMap[], toegestaan: ReadonlyArray<readonly [string, string]> = []): void {
  const echt = (m: GenoemdeMap) => ({ ...m, echt: echtPad(m.pad) });
  const ins = invoer.map(echt);
  const uits = uitvoer.map(echt);
  const mag = (a: string, b: string) => toegestaan.some(([x, y]) => x === a && y === b);
  for (const u of uits) {
    for (const i of ins) {
      if (u.echt === i.echt) throw new NetwerkbrugFout('GEBRUIK', `${u.naam} is the same folder as ${i.naam}: the originals would be overwritten; choose another folder`, { bestand: u.pad });
      if (inOfGelijk(u.echt, i.echt) && !mag(u.naam, i.naam)) {
        throw new NetwerkbrugFout('GEBRUIK', `${u.naam} lies inside ${i.naam}: the outputs would mix with the inputs; choose a folder outside it`, { bestand: u.pad });
      }
      if (inOfGelijk(i.echt, u.echt) && !mag(i.naam, u.naam)) {
        throw new NetwerkbrugFout('GEBRUIK', `${i.naam} lies inside ${u.naam}: it would be overwritten by the outputs; choose an output folder outside it`, { bestand: i.pad });
      }
    }
  }
  // outputs apart from each other too (serve's --out and --quarantaine)
  for (const [k, a] of uits.entries()) {
    for (const b of uits.slice(k + 1)) {
      if (a.echt === b.echt || ((inOfGelijk(a.echt, b.echt) || inOfGelijk(b.echt, a.echt)) && !mag(a.naam, b.naam) && !mag(b.naam, a.naam))) {
        throw new NetwerkbrugFout('GEBRUIK', `${a.naam} and ${b.naam} overlap; choose separate folders`, { bestand: a.pad });
      }
    }
  }
}
