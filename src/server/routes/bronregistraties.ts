/**
 * `GET /bronregistraties/{object}/{sleutel}[?versie=N | ?peildatum=D[&berichtIdentificatie=I]]`: a record (the
 * latest version, version N, or the version a message of Dagtekening D carried), for a participant with grounds only
 * (doelbinding, src/toegang/grond.ts); the owner itself may always read its own records. Every refusal
 * (no grounds, unknown Sleutel, another object's Sleutel) is the same 403 with the same bytes, so the answer
 * never tells whether a Sleutel exists.
 */
import type { FastifyInstance } from 'fastify';
import { informatieobject, INFORMATIEOBJECTEN } from '../../informatieobject/catalogus.js';
import { heeftGrond } from '../../toegang/grond.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, ref, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';

export const SLEUTEL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** YYYY-MM-DD that names a day of the calendar (not 2027-13-45, not 2027-02-30) */
export function isKalenderdatum(s: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const GEEN_GROND = () => new Probleem('GEEN_TOEGANG', 'no grounds for this record (or no such record)');

const RECORD_SCHEMA = {
  $id: 'Record',
  type: 'object',
  required: ['sleutel', 'object', 'eigenaar', 'versie', 'inhoud', 'geregistreerd', 'dagtekening', 'versies'],
  properties: {
    sleutel: { type: 'string', format: 'uuid' },
    object: { type: 'string' },
    eigenaar: { type: 'string', description: 'gemeentecode or AGB code of the owner' },
    versie: { type: 'integer' },
    inhoud: { type: 'object', additionalProperties: true, description: 'the fields the bronregistratie keeps, as in the message' },
    geregistreerd: { type: 'string', format: 'date-time' },
    dagtekening: { type: 'string', format: 'date' },
    versies: { type: 'array', items: { type: 'integer' }, description: 'version numbers (registration order) listed in message order: Dagtekening, then BerichtIdentificatie' },
  },
} as const;

/** What the route declares: fastify checks params, query and headers by it, and the OpenAPI document is made of it. */
const SCHEMA = {
  summary: 'A record of the bronregistratie (current version: that of the latest message; ?versie=N, or ?peildatum=D), for a participant with grounds',
  security: BEVEILIGD,
  params: {
    type: 'object',
    required: ['object', 'sleutel'],
    properties: {
      // not an enum: another name is answered 404 by the route (no such informatieobject), not 400
      object: { type: 'string', description: `an informatieobject: ${INFORMATIEOBJECTEN.map((i) => i.naam).join(', ')}` },
      sleutel: { type: 'string', format: 'uuid', pattern: SLEUTEL.source, description: 'a UUID v4 in lower case' },
    },
  },
  querystring: {
    type: 'object',
    properties: {
      versie: { type: 'string', pattern: '^[1-9][0-9]{0,8}$', description: 'a version number (a positive whole number); not with peildatum' },
      peildatum: { type: 'string', format: 'date', description: 'the version a message of this Dagtekening carried (registered on or before it)' },
      berichtIdentificatie: { type: 'string', maxLength: 100, description: 'with peildatum: prefer the version this message registered' },
    },
  },
  headers: KOPPEN,
  response: {
    200: { description: 'the record', content: { 'application/json': { schema: ref('Record') } } },
    400: probleem('the Sleutel or a query parameter is malformed'),
    401: probleem('not identified: no accepted client certificate or bearer token'),
    403: probleem('no grounds for this record, or no such record (the same answer, byte for byte)'),
    404: probleem('no such informatieobject, or no such version of a record the caller may read'),
  },
};

export async function bronregistratieRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  if (!app.getSchema('Record')) app.addSchema(RECORD_SCHEMA);
  app.get<{ Params: { object: string; sleutel: string }; Querystring: { versie?: string; peildatum?: string; berichtIdentificatie?: string } }>(
    '/bronregistraties/:object/:sleutel',
    { config: { actie: 'bronregistratie:lezen' }, onRequest: vereis(o, 'bronregistratie:lezen'), schema: SCHEMA },
    async (request, reply) => {
      const { object, sleutel } = request.params;
      // what the caller typed is never echoed: it could be anything, a BSN included
      if (!informatieobject(object)) throw new Probleem('NIET_GEVONDEN', `not an informatieobject; known: ${INFORMATIEOBJECTEN.map((i) => i.naam).join(', ')}`);
      if (!SLEUTEL.test(sleutel)) throw new Probleem('ONGELDIG_VERZOEK', 'the Sleutel is not a UUID v4 in lower case');
      const { versie, peildatum, berichtIdentificatie } = request.query;
      if (versie !== undefined && !/^[1-9][0-9]{0,8}$/.test(versie)) throw new Probleem('ONGELDIG_VERZOEK', 'versie must be a positive whole number');
      if (peildatum !== undefined && !isKalenderdatum(peildatum)) throw new Probleem('ONGELDIG_VERZOEK', 'peildatum must be a calendar date YYYY-MM-DD');
      if (berichtIdentificatie !== undefined && (peildatum === undefined || berichtIdentificatie.length > 100)) throw new Probleem('ONGELDIG_VERZOEK', 'berichtIdentificatie goes with peildatum, at most 100 characters');
      if (versie !== undefined && peildatum !== undefined) throw new Probleem('ONGELDIG_VERZOEK', 'give versie or peildatum, not both');
      const code = request.identiteit!.code;
      const laatste = o.bronregistratie.versie(sleutel);
      const verstrekkingen = o.bronregistratie.verstrekkingen(sleutel);
      const grond =
        laatste !== undefined &&
        laatste.object === object &&
        (laatste.eigenaar === code || heeftGrond(verstrekkingen, code, o.vandaag(), o.config.toegang.nalooptijdMaanden));
      o.metingen.toegang.inc({ beslissing: grond ? 'toegestaan' : 'geweigerd' });
      if (!grond) throw GEEN_GROND();
      const v = versie !== undefined ? o.bronregistratie.versie(sleutel, Number(versie)) : peildatum !== undefined ? o.bronregistratie.versieOp(sleutel, peildatum, berichtIdentificatie) : laatste;
      if (!v) throw new Probleem('NIET_GEVONDEN', versie !== undefined ? `the record has no version ${Number(versie)}` : 'the record has no version on or before that date');
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
        versies: o.bronregistratie.versienummers(sleutel),
      };
    },
  );
}
