import type { Veldgroep } from '../informatieobject/velden.js';
/** Resolves a Sleutel to the record's stored fields at its owner's bronregistratie. */
export interface SleutelOplosser {
  /** undefined: the Sleutel is unknown or access was refused (the message names it, nothing half-done) */
  los(verzoek: { object: string; eigenaar: string; sleutel: string }): Promise<{ inhoud: Veldgroep; versie: number } | undefined>;
}
