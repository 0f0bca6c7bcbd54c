/**
 * Which bronregistratie resolves a Sleutel: an owner listed in the address book (and not this installation)
 * through its API; otherwise this installation's own bronregistratie.
 */
import type { Bronregistratie } from '../bronregistratie/store.js';
import type { Config } from '../config/typen.js';
import { LokaleOplosser, type Leesmelder } from './lokaal.js';
import type { Sleutelverzoek, SleutelOplosser } from './oplosser.js';

export class EigenaarOplosser implements SleutelOplosser {
  private readonly lokaal: LokaleOplosser;

  constructor(
    private readonly config: Config,
    bronregistratie: Bronregistratie,
    /** resolves through an owner's API (mutual TLS); absent: every Sleutel is resolved locally */
    private readonly extern?: SleutelOplosser,
    /** told of every local read, for the audit log */
    gelezen?: Leesmelder,
  ) {
    this.lokaal = new LokaleOplosser(bronregistratie, gelezen);
  }

  los(verzoek: Sleutelverzoek) {
    const elders = verzoek.eigenaar !== this.config.deelnemer?.code && this.config.adresboek[verzoek.eigenaar];
    return elders && this.extern ? this.extern.los(verzoek) : this.lokaal.los(verzoek);
  }
}
