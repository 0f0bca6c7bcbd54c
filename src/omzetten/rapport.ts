/** The report of a conversion run, built from the run's journal so a resumed run reports like an uninterrupted one. */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rapportage } from '../archief/rapportage.js';
import { schrijfAtomischDelen } from '../archief/uitvoer.js';
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
   * never sent): the input, the object's place in the message, the object and what is missing; never a value.
   * In memory the first WAARSCHUWINGEN_IN_GEHEUGEN only (an archive can have tens of thousands); the report
   * file (`schrijfRapport`) holds them all.
   */
  waarschuwingen: Waarschuwing[];
  /** how many warnings the run had, all of them (`waarschuwingen` in memory holds the first ones) */
  aantalWaarschuwingen: number;
  gequarantaineerd: Array<{ bestand: string; redenen: string[] }>;
}

export interface Waarschuwing {
  bestand: string;
  plaats: string;
  object: string;
  melding: string;
}

/** The warnings a report keeps in memory: the ones the summary shows. */
export const WAARSCHUWINGEN_IN_GEHEUGEN = 20;

/**
 * The warnings past the first ones, as the report file's text, in a file that has no name: it is unlinked as soon
 * as it is made (mode 0600), so nothing is left behind, whatever way the run ends. It holds input paths only.
 */
class Overloop {
  private fd: number | undefined;

  schrijf(w: Waarschuwing): void {
    if (this.fd === undefined) {
      const map = mkdtempSync(join(tmpdir(), 'netwerkbrug-waarschuwingen-'));
      const pad = join(map, 'w.json');
      this.fd = openSync(pad, 'w+', 0o600);
      unlinkSync(pad);
      rmdirSync(map);
    }
    writeSync(this.fd, `,\n${regels(w)}`);
  }

  /** Its text, in chunks of 1 MB, from the start. */
  *tekst(): Generator<Uint8Array> {
    if (this.fd === undefined) return;
    const buf = Buffer.alloc(1 << 20);
    for (let positie = 0; ; ) {
      const n = readSync(this.fd, buf, 0, buf.length, positie);
      if (!n) return;
      positie += n;
      yield buf.subarray(0, n);
    }
  }

  sluit(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

const OVERLOOP = new WeakMap<Rapport, Overloop>();

/** A warning as the report file writes it: an element of an array two levels deep. */
const regels = (w: Waarschuwing) => JSON.stringify(w, null, 2).replace(/^/gm, '    ');

/** The report file's text, in parts: what `JSON.stringify(r, null, 2)` gives with every warning the run had. */
function* rapportTekst(r: Rapport): Generator<string | Uint8Array> {
  const teken = '"__waarschuwingen__"';
  const [voor, na] = JSON.stringify({ ...r, waarschuwingen: '__waarschuwingen__' }, null, 2).split(teken) as [string, string];
  yield voor;
  if (!r.aantalWaarschuwingen) {
    yield '[]';
  } else {
    yield `[\n${r.waarschuwingen.map(regels).join(',\n')}`;
    yield* OVERLOOP.get(r)?.tekst() ?? [];
    yield '\n  ]';
  }
  yield `${na}\n`;
}

/** Writes the report file atomically, every warning in it, and lets go of the warnings kept aside. */
export function schrijfRapport(pad: string, r: Rapport): void {
  schrijfAtomischDelen(pad, rapportTekst(r));
  sluitRapport(r);
}

/** Lets go of the warnings kept aside for the report file (when none is written). */
export function sluitRapport(r: Rapport): void {
  OVERLOOP.get(r)?.sluit();
  OVERLOOP.delete(r);
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
    aantalWaarschuwingen: 0,
    gequarantaineerd: [],
  };
  const overloop = new Overloop();
  OVERLOOP.set(leeg, overloop);
  return new Rapportage(leeg, (r, x, bestand) => {
    for (const o of x.objecten ?? []) {
      const per = (r.perObject[o.object] ??= {});
      per[o.fase] = (per[o.fase] ?? 0) + 1;
      if (o.onbekend) r.onbekendeEchos++;
      if (o.waarschuwing) {
        const w = { bestand, plaats: o.waarschuwing.plaats, object: o.object, melding: o.waarschuwing.melding };
        if (r.aantalWaarschuwingen++ < WAARSCHUWINGEN_IN_GEHEUGEN) r.waarschuwingen.push(w);
        else overloop.schrijf(w);
      }
    }
    r.sleutelsAangemaakt += x.sleutels ?? 0;
    r.versiesAangemaakt += x.versies ?? 0;
    if (x.alleenSleutels) r.alleenSleutels++;
  });
}
