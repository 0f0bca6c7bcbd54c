/** Resolves Sleutels in this installation's own bronregistratie: for the owner, or a test without a network. */
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import type { Sleutelverzoek, SleutelOplosser } from './oplosser.js';

export class LokaleOplosser implements SleutelOplosser {
  constructor(private readonly bron: Bronregistratie) {}

  los({ object, eigenaar, sleutel, peildatum, berichtIdentificatie }: Sleutelverzoek) {
    const v = peildatum === undefined ? this.bron.versie(sleutel) : this.bron.versieOp(sleutel, peildatum, berichtIdentificatie);
    // a Sleutel of another object or owner is as unknown as a Sleutel that does not exist
    const gevonden = v && v.object === object && v.eigenaar === eigenaar ? { inhoud: v.inhoud as Veldgroep, versie: v.nummer } : undefined;
    return Promise.resolve(gevonden);
  }
}
