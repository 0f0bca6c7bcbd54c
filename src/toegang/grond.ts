/**
 * Doelbinding in time: a participant has grounds for a record inside its grounds window, and may read a
 * version only if that version was current at some moment inside that window.
 *
 * - The window opens at the Dagtekening of the first message that carried the object to it (it was its
 *   Ontvanger).
 * - It closes at the earliest of: the end of the period its messages gave it, as the latest message states it
 *   and the object declares it (`grondEinde` in informatieobject/type.ts; for the objects of a 301 the latest
 *   Einddatum of its ToegewezenProducten; open-ended gives no end), and the day the object ended for it (a later
 *   snapshot no longer carried it: tijdlijn.ts `eindstand`); each plus
 *   `toegang.nalooptijdMaanden` (docs/bronregistratie.md gives the reasoning of its default).
 * - "Current" is the bronregistratie's own: the version of the latest message that carried the record
 *   (tijdlijn.ts). So a version was current inside [opens, closes] exactly when a message of a Dagtekening in
 *   that range carried it (the party's own first message is such a message, so nothing before it counts).
 *
 * Used for every read of the bronregistratie API, for rehydration in `serve`, and again just before each
 * notification is sent.
 */
import type { Verstrekking } from '../bronregistratie/store.js';

/** `datum` (YYYY-MM-DD) plus whole months; the day is capped at the last day of the target month. */
export function plusMaanden(datum: string, maanden: number): string {
  const [j, m, d] = datum.split('-').map(Number) as [number, number, number];
  const totaal = j * 12 + (m - 1) + maanden;
  const jaar = Math.floor(totaal / 12);
  const maand = (totaal % 12) + 1;
  const laatsteDag = new Date(Date.UTC(jaar, maand, 0)).getUTCDate();
  return `${String(jaar).padStart(4, '0')}-${String(maand).padStart(2, '0')}-${String(Math.min(d, laatsteDag)).padStart(2, '0')}`;
}

/** The end of a record for a counterpart: the Dagtekening of the snapshot that no longer carried it. */
export interface Einde {
  tegenpartij: string;
  dagtekening: string;
}

/** A party's grounds window for a record: from `van` through `tot` (YYYY-MM-DD, both inclusive; `tot` null: open). */
export interface Grondvenster {
  van: string;
  tot: string | null;
}

/**
 * The grounds window of `deelnemer` for a record (see the file's comment), or `undefined` when the record was
 * never sent to it.
 */
export function grondvenster(verstrekkingen: readonly Verstrekking[], deelnemer: string, nalooptijdMaanden: number, einden: readonly Einde[] = []): Grondvenster | undefined {
  const v = verstrekkingen.find((x) => x.tegenpartij === deelnemer);
  if (!v) return undefined;
  const kandidaten = [v.toewijzingEinde, einden.find((e) => e.tegenpartij === deelnemer)?.dagtekening]
    .filter((d): d is string => typeof d === 'string')
    .map((d) => plusMaanden(d, nalooptijdMaanden));
  return { van: v.eersteDagtekening, tot: kandidaten.length ? kandidaten.sort()[0]! : null };
}

/** What the window rule reads of a record (the bronregistratie's facade gives it). */
export interface Grondbron {
  verstrekkingen(sleutel: string): Verstrekking[];
  beeindigingen(sleutel: string): Einde[];
  /** the numbers of the versions carried by a message of a Dagtekening from `van` through `tot` (`null`: no end) */
  versiesVermeldTussen(sleutel: string, van: string, tot: string | null): number[];
}

/**
 * The grounds verdict of `deelnemer` for a record on `datum`, read once: its verstrekking, its window, and the
 * versions it may read (those current at some moment inside the window; `undefined` when it has no grounds on
 * that date: never received the record, or the window closed). The answer and its audit text use the same one.
 */
export interface Grondoordeel {
  verstrekking: Verstrekking | undefined;
  venster: Grondvenster | undefined;
  leesbaar: ReadonlySet<number> | undefined;
}

export function beoordeelGrond(bronregistratie: Grondbron, sleutel: string, deelnemer: string, datum: string, nalooptijdMaanden: number): Grondoordeel {
  const verstrekkingen = bronregistratie.verstrekkingen(sleutel);
  const verstrekking = verstrekkingen.find((x) => x.tegenpartij === deelnemer);
  if (!verstrekking) return { verstrekking, venster: undefined, leesbaar: undefined };
  const venster = grondvenster(verstrekkingen, deelnemer, nalooptijdMaanden, bronregistratie.beeindigingen(sleutel));
  const open = venster !== undefined && (venster.tot === null || datum <= venster.tot);
  return { verstrekking, venster, leesbaar: open ? new Set(bronregistratie.versiesVermeldTussen(sleutel, venster.van, venster.tot)) : undefined };
}

/** The versions `deelnemer` may read of a record on `datum` (`undefined`: no grounds on that date). */
export function leesbareVersies(bronregistratie: Grondbron, sleutel: string, deelnemer: string, datum: string, nalooptijdMaanden: number): ReadonlySet<number> | undefined {
  return beoordeelGrond(bronregistratie, sleutel, deelnemer, datum, nalooptijdMaanden).leesbaar;
}

/** Whether `deelnemer` may read version `nummer` of a record on `datum` (the window rule above). */
export function magVersieLezen(bronregistratie: Grondbron, sleutel: string, deelnemer: string, nummer: number, datum: string, nalooptijdMaanden: number): boolean {
  return leesbareVersies(bronregistratie, sleutel, deelnemer, datum, nalooptijdMaanden)?.has(nummer) ?? false;
}
