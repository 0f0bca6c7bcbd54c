/**
 * Doelbinding for rehydration in `serve`: a Sleutel whose record is in this installation's bronregistratie is
 * resolved only for its owner or for a participant with grounds (the same rule as `GET /bronregistraties`), so
 * no caller reads a record through an incoming message that it could not fetch directly. Other Sleutels go to
 * the wrapped oplosser (the owner's API checks grounds there).
 */
import type { Bronregistratie } from '../bronregistratie/store.js';
import { AndereWetFout, type Sleutelverzoek, type SleutelOplosser } from './oplosser.js';
import { heeftGrond } from '../toegang/grond.js';

export class GrondOplosser implements SleutelOplosser {
  constructor(
    private readonly binnen: SleutelOplosser,
    private readonly bron: Bronregistratie,
    private readonly deelnemer: string,
    private readonly vandaag: string,
    private readonly nalooptijdMaanden: number,
  ) {}

  los(v: Sleutelverzoek) {
    if (this.bron.wetVan(v.sleutel) === undefined) return this.binnen.los(v);
    // a local record: within the message's law, the caller's own (an alias of before the law separation included)
    const sleutel = this.bron.losOp(v.sleutel, v.wet, this.deelnemer);
    if (sleutel === undefined) {
      const ander = this.bron.wetVan(v.sleutel);
      return ander !== v.wet && ander !== null ? Promise.reject(new AndereWetFout(v.wet)) : Promise.resolve(undefined);
    }
    const lokaal = this.bron.versie(sleutel);
    if (lokaal && lokaal.eigenaar !== this.deelnemer && !heeftGrond(this.bron.verstrekkingen(sleutel), this.deelnemer, this.vandaag, this.nalooptijdMaanden)) {
      return Promise.resolve(undefined);
    }
    return this.binnen.los(v);
  }
}
