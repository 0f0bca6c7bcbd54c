/** Resolves Sleutels in this installation's own bronregistratie: for the owner, or a test without a network. */
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import { AndereWetFout, type Sleutelverzoek, type SleutelOplosser } from './oplosser.js';

export class LokaleOplosser implements SleutelOplosser {
  constructor(private readonly bron: Bronregistratie) {}

  los({ wet, object, eigenaar, sleutel: gevraagd, peildatum, berichtIdentificatie }: Sleutelverzoek) {
    // within the message's law only: the record of the Sleutel, or the one a Sleutel of before the law separation names
    const sleutel = this.bron.losOp(gevraagd, wet, undefined);
    if (sleutel === undefined) {
      const ander = this.bron.wetVan(gevraagd);
      if (ander !== undefined && ander !== wet) return Promise.reject(new AndereWetFout(wet));
      return Promise.resolve(undefined);
    }
    const v = peildatum === undefined ? this.bron.versie(sleutel) : this.bron.versieOp(sleutel, peildatum, berichtIdentificatie);
    // a Sleutel of another object or owner is as unknown as a Sleutel that does not exist
    const gevonden = v && v.object === object && v.eigenaar === eigenaar ? { inhoud: v.inhoud as Veldgroep, versie: v.nummer } : undefined;
    return Promise.resolve(gevonden);
  }
}
