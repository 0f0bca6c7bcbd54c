/**
 * The informatieobjecten netwerkbrug knows. Adding one is adding a module and listing it here; the engine reads
 * the declarations and names none (docs/informatieobjecten.md). Every declaration is checked when the catalogue
 * loads (`controleerInformatieobject`), so an unsound one stops the process at start-up.
 */
import { BERICHT_NUMMERS, type BerichtNummer } from '../bericht/catalogus.js';
import { client } from './client.js';
import { contactgegevens } from './contactgegevens.js';
import { levering } from './levering.js';
import { relatie } from './relatie.js';
import { toewijzing } from './toewijzing.js';
import type { InformatieObject, Voorkomen } from './type.js';

const GRONDEINDEN = new Set(['perioden', 'eigenPeriode', 'bepaald']);

/**
 * Every problem of one declaration, each one sentence naming the object (never message data), empty when it is
 * sound. An object without a declared end of grounds is refused: it would otherwise get open grounds silently.
 */
export function controleerInformatieobject(o: InformatieObject, anderen: readonly InformatieObject[] = []): string[] {
  const fouten: string[] = [];
  const naam = typeof o?.naam === 'string' && o.naam ? o.naam : '(unnamed)';
  const fout = (tekst: string) => fouten.push(`informatieobject ${naam}: ${tekst}`);
  if (!/^[a-z][a-z0-9]*$/.test(naam)) fout('its naam is not a lower-case word');
  if (anderen.some((a) => a.naam === naam)) fout('is declared twice');
  const g = (o as Partial<InformatieObject>).grondEinde as { uit?: unknown } | undefined;
  if (!g || typeof g !== 'object' || !GRONDEINDEN.has(g.uit as string)) {
    fout('declares no end of grounds (grondEinde: perioden, eigenPeriode or bepaald), and an object is never given open grounds');
  }
  if (!o.voorkomens?.length) fout('occurs in no message');
  for (const v of o.voorkomens ?? []) {
    if (!BERICHT_NUMMERS.includes(v.bericht)) fout(`occurs in unknown message ${String(v.bericht)}`);
    if (!v.pad.length) fout(`has an empty path in message ${v.bericht}`);
    if (v.momentopname && v.rol !== 'bron') fout(`declares a snapshot in message ${v.bericht}, where it is an echo`);
    if (v.verwijstNaar && v.rol !== 'bron') fout(`declares a reference in message ${v.bericht}, where it is an echo`);
  }
  if (!o.voorkomens?.some((v) => v.rol === 'bron')) fout('has no bron occurrence: no message registers it');
  if (!o.notificatie || !/^nl(\.[a-z0-9][a-z0-9-]*)+$/.test(o.notificatie.type) || !/^[A-Z][A-Z0-9_]*$/.test(o.notificatie.eventType)) {
    fout('declares no notification type (notificatie: a reverse-DNS type and an UPPER_SNAKE eventType)');
  }
  for (const v of o.behoud ?? []) if (!o.velden.includes(v)) fout(`keeps ${v} in the message, which is not one of its fields`);
  return fouten;
}

/** Throws when a declaration is not sound: the start-up refusal. */
function vereisGezond(o: InformatieObject, anderen: readonly InformatieObject[]): void {
  const fouten = controleerInformatieobject(o, anderen);
  if (fouten.length) throw new Error(fouten.join('; '));
}

const objecten: InformatieObject[] = [];
for (const o of [relatie, contactgegevens, client, toewijzing, levering]) {
  vereisGezond(o, objecten);
  objecten.push(o);
}

/** The known objects, in declaration order (a live view: a test may register one more). */
export const INFORMATIEOBJECTEN: readonly InformatieObject[] = objecten;

/**
 * Adds a declaration at run time, checked as at start-up (throws when it is not sound). For tests that show a
 * new object flowing through the engine without a change in src/; gives the function that removes it again.
 * Call it before anything derived from the catalogue is built (the notification catalogue is derived per call).
 */
export function registreerInformatieobject(o: InformatieObject): () => void {
  vereisGezond(o, objecten);
  objecten.push(o);
  return () => {
    const i = objecten.indexOf(o);
    if (i >= 0) objecten.splice(i, 1);
  };
}

export function informatieobject(naam: string): InformatieObject | undefined {
  return INFORMATIEOBJECTEN.find((o) => o.naam === naam);
}

/** The objects that occur in a message type, with their occurrence. */
export function objectenIn(bericht: BerichtNummer): Array<{ object: InformatieObject; voorkomen: Voorkomen }> {
  return INFORMATIEOBJECTEN.flatMap((object) =>
    object.voorkomens.filter((v) => v.bericht === bericht).map((voorkomen) => ({ object, voorkomen })),
  );
}
