/**
 * Counting a run's report as the run goes, for every pipeline that walks inputs (convert, rehydrate): a run of
 * any size keeps only its counts and its quarantined inputs. An input met twice (named twice on the command
 * line) counts once; the paths are remembered for that only where an input can be met twice (`invoer`). Each
 * pipeline adds how it counts its objects.
 */
import { normalize, sep } from 'node:path';

/** What every run's report has. */
export interface Runtelling {
  berichten: number;
  quarantaine: number;
  doorgegeven: number;
  perBerichttype: Record<string, number>;
  gequarantaineerd: Array<{ bestand: string; redenen: string[] }>;
}

/** What every run records per input: its outcome (a counter of the report), message type and reasons. */
export interface Invoeruitkomst<U extends string> {
  uitkomst: U | 'quarantaine' | 'doorgegeven';
  bericht?: string;
  redenen?: string[];
}

export class Rapportage<U extends string, X extends Invoeruitkomst<U>, R extends Runtelling & Record<U, number>> {
  private readonly gezien = new Set<string>();
  /**
   * Whether every input must be remembered: only when one can be met twice. A path is met twice when the
   * command line names it twice, or names a folder and something inside it (`invoer`); an entry of a zip
   * archive (`archief.zip!naam`) when the archive holds two entries of one name. Otherwise a run would keep
   * every path of a large archive in memory for nothing (about 100 bytes each).
   */
  private allesOnthouden = true;

  /** `r`: the report with every count at zero; `telObjecten`: adds a message's objects to it (the input named for a warning). */
  constructor(
    private readonly r: R,
    private readonly telObjecten: (r: R, x: X, bestand: string) => void,
  ) {}

  /**
   * The paths named on the command line: when none is named twice and none lies inside another, a path of
   * theirs is met once, and only zip entries (names with `!`) are remembered.
   */
  invoer(paden: readonly string[]): void {
    const genormaliseerd = paden.map((p) => normalize(p).replace(/[\\/]+$/, '') || sep);
    const binnen = (a: string, b: string) => a === b || a === '.' || a === sep || b.startsWith(a + sep) || b.startsWith(`${a}/`);
    this.allesOnthouden = genormaliseerd.some((a, i) => genormaliseerd.some((b, j) => i !== j && (binnen(a, b) || binnen(b, a))));
  }

  voegToe(bestand: string, x: X): void {
    if (this.allesOnthouden || bestand.includes('!')) {
      if (this.gezien.has(bestand)) return;
      this.gezien.add(bestand);
    }
    const r = this.r;
    if (x.uitkomst === 'doorgegeven') {
      r.doorgegeven++;
      return;
    }
    r.berichten++;
    if (x.uitkomst === 'quarantaine') {
      r.quarantaine++;
      r.gequarantaineerd.push({ bestand, redenen: x.redenen ?? [] });
    } else (r as Record<U, number>)[x.uitkomst]++;
    if (x.bericht) r.perBerichttype[x.bericht] = (r.perBerichttype[x.bericht] ?? 0) + 1;
    this.telObjecten(r, x, bestand);
  }

  get rapport(): R {
    this.r.gequarantaineerd.sort((a, b) => a.bestand.localeCompare(b.bestand));
    return this.r;
  }
}
