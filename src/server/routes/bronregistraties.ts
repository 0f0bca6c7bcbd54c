/**
 * `GET /bronregistraties/{object}/{sleutel}[?versie=N | ?peildatum=D[&berichtIdentificatie=I]]`: a record (the
 * latest version, version N, or the version a message of Dagtekening D carried), for a participant with grounds only
 * (doelbinding, src/toegang/grond.ts); the owner itself may always read its own records. Every refusal
 * (no grounds, unknown Sleutel, another object's or another law's Sleutel) is the same 403 with the same bytes, so the answer
 * never tells whether a Sleutel exists.
 */
import type { FastifyInstance } from 'fastify';
import { isWet, WETTEN } from '../../bericht/catalogus.js';
import { informatieobject, INFORMATIEOBJECTEN } from '../../informatieobject/catalogus.js';
import { heeftGrond } from '../../toegang/grond.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { vereis } from '../toegang.js';

export const SLEUTEL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** YYYY-MM-DD that names a day of the calendar (not 2027-13-45, not 2027-02-30) */
export function isKalenderdatum(s: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const GEEN_GROND = () => new Probleem('GEEN_TOEGANG', 'no grounds for this record (or no such record)');

export async function bronregistratieRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  app.get<{ Params: { object: string; sleutel: string }; Querystring: { versie?: string; peildatum?: string; berichtIdentificatie?: string; wet?: string } }>(
    '/bronregistraties/:object/:sleutel',
    { config: { actie: 'bronregistratie:lezen' }, onRequest: vereis(o, 'bronregistratie:lezen') },
    async (request, reply) => {
      const { object, sleutel } = request.params;
      // what the caller typed is never echoed: it could be anything, a BSN included
      if (!informatieobject(object)) throw new Probleem('NIET_GEVONDEN', `not an informatieobject; known: ${INFORMATIEOBJECTEN.map((i) => i.naam).join(', ')}`);
      if (!SLEUTEL.test(sleutel)) throw new Probleem('ONGELDIG_VERZOEK', 'the Sleutel is not a UUID v4 in lower case');
      const { versie, peildatum, berichtIdentificatie, wet } = request.query;
      if (wet !== undefined && !isWet(wet)) throw new Probleem('ONGELDIG_VERZOEK', `wet must be one of ${WETTEN.join(', ')}`);
      if (versie !== undefined && !/^[1-9][0-9]{0,8}$/.test(versie)) throw new Probleem('ONGELDIG_VERZOEK', 'versie must be a positive whole number');
      if (peildatum !== undefined && !isKalenderdatum(peildatum)) throw new Probleem('ONGELDIG_VERZOEK', 'peildatum must be a calendar date YYYY-MM-DD');
      if (berichtIdentificatie !== undefined && (peildatum === undefined || berichtIdentificatie.length > 100)) throw new Probleem('ONGELDIG_VERZOEK', 'berichtIdentificatie goes with peildatum, at most 100 characters');
      if (versie !== undefined && peildatum !== undefined) throw new Probleem('ONGELDIG_VERZOEK', 'give versie or peildatum, not both');
      const code = request.identiteit!.code;
      // a Sleutel answers only within its own law: its record, or for a Sleutel handed out before the law
      // separation the record of the law the caller received it under (never the other law's record)
      const eigen = o.bron.losOp(sleutel, wet, code);
      const laatste = eigen === undefined ? undefined : o.bron.versie(eigen);
      const verstrekkingen = eigen === undefined ? [] : o.bron.verstrekkingen(eigen);
      const grond =
        laatste !== undefined &&
        laatste.object === object &&
        (laatste.eigenaar === code || heeftGrond(verstrekkingen, code, o.vandaag(), o.config.toegang.nalooptijdMaanden));
      o.metingen.toegang.inc({ beslissing: grond ? 'toegestaan' : 'geweigerd' });
      if (!grond) throw GEEN_GROND();
      const v = versie !== undefined ? o.bron.versie(eigen!, Number(versie)) : peildatum !== undefined ? o.bron.versieOp(eigen!, peildatum, berichtIdentificatie) : laatste;
      if (!v) throw new Probleem('NIET_GEVONDEN', versie !== undefined ? `the record has no version ${Number(versie)}` : 'the record has no version on or before that date');
      request.auditVersie = v.nummer;
      reply.header('cache-control', 'no-store');
      return {
        // the Sleutel asked for (an alias of before the law separation answers with the record it names)
        sleutel,
        object: v.object,
        eigenaar: v.eigenaar,
        wet: v.wet,
        versie: v.nummer,
        inhoud: v.inhoud,
        geregistreerd: v.geregistreerd,
        dagtekening: v.dagtekening,
        versies: o.bron.versienummers(eigen!),
      };
    },
  );
}
