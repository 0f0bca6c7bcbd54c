/**
 * Doelbinding: a participant has grounds for a record when the record was sent to it (it was the Ontvanger of
 * a message that carried the object), until the toewijzing's einddatum plus a configured tail (the iWlz keeps
 * contactpersonen available until the einddatum + 2 years). An open-ended toewijzing gives open grounds.
 * Used for every read of the bronregistratie API and again just before each notification is sent.
 */
import { tekstVan, zoekPad, type Knoop } from '../bericht/boom.js';
import type { Verstrekking } from '../bronregistratie/store.js';

/**
 * The end of the toewijzing period a message gives its counterpart: the latest Einddatum of its
 * ToegewezenProducten, or `null` when one of them is open-ended (or the message has none).
 */
export function toewijzingEinde(tekst: string, root: Knoop): string | null {
  let einde: string | null = null;
  const producten = zoekPad(root, ['Client', 'ToegewezenProducten', 'ToegewezenProduct']);
  for (const p of producten) {
    const e = p.kinderen.find((c) => c.lokaal === 'Einddatum');
    if (!e) return null;
    const d = tekstVan(tekst, e);
    if (einde === null || d > einde) einde = d;
  }
  return producten.length ? einde : null;
}

/** `datum` (YYYY-MM-DD) plus whole months; the day is capped at the last day of the target month. */
export function plusMaanden(datum: string, maanden: number): string {
  const [j, m, d] = datum.split('-').map(Number) as [number, number, number];
  const totaal = j * 12 + (m - 1) + maanden;
  const jaar = Math.floor(totaal / 12);
  const maand = (totaal % 12) + 1;
  const laatsteDag = new Date(Date.UTC(jaar, maand, 0)).getUTCDate();
  return `${String(jaar).padStart(4, '0')}-${String(maand).padStart(2, '0')}-${String(Math.min(d, laatsteDag)).padStart(2, '0')}`;
}

/** The last day on which `deelnemer` has grounds (`null`: open), or `undefined` when it never received the record. */
export function grondTot(verstrekkingen: readonly Verstrekking[], deelnemer: string, nalooptijdMaanden: number): string | null | undefined {
  const v = verstrekkingen.find((x) => x.tegenpartij === deelnemer);
  if (!v) return undefined;
  return v.toewijzingEinde === null ? null : plusMaanden(v.toewijzingEinde, nalooptijdMaanden);
}

/** Whether `deelnemer` has grounds for the record on `datum` (YYYY-MM-DD). */
export function heeftGrond(verstrekkingen: readonly Verstrekking[], deelnemer: string, datum: string, nalooptijdMaanden: number): boolean {
  const tot = grondTot(verstrekkingen, deelnemer, nalooptijdMaanden);
  return tot === null || (tot !== undefined && datum <= tot);
}
