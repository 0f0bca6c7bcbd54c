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
import { beoordeelGrond, type Grondoordeel } from '../toegang/grond.js';

export class GrondOplosser implements SleutelOplosser {
  /** the grounds verdict per Sleutel asked (a counterpart's local record), for the audit text of the same read */
  private readonly oordelen = new Map<string, Grondoordeel>();

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
    if (!gevonden) return undefined;
    const oordeel = beoordeelGrond(this.bronregistratie, sleutel, this.deelnemer, this.vandaag, this.nalooptijdMaanden);
    this.oordelen.set(v.sleutel, oordeel);
    if (!oordeel.leesbaar?.has(gevonden.versie)) return undefined;
    return { ...gevonden, inhoud: beperkVelden(gevonden.inhoud, velden) };
  }

  /** The verdict the read of `sleutel` was decided by; undefined when none was needed or none was reached. */
  oordeel(sleutel: string): Grondoordeel | undefined {
    return this.oordelen.get(sleutel);
  }
}
