/** The informatieobjecten netwerkbrug knows. Adding one is adding a module and listing it here. */
import type { BerichtNummer } from '../bericht/catalogus.js';
import { contactgegevens } from './contactgegevens.js';
import { relatie } from './relatie.js';
import type { InformatieObject, Voorkomen } from './type.js';

export const INFORMATIEOBJECTEN: readonly InformatieObject[] = [relatie, contactgegevens];

export function informatieobject(naam: string): InformatieObject | undefined {
  return INFORMATIEOBJECTEN.find((o) => o.naam === naam);
}

/** The objects that occur in a message type, with their occurrence. */
export function objectenIn(bericht: BerichtNummer): Array<{ object: InformatieObject; voorkomen: Voorkomen }> {
  return INFORMATIEOBJECTEN.flatMap((object) =>
    object.voorkomens.filter((v) => v.bericht === bericht).map((voorkomen) => ({ object, voorkomen })),
  );
}
