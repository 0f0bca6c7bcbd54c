/** Resolves Sleutels in this installation's own bronregistratie: for the owner, or a test without a network. */
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Veldgroep } from '../informatieobject/velden.js';
import type { Sleutelverzoek, SleutelOplosser } from './oplosser.js';

/** Told of every local read (the audit log: cli/rehydrate.ts): the request and the version given, if any. */
export type Leesmelder = (verzoek: Sleutelverzoek, versie: number | undefined) => void;

export class LokaleOplosser implements SleutelOplosser {
  constructor(private readonly bron: Bronregistratie, private readonly gelezen?: Leesmelder) {}

  los(verzoek: Sleutelverzoek) {
    const { object, eigenaar, sleutel, peildatum, berichtIdentificatie } = verzoek;
    const v = peildatum === undefined ? this.bron.versie(sleutel) : this.bron.versieOp(sleutel, peildatum, berichtIdentificatie);
    // a Sleutel of another object or owner is as unknown as a Sleutel that does not exist
    const gevonden = v && v.object === object && v.eigenaar === eigenaar ? { inhoud: v.inhoud as Veldgroep, versie: v.nummer } : undefined;
    this.gelezen?.(verzoek, gevonden?.versie);
    return Promise.resolve(gevonden);
  }
}
