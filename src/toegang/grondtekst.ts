/**
 * The legal ground of a read in words, for the audit log: the owner reading its own record, or the
 * verstrekking that gives a counterpart its grounds (the message type that carried the record, the period of
 * its messages and the end of its window). Written from the same verdict the answer was given by
 * (grond.ts `beoordeelGrond`), so the log never states another window than the one applied. It names dates and
 * message types only: never a BerichtIdentificatie, never anything of the record's content.
 */
import { informatieobject } from '../informatieobject/catalogus.js';
import { beoordeelGrond, type Grondbron, type Grondoordeel } from './grond.js';

export interface Grondvraag {
  object: string;
  /** the record's owner; undefined: no such record (of this object) */
  eigenaar: string | undefined;
  /** who reads */
  deelnemer: string | null;
  /** the reader's grounds verdict, as the answer used it (not needed for the owner or an unknown record) */
  oordeel: Grondoordeel | undefined;
  /** the day of the read (YYYY-MM-DD) */
  datum: string;
}

/** The message types that carry the object to its counterpart (a 301 for a Relatie). */
const berichten = (object: string) => [...new Set(informatieobject(object)?.voorkomens.filter((v) => v.rol === 'bron').map((v) => v.bericht) ?? [])].join('/') || object;

export function grondtekst(g: Grondvraag): string {
  if (g.eigenaar === undefined) return 'geen: onbekend record';
  if (g.deelnemer !== null && g.deelnemer === g.eigenaar) return 'eigenaar: eigen record';
  const v = g.oordeel?.verstrekking;
  const venster = g.oordeel?.venster;
  if (!v || !venster || g.deelnemer === null) return 'geen: niet verstrekt aan deze partij';
  const periode = v.eersteDagtekening === v.laatsteDagtekening ? `van ${v.eersteDagtekening}` : `van ${v.eersteDagtekening} tot en met ${v.laatsteDagtekening}`;
  const tot = venster.tot === null ? 'venster open (geen einddatum)' : `venster tot ${venster.tot}`;
  const verlopen = venster.tot !== null && g.datum > venster.tot ? ' (verlopen)' : '';
  return `verstrekking via ${berichten(g.object)} ${periode}, ${tot}${verlopen}`;
}

/** The ground in words of a read that was decided elsewhere (a command, a rehydration): the verdict is read here. */
export function leesgrond(bronregistratie: Grondbron, object: string, sleutel: string, eigenaar: string | undefined, deelnemer: string | null, datum: string, nalooptijdMaanden: number): string {
  const oordeel = eigenaar !== undefined && deelnemer !== null && deelnemer !== eigenaar ? beoordeelGrond(bronregistratie, sleutel, deelnemer, datum, nalooptijdMaanden) : undefined;
  return grondtekst({ object, eigenaar, deelnemer, oordeel, datum });
}
