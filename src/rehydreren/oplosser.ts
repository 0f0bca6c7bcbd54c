import type { Wet } from '../bericht/catalogus.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Veldgroep } from '../informatieobject/velden.js';

export interface Sleutelverzoek {
  /** the law of the message that carries the Sleutel: only a record of that law answers */
  wet: Wet;
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

/**
 * The Sleutel names a record of another law than the message's (a Wmo record's Sleutel in an iJw message, or
 * the other way round): refused, never resolved across laws. Carries no place and no data; the caller adds the
 * place.
 */
export class AndereWetFout extends Error {
  constructor(readonly wet: Wet) {
    super(`the Sleutel belongs to a record of another law than the message's (${wet})`);
    this.name = 'AndereWetFout';
  }
}
