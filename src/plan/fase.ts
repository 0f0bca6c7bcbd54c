/**
 * The phase of an informatieobject for a counterpart on a date. The date that decides is the message's own
 * Dagtekening, never the wall clock, so an archive converts the same way every time.
 *  - inactief: no dates in the plan: untouched and not registered
 *  - voor: before sleutelVanaf: the message leaves unchanged, the object is registered (shadow filling)
 *  - naast: from sleutelVanaf: the object keeps its data and gains its Sleutel ("oud naast nieuw")
 *  - na: from einddatum: only what identifies the object and its Sleutel travel
 */
import type { Config, Data } from '../config/typen.js';

export type Fase = 'inactief' | 'voor' | 'naast' | 'na';

/** The dates for an object and counterpart: the counterpart's override merged over the default. */
export function dataVoor(config: Config, object: string, tegenpartij: string): Data {
  const plan = config.informatieobjecten[object];
  if (!plan) return {};
  const { afwijkend, ...standaard } = plan;
  return { ...standaard, ...afwijkend?.[tegenpartij] };
}

export function fase(config: Config, object: string, tegenpartij: string, dagtekening: string): Fase {
  const { sleutelVanaf, einddatum } = dataVoor(config, object, tegenpartij);
  if (!sleutelVanaf) return 'inactief';
  if (dagtekening < sleutelVanaf) return 'voor';
  if (einddatum === undefined || dagtekening < einddatum) return 'naast';
  return 'na';
}
