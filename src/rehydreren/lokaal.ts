/** Resolves Sleutels in this installation's own bronregistratie: for the owner, or a test without a network. */
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import { AndereWetFout, type Sleutelverzoek, type SleutelOplosser } from './oplosser.js';

/** Told of every local read (the audit log: cli/rehydrate.ts): the request and the version given, if any. */
export type Leesmelder = (verzoek: Sleutelverzoek, versie: number | undefined) => void;

export class LokaleOplosser implements SleutelOplosser {
  constructor(private readonly bronregistratie: Bronregistratie, private readonly gelezen?: Leesmelder) {}

  los(verzoek: Sleutelverzoek) {
    const { wet, object, eigenaar, sleutel: gevraagd, peildatum, berichtIdentificatie } = verzoek;
    // within the message's law only: the record of the Sleutel, or the one a Sleutel of before the law separation names
    const sleutel = this.bronregistratie.losOp(gevraagd, wet, undefined);
    if (sleutel === undefined) {
      const ander = this.bronregistratie.wetVan(gevraagd);
      if (ander !== undefined && ander !== wet) return Promise.reject(new AndereWetFout(wet));
      return Promise.resolve(undefined);
    }
    const v = peildatum === undefined ? this.bronregistratie.versie(sleutel) : this.bronregistratie.versieOp(sleutel, peildatum, berichtIdentificatie);
    // a Sleutel of another object or owner is as unknown as a Sleutel that does not exist
    const gevonden = v && v.object === object && v.eigenaar === eigenaar ? { inhoud: v.inhoud as Veldgroep, versie: v.nummer } : undefined;
    this.gelezen?.(verzoek, gevonden?.versie);
    return Promise.resolve(gevonden);
  }
}
