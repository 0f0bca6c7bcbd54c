/**
 * The legal ground of a read in words, for the audit log: the owner reading its own record, or the
 * verstrekking that gives a counterpart its grounds (the message type that carried the record, the period of
 * its messages and the end of its window). It names dates and message types only: never a
 * BerichtIdentificatie, never anything of the record's content.
 */
import type { Verstrekking } from '../bronregistratie/store.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { grondTot } from './grond.js';

export interface Grondvraag {
  object: string;
  eigenaar: string | undefined;
  verstrekkingen: readonly Verstrekking[];
  /** who reads */
  deelnemer: string | null;
  /** the day of the read (YYYY-MM-DD) */
  datum: string;
  nalooptijdMaanden: number;
}

/** The message types that carry the object to its counterpart (a 301 for a Relatie). */
const berichten = (object: string) => [...new Set(informatieobject(object)?.voorkomens.filter((v) => v.rol === 'bron').map((v) => v.bericht) ?? [])].join('/') || object;

export function grondtekst(g: Grondvraag): string {
  if (g.eigenaar === undefined) return 'geen: onbekend record';
  if (g.deelnemer !== null && g.deelnemer === g.eigenaar) return 'eigenaar: eigen record';
  const v = g.verstrekkingen.find((x) => x.tegenpartij === g.deelnemer);
  if (!v || g.deelnemer === null) return 'geen: niet verstrekt aan deze partij';
  const tot = grondTot(g.verstrekkingen, g.deelnemer, g.nalooptijdMaanden);
  const periode = v.eersteDagtekening === v.laatsteDagtekening ? `van ${v.eersteDagtekening}` : `van ${v.eersteDagtekening} tot en met ${v.laatsteDagtekening}`;
  const venster = tot === null ? 'venster open (toewijzing zonder einddatum)' : `venster tot ${tot}`;
  const verlopen = tot !== null && tot !== undefined && g.datum > tot ? ' (verlopen)' : '';
  return `verstrekking via ${berichten(g.object)} ${periode}, ${venster}${verlopen}`;
}
