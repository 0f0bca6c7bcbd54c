/** The report of a rehydration run: outcomes, what the messages carried, and the naast differences per field. */
import { Rapportage } from '../archief/rapportage.js';
import type { RehydratieObject } from './bericht.js';
import type { Verschil } from './verschillen.js';

export interface RehydratieResultaat {
  uitkomst: 'gerehydrateerd' | 'ongewijzigd' | 'quarantaine' | 'doorgegeven';
  bericht?: string;
  objecten?: Array<{ object: string; vorm: RehydratieObject['vorm']; verschillen?: Verschil[]; onopgelost?: boolean; naEinddatum?: boolean }>;
  redenen?: string[];
}

export interface Rehydratierapport {
  berichten: number;
  gerehydrateerd: number;
  ongewijzigd: number;
  quarantaine: number;
  doorgegeven: number;
  perBerichttype: Record<string, number>;
  /** per object: how many occurrences came as Sleutel only, as data + Sleutel, as data only */
  perObject: Record<string, Partial<Record<RehydratieObject['vorm'], number>>>;
  /** naast phase: per object and field, how many messages differed from the bronregistratie */
  verschillen: Record<string, Record<string, number>>;
  /** naast phase: objects whose data could not be compared because the Sleutel did not resolve */
  onvergelijkbaar: number;
  /** objects that still carried their data after the einddatum (passed: lenient) */
  naEinddatum: number;
  gequarantaineerd: Array<{ bestand: string; redenen: string[] }>;
}

/** A rehydration run's report, counted as the run goes. */
export function rehydratierapportage(): Rapportage<'gerehydrateerd' | 'ongewijzigd', RehydratieResultaat, Rehydratierapport> {
  const leeg: Rehydratierapport = {
    berichten: 0,
    gerehydrateerd: 0,
    ongewijzigd: 0,
    quarantaine: 0,
    doorgegeven: 0,
    perBerichttype: {},
    perObject: {},
    verschillen: {},
    onvergelijkbaar: 0,
    naEinddatum: 0,
    gequarantaineerd: [],
  };
  return new Rapportage(leeg, (r, x) => {
    for (const o of x.objecten ?? []) {
      const per = (r.perObject[o.object] ??= {});
      per[o.vorm] = (per[o.vorm] ?? 0) + 1;
      for (const v of o.verschillen ?? []) {
        const velden = (r.verschillen[o.object] ??= {});
        const sleutel = `${v.veld} (${v.soort})`;
        velden[sleutel] = (velden[sleutel] ?? 0) + 1;
      }
      if (o.onopgelost) r.onvergelijkbaar++;
      if (o.naEinddatum) r.naEinddatum++;
    }
  });
}
