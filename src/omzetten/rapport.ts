/** The report of a conversion run, built from the run's journal so a resumed run reports like an uninterrupted one. */
import type { Fase } from '../plan/fase.js';

/** What the journal keeps per input. */
export interface InvoerResultaat {
  uitkomst: 'omgezet' | 'ongewijzigd' | 'quarantaine' | 'doorgegeven';
  bericht?: string;
  objecten?: Array<{ object: string; fase: Fase; onbekend?: boolean }>;
  sleutels?: number;
  versies?: number;
  alleenSleutels?: boolean;
  redenen?: string[];
}

export interface Rapport {
  run: string;
  berichten: number;
  omgezet: number;
  ongewijzigd: number;
  quarantaine: number;
  doorgegeven: number;
  perBerichttype: Record<string, number>;
  perObject: Record<string, Partial<Record<Fase, number>>>;
  sleutelsAangemaakt: number;
  versiesAangemaakt: number;
  /** messages in which every informatieobject travels as a key only: in effect notifications */
  alleenSleutels: number;
  /** echoed objects whose Sleutel was not found: left as they were */
  onbekendeEchos: number;
  gequarantaineerd: Array<{ bestand: string; redenen: string[] }>;
}

/**
 * The report, counted as the run goes: a run of any size keeps only its counts and its quarantined inputs.
 * An input met twice (named twice on the command line) counts once.
 */
export class Rapportage {
  private readonly r: Rapport;
  private readonly gezien = new Set<string>();

  constructor(run: string) {
    this.r = {
      run,
      berichten: 0,
      omgezet: 0,
      ongewijzigd: 0,
      quarantaine: 0,
      doorgegeven: 0,
      perBerichttype: {},
      perObject: {},
      sleutelsAangemaakt: 0,
      versiesAangemaakt: 0,
      alleenSleutels: 0,
      onbekendeEchos: 0,
      gequarantaineerd: [],
    };
  }

  voegToe(bestand: string, x: InvoerResultaat): void {
    if (this.gezien.has(bestand)) return;
    this.gezien.add(bestand);
    const r = this.r;
    if (x.uitkomst === 'doorgegeven') {
      r.doorgegeven++;
      return;
    }
    r.berichten++;
    r[x.uitkomst]++;
    if (x.uitkomst === 'quarantaine') r.gequarantaineerd.push({ bestand, redenen: x.redenen ?? [] });
    if (x.bericht) r.perBerichttype[x.bericht] = (r.perBerichttype[x.bericht] ?? 0) + 1;
    for (const o of x.objecten ?? []) {
      const per = (r.perObject[o.object] ??= {});
      per[o.fase] = (per[o.fase] ?? 0) + 1;
      if (o.onbekend) r.onbekendeEchos++;
    }
    r.sleutelsAangemaakt += x.sleutels ?? 0;
    r.versiesAangemaakt += x.versies ?? 0;
    if (x.alleenSleutels) r.alleenSleutels++;
  }

  get rapport(): Rapport {
    this.r.gequarantaineerd.sort((a, b) => a.bestand.localeCompare(b.bestand));
    return this.r;
  }
}
