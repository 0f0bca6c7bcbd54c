/**
 * `GET /bronregistraties/{object}/{sleutel}[?versie=N]`: a record, for a participant with grounds only
 * (doelbinding, src/toegang/grond.ts); the owner itself may always read its own records. Every refusal
 * (no grounds, unknown Sleutel, another object's Sleutel) is the same 403 with the same bytes, so the answer
 * never tells whether a Sleutel exists.
 */
import type { FastifyInstance } from 'fastify';
import { informatieobject, INFORMATIEOBJECTEN } from '../../informatieobject/catalogus.js';
import { heeftGrond } from '../../toegang/grond.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { vereis } from '../toegang.js';

export const SLEUTEL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const GEEN_GROND = () => new Probleem(403, 'geen-toegang', 'no grounds for this record (or no such record)');

export async function bronregistratieRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  app.get<{ Params: { object: string; sleutel: string }; Querystring: { versie?: string } }>(
    '/bronregistraties/:object/:sleutel',
    { config: { actie: 'bronregistratie:lezen' }, preHandler: vereis(o, 'bronregistratie:lezen') },
    async (request, reply) => {
      const { object, sleutel } = request.params;
      // what the caller typed is never echoed: it could be anything, a BSN included
      if (!informatieobject(object)) throw new Probleem(404, 'niet-gevonden', `not an informatieobject; known: ${INFORMATIEOBJECTEN.map((i) => i.naam).join(', ')}`);
      if (!SLEUTEL.test(sleutel)) throw new Probleem(400, 'ongeldig-verzoek', 'the Sleutel is not a UUID v4 in lower case');
      const versie = request.query.versie;
      if (versie !== undefined && !/^[1-9][0-9]{0,8}$/.test(versie)) throw new Probleem(400, 'ongeldig-verzoek', 'versie must be a positive whole number');
      const code = request.identiteit!.code;
      const laatste = o.bron.versie(sleutel);
      const verstrekkingen = o.bron.verstrekkingen(sleutel);
      const grond =
        laatste !== undefined &&
        laatste.object === object &&
        (laatste.eigenaar === code || heeftGrond(verstrekkingen, code, o.vandaag(), o.config.toegang.nalooptijdMaanden));
      o.metingen.toegang.inc({ beslissing: grond ? 'toegestaan' : 'geweigerd' });
      if (!grond) throw GEEN_GROND();
      const v = versie === undefined ? laatste : o.bron.versie(sleutel, Number(versie));
      if (!v) throw new Probleem(404, 'niet-gevonden', `the record has no version ${Number(versie)}`);
      request.auditVersie = v.nummer;
      reply.header('cache-control', 'no-store');
      return {
        sleutel: v.sleutel,
        object: v.object,
        eigenaar: v.eigenaar,
        versie: v.nummer,
        inhoud: v.inhoud,
        geregistreerd: v.geregistreerd,
        dagtekening: v.dagtekening,
        versies: o.bron.versienummers(sleutel),
      };
    },
  );
}
