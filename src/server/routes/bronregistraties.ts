/**
 * `GET /bronregistraties/{object}/{sleutel}[?versie=N | ?peildatum=D[&berichtIdentificatie=I]]` with header
 * `X-Doel` (the purpose): a record (the current version, version N, or the version a message of Dagtekening D
 * carried) with only the fields of that purpose. A participant reads only inside its grounds window, and only a
 * version that was current at some moment of that window (doelbinding, src/toegang/grond.ts), for a purpose the
 * object declares and the configuration gives it (src/toegang/doel.ts); the owner may read every version of its
 * own records for every declared purpose. A read without a purpose is a 400. Every refusal (no grounds, a
 * version outside the window or that does not exist, a purpose not declared or not given, an unknown Sleutel,
 * another object's or another law's Sleutel) is the same 403 with the same bytes, so the answer never tells whether a Sleutel or
 * version exists.
 */
import type { FastifyInstance } from 'fastify';
import { WETTEN, type Wet } from '../../bericht/catalogus.js';
import { informatieobject, INFORMATIEOBJECTEN } from '../../informatieobject/catalogus.js';
import { beperkVelden, veldenVoorDoel } from '../../toegang/doel.js';
import { beoordeelGrond } from '../../toegang/grond.js';
import { grondtekst } from '../../toegang/grondtekst.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, ref, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';
import { isKalenderdatum } from '../../plan/datum.js';

export const SLEUTEL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const GEEN_GROND = () => new Probleem('GEEN_TOEGANG', 'no grounds for this record (or no such record)');

const RECORD_SCHEMA = {
  $id: 'Record',
  type: 'object',
  required: ['sleutel', 'object', 'eigenaar', 'versie', 'doel', 'inhoud', 'geregistreerd', 'dagtekening', 'versies'],
  properties: {
    sleutel: { type: 'string', format: 'uuid' },
    object: { type: 'string' },
    eigenaar: { type: 'string', description: 'gemeentecode or AGB code of the owner' },
    wet: { type: ['string', 'null'], enum: [...WETTEN, null], description: 'the law the record belongs to (null: registered before the law separation, law unknown: owner only)' },
    versie: { type: 'integer' },
    doel: { type: 'string', description: 'the purpose of the read (X-Doel)' },
    inhoud: { type: 'object', additionalProperties: true, description: 'the fields the purpose may see of those the bronregistratie keeps, as in the message' },
    geregistreerd: { type: 'string', format: 'date-time' },
    dagtekening: { type: 'string', format: 'date' },
    versies: { type: 'array', items: { type: 'integer' }, description: 'version numbers (registration order) listed in message order: Dagtekening, then BerichtIdentificatie; for a counterpart only those it may read' },
  },
} as const;

/** Every read names its purpose: X-Doel is required here, one of the purposes the objects declare. */
const DOELKOPPEN = {
  type: 'object',
  required: ['X-Doel'],
  properties: {
    ...KOPPEN.properties,
    'X-Doel': {
      ...KOPPEN.properties['X-Doel'],
      description: `the purpose of the read, one the object declares: ${[...new Set(INFORMATIEOBJECTEN.flatMap((i) => Object.keys(i.doelen)))].join(', ')}`,
    },
  },
} as const;

/** What the route declares: fastify checks params, query and headers by it, and the OpenAPI document is made of it. */
const SCHEMA = {
  summary:
    'A record of the bronregistratie (current version: that of the latest message; ?versie=N, or ?peildatum=D), for a participant with grounds, a version current inside its grounds window, and the fields of the purpose (X-Doel) only',
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
      wet: { type: 'string', enum: WETTEN, description: 'the law of the message that names the Sleutel: the record of another law is never the answer' },
    },
  },
  headers: DOELKOPPEN,
  response: {
    200: { description: 'the record', content: { 'application/json': { schema: ref('Record') } } },
    400: probleem('the Sleutel or a query parameter is malformed, or X-Doel is missing'),
    401: probleem('not identified: no accepted client certificate or bearer token'),
    403: probleem('no grounds for this record or version, a purpose not declared or not given, or no such record or version (the same answer, byte for byte)'),
    404: probleem('no such informatieobject, or (for the owner) no such version'),
  },
};

export async function bronregistratieRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  if (!app.getSchema('Record')) app.addSchema(RECORD_SCHEMA);
  app.get<{ Params: { object: string; sleutel: string }; Querystring: { versie?: string; peildatum?: string; berichtIdentificatie?: string; wet?: Wet } }>(
    '/bronregistraties/:object/:sleutel',
    { config: { actie: 'bronregistratie:lezen' }, onRequest: vereis(o, 'bronregistratie:lezen'), schema: SCHEMA },
    async (request, reply) => {
      const { object, sleutel } = request.params;
      // what the caller typed is never echoed: it could be anything, a BSN included
      if (!informatieobject(object)) throw new Probleem('NIET_GEVONDEN', `not an informatieobject; known: ${INFORMATIEOBJECTEN.map((i) => i.naam).join(', ')}`);
      if (!SLEUTEL.test(sleutel)) throw new Probleem('ONGELDIG_VERZOEK', 'the Sleutel is not a UUID v4 in lower case');
      const { versie, peildatum, berichtIdentificatie, wet } = request.query;
      if (versie !== undefined && !/^[1-9][0-9]{0,8}$/.test(versie)) throw new Probleem('ONGELDIG_VERZOEK', 'versie must be a positive whole number');
      if (peildatum !== undefined && !isKalenderdatum(peildatum)) throw new Probleem('ONGELDIG_VERZOEK', 'peildatum must be a calendar date YYYY-MM-DD');
      if (berichtIdentificatie !== undefined && (peildatum === undefined || berichtIdentificatie.length > 100)) throw new Probleem('ONGELDIG_VERZOEK', 'berichtIdentificatie goes with peildatum, at most 100 characters');
      if (versie !== undefined && peildatum !== undefined) throw new Probleem('ONGELDIG_VERZOEK', 'give versie or peildatum, not both');
      // every read names its purpose (the schema requires X-Doel, the hook has checked its form); the scope is no purpose
      const doel = request.doel!;
      const code = request.identiteit!.code;
      // a Sleutel answers only within its own law: its record, or for a Sleutel handed out before the law
      // separation the record of the law the caller received it under (never the other law's record)
      const record = o.bronregistratie.losOp(sleutel, wet, code);
      const laatste = record === undefined ? undefined : o.bronregistratie.versie(record);
      const bekend = laatste !== undefined && laatste.object === object;
      const eigen = bekend && laatste.eigenaar === code;
      const velden = bekend ? veldenVoorDoel(informatieobject(object)!, doel, code, o.config.toegang.doelen, eigen) : undefined;
      // a counterpart's grounds today (the owner reads every version); the audit entry states this same verdict
      const datum = o.vandaag();
      const oordeel = bekend && !eigen ? beoordeelGrond(o.bronregistratie, record!, code, datum, o.config.toegang.nalooptijdMaanden) : undefined;
      request.auditWet = bekend ? laatste.wet : null;
      request.auditGrond = grondtekst({ object, eigenaar: bekend ? laatste.eigenaar : undefined, deelnemer: code, oordeel, datum });
      const leesbaar = oordeel?.leesbaar;
      const grond = velden !== undefined && (eigen || leesbaar !== undefined);
      const v = !grond ? undefined : versie !== undefined ? o.bronregistratie.versie(record!, Number(versie)) : peildatum !== undefined ? o.bronregistratie.versieOp(record!, peildatum, berichtIdentificatie) : laatste;
      // a counterpart is never told that a version exists outside its window (or at all): the same 403
      const toegestaan = grond && (eigen || (v !== undefined && leesbaar!.has(v.nummer)));
      o.metingen.toegang.inc({ beslissing: toegestaan ? 'toegestaan' : 'geweigerd' });
      if (!toegestaan) throw GEEN_GROND();
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
        doel,
        inhoud: beperkVelden(v.inhoud, velden!),
        geregistreerd: v.geregistreerd,
        dagtekening: v.dagtekening,
        // a counterpart sees the numbers of the versions it may read only
        versies: eigen ? o.bronregistratie.versienummers(record!) : o.bronregistratie.versienummers(record!).filter((n) => leesbaar!.has(n)),
      };
    },
  );
}
