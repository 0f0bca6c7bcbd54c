/** The report of a conversion run, built from the run's journal so a resumed run reports like an uninterrupted one. */
import { Rapportage } from '../archief/rapportage.js';
import type { Fase } from '../plan/fase.js';

/** What the journal keeps per input. */
export interface InvoerResultaat {
  uitkomst: 'omgezet' | 'ongewijzigd' | 'quarantaine' | 'doorgegeven';
  bericht?: string;
  objecten?: Array<{ object: string; fase: Fase; onbekend?: boolean; waarschuwing?: { melding: string; plaats: string } }>;
  sleutels?: number;
  versies?: number;
  /** the message became key-only (`BerichtUitkomst.alleenSleutels`) */
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
  /**
   * messages that became key-only: the header, the client's Bsn and per informatieobject what identifies it
   * plus its Sleutel, nothing else (in effect an informatie-arme notificatie)
   */
  alleenSleutels: number;
  /** echoed objects whose Sleutel was not found: left as they were */
  onbekendeEchos: number;
  /**
   * objects registered although the object they name was not found (a 305 whose ToewijzingNummer the gemeente
   * never sent): the input, the object's place in the message, the object and what is missing; never a value
   */
  waarschuwingen: Array<{ bestand: string; plaats: string; object: string; melding: string }>;
  gequarantaineerd: Array<{ bestand: string; redenen: string[] }>;
}

/** A conversion run's report, counted as the run goes. */
export function conversierapportage(run: string): Rapportage<'omgezet' | 'ongewijzigd', InvoerResultaat, Rapport> {
  const leeg: Rapport = {
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
    waarschuwingen: [],
    gequarantaineerd: [],
  };
  return new Rapportage(leeg, (r, x, bestand) => {
    for (const o of x.objecten ?? []) {
      const per = (r.perObject[o.object] ??= {});
      per[o.fase] = (per[o.fase] ?? 0) + 1;
      if (o.onbekend) r.onbekendeEchos++;
      if (o.waarschuwing) r.waarschuwingen.push({ bestand, plaats: o.waarschuwing.plaats, object: o.object, melding: o.waarschuwing.melding });
    }
    r.sleutelsAangemaakt += x.sleutels ?? 0;
    r.versiesAangemaakt += x.versies ?? 0;
    if (x.alleenSleutels) r.alleenSleutels++;
  });
}
