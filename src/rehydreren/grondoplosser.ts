/**
 * Doelbinding for rehydration in `serve`: a Sleutel whose record is in this installation's bronregistratie is
 * resolved only for its owner or for a participant that may read the version resolved, for the purpose
 * `berichtverkeer` (the same rules as `GET /bronregistraties`), so no caller reads a record through an
 * incoming message that it could not fetch directly. Other Sleutels go to the wrapped oplosser (the owner's
 * API checks there).
 */
import type { Bronregistratie } from '../bronregistratie/store.js';
import { AndereWetFout, type Sleutelverzoek, type SleutelOplosser } from './oplosser.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { BERICHTVERKEER } from '../informatieobject/type.js';
import { beperkVelden, veldenVoorDoel, type Doelbeperking } from '../toegang/doel.js';
import { magVersieLezen } from '../toegang/grond.js';

export class GrondOplosser implements SleutelOplosser {
  constructor(
    private readonly binnen: SleutelOplosser,
    private readonly bronregistratie: Bronregistratie,
    private readonly deelnemer: string,
    private readonly vandaag: string,
    private readonly nalooptijdMaanden: number,
    private readonly doelen?: Doelbeperking,
  ) {}

  async los(v: Sleutelverzoek) {
    if (this.bronregistratie.wetVan(v.sleutel) === undefined) return this.binnen.los(v);
    // a local record: within the message's law, the caller's own (an alias of before the law separation included)
    const sleutel = this.bronregistratie.losOp(v.sleutel, v.wet, this.deelnemer);
    if (sleutel === undefined) {
      const ander = this.bronregistratie.wetVan(v.sleutel);
      if (ander !== v.wet && ander !== null) throw new AndereWetFout(v.wet);
      return undefined;
    }
    const lokaal = this.bronregistratie.versie(sleutel);
    if (!lokaal || lokaal.eigenaar === this.deelnemer) return this.binnen.los(v);
    const object = informatieobject(lokaal.object);
    const velden = object && veldenVoorDoel(object, BERICHTVERKEER, this.deelnemer, this.doelen);
    if (!velden) return undefined;
    const gevonden = await this.binnen.los(v);
    if (!gevonden || !magVersieLezen(this.bronregistratie, sleutel, this.deelnemer, gevonden.versie, this.vandaag, this.nalooptijdMaanden)) return undefined;
    return { ...gevonden, inhoud: beperkVelden(gevonden.inhoud, velden) };
  }
}
