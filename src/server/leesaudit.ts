/**
 * The audit entry of every record an incoming message reads in this installation's own bronregistratie
 * (`POST /berichten/inkomend`): the request itself has its entry (`berichten:inkomend`), and each Sleutel
 * resolved here, or refused for want of grounds, has one of its own, as a `GET /bronregistraties` would. A
 * Sleutel of another owner is audited by that owner (its API is asked).
 */
import type { FastifyRequest } from 'fastify';
import { wetVan } from '../bronregistratie/wet.js';
import type { GrondOplosser } from '../rehydreren/grondoplosser.js';
import type { Sleutelverzoek, SleutelOplosser } from '../rehydreren/oplosser.js';
import { grondtekst, leesgrond } from '../toegang/grondtekst.js';
import type { Omgeving } from './omgeving.js';

/** Who reads: a request, or the receiving worker acting as this participant (src/ontvangst/). */
export type Lezer = Pick<FastifyRequest, 'doel'> & { identiteit?: { code: string }; trace: { traceId: string } };

export class AuditOplosser implements SleutelOplosser {
  constructor(
    private readonly binnen: GrondOplosser,
    private readonly o: Omgeving,
    private readonly request: Lezer,
  ) {}

  async los(v: Sleutelverzoek) {
    const lokaal = this.o.bronregistratie.versie(v.sleutel);
    const gevonden = await this.binnen.los(v);
    if (lokaal && lokaal.object === v.object) {
      const deelnemer = this.request.identiteit?.code ?? null;
      this.o.audit.schrijf({
        tijd: new Date().toISOString(),
        traceId: this.request.trace.traceId,
        deelnemer,
        actie: 'bronregistratie:lezen',
        object: v.object,
        sleutel: v.sleutel,
        versie: gevonden?.versie ?? null,
        doel: this.request.doel ?? null,
        uitkomst: gevonden ? 'verstrekt' : 'geweigerd',
        status: gevonden ? 200 : 403,
        wet: wetVan(this.o.bronregistratie.verbinding, v.sleutel),
        grond: this.grond(v, lokaal.eigenaar, deelnemer),
        kanaal: 'http',
      });
    }
    return gevonden;
  }

  /**
   * The ground in words, from the verdict the grounds check decided by; read here only when it decided without
   * one (the owner, no field for the purpose, nothing found).
   */
  private grond(v: Sleutelverzoek, eigenaar: string, deelnemer: string | null): string {
    const oordeel = this.binnen.oordeel(v.sleutel);
    const datum = this.o.vandaag();
    if (oordeel) return grondtekst({ object: v.object, eigenaar, deelnemer, oordeel, datum });
    return leesgrond(this.o.bronregistratie, v.object, v.sleutel, eigenaar, deelnemer, datum, this.o.config.toegang.nalooptijdMaanden);
  }
}
