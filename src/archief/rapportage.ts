/**
 * Counting a run's report as the run goes, for every pipeline that walks inputs (convert, rehydrate): a run of
 * any size keeps only its counts and its quarantined inputs. An input met twice (named twice on the command
 * line) counts once. Each pipeline adds how it counts its objects.
 */

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

  /** `r`: the report with every count at zero; `telObjecten`: adds a message's objects to it. */
  constructor(
    private readonly r: R,
    private readonly telObjecten: (r: R, x: X) => void,
  ) {}

  voegToe(bestand: string, x: X): void {
    if (this.gezien.has(bestand)) return;
    this.gezien.add(bestand);
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
    this.telObjecten(r, x);
  }

  get rapport(): R {
    this.r.gequarantaineerd.sort((a, b) => a.bestand.localeCompare(b.bestand));
    return this.r;
  }
}
