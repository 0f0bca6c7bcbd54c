import { NetwerkbrugFout } from '../fout.js';
import type { Veldgroep } from '../informatieobject/velden.js';

export interface Sleutelverzoek {
  object: string;
  eigenaar: string;
  sleutel: string;
  /**
   * The Dagtekening of the message that carries the Sleutel: the record is returned as that message carried it
   * (the version registered on or before that date), so an archived message rehydrates to what it said then.
   */
  peildatum?: string;
  /** the message's BerichtIdentificatie: breaks a tie between versions registered on the same Dagtekening */
  berichtIdentificatie?: string;
}

/** Resolves a Sleutel to the record's stored fields at its owner's bronregistratie. */
export interface SleutelOplosser {
  /** undefined: the Sleutel is unknown or access was refused (the message names it, nothing half-done) */
  los(verzoek: Sleutelverzoek): Promise<{ inhoud: Veldgroep; versie: number } | undefined>;
}

/**
 * An owner could not be asked, or answered something other than a record, a refusal or "not found": not the
 * same as an unknown Sleutel. The message is whole again once the owner answers, so it is tried again later.
 */
export class OplosserFout extends NetwerkbrugFout {
  constructor(
    readonly eigenaar: string,
    message: string,
  ) {
    super('EIGENAAR_ONBEREIKBAAR', message);
    this.name = 'OplosserFout';
  }
}
