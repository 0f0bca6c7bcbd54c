/**
 * `POST /inzage` (AVG art. 15): the owner's own portal asks, for a citizen it has identified, what this
 * installation holds and did about them: the records of this owner about the person, every version, which
 * party received them when, who read them when and why, and which notifications went where. The BSN is in the
 * request body, never in the URL; it is never echoed, logged or written to the audit log (whose entry for the
 * inzage names the purpose `inzage` and no person). Scope `inzage`, given only explicitly.
 */
import type { FastifyInstance } from 'fastify';
import { isBsn } from '../../bronregistratie/inzage.js';
import { maakInzage } from '../../bronregistratie/inzagerapport.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';
import { AUDITPOST_SCHEMA } from './audit.js';

const nullable = (type: string) => ({ type: [type, 'null'] });

export const INZAGE_SCHEMA = {
  type: 'object',
  required: ['gemaakt', 'eigenaar', 'records', 'berichten', 'raadplegingen', 'notificaties'],
  properties: {
    gemaakt: { type: 'string', format: 'date-time' },
    eigenaar: nullable('string'),
    records: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sleutel', 'object', 'eigenaar', 'versies', 'verstrekkingen'],
        properties: {
          sleutel: { type: 'string' },
          object: { type: 'string' },
          eigenaar: { type: 'string' },
          wet: nullable('string'),
          actueel: nullable('integer'),
          versies: {
            type: 'array',
            items: {
              type: 'object',
              properties: { nummer: { type: 'integer' }, dagtekening: { type: 'string' }, geregistreerd: { type: 'string' }, inhoud: {} },
            },
          },
          verstrekkingen: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                tegenpartij: { type: 'string' },
                eersteDagtekening: { type: 'string' },
                laatsteDagtekening: { type: 'string' },
                eersteVersie: nullable('integer'),
                laatsteVersie: nullable('integer'),
                toewijzingEinde: nullable('string'),
                beeindigd: nullable('string'),
              },
            },
          },
        },
      },
    },
    berichten: {
      type: 'array',
      description: 'the kept key-only messages that name these records',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          berichttype: { type: 'string' },
          eigenaar: { type: 'string' },
          ontvanger: { type: 'string' },
          dagtekening: { type: 'string' },
          geregistreerd: { type: 'string' },
          sleutels: { type: 'array', items: { type: 'string' } },
          bezorgingen: {
            type: 'array',
            items: { type: 'object', properties: { ontvanger: { type: 'string' }, status: { type: 'string' }, bijgewerkt: { type: 'string' } } },
          },
        },
      },
    },
    raadplegingen: { type: 'array', items: AUDITPOST_SCHEMA },
    notificaties: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sleutel: { type: 'string' },
          versie: { type: 'integer' },
          soort: { type: 'string' },
          tijd: { type: 'string' },
          alleenVoor: nullable('string'),
          bezorgingen: {
            type: 'array',
            items: { type: 'object', properties: { ontvanger: { type: 'string' }, status: { type: 'string' }, bijgewerkt: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

export const BSN_ONGELDIG = 'the BSN does not pass the 11-proef';

export async function inzageRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  // a parser of its own: a JSON error message of the runtime quotes the body, and the body holds a BSN
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, klaar) => {
    let waarde: unknown;
    try {
      waarde = JSON.parse(body as string);
    } catch {
      return klaar(new Probleem('ONGELDIG_VERZOEK', 'the body is not JSON'), undefined);
    }
    // strict: the schema's validator would coerce a number and drop other keys
    const goed = waarde !== null && typeof waarde === 'object' && !Array.isArray(waarde) && Object.keys(waarde).length === 1 && typeof (waarde as { bsn?: unknown }).bsn === 'string';
    if (!goed) return klaar(new Probleem('ONGELDIG_VERZOEK', 'the body must be {"bsn": "<9 digits>"}'), undefined);
    klaar(null, waarde);
  });
  app.post<{ Body: { bsn: string } }>(
    '/inzage',
    {
      config: { actie: 'inzage' },
      onRequest: vereis(o, 'inzage'),
      bodyLimit: 1024,
      schema: {
        summary: "Inzage for the citizen (AVG art. 15), for the gemeente's own portal (scope inzage): every record about the person, its versions, who received and read what, which notifications went where",
        security: BEVEILIGD,
        headers: KOPPEN,
        body: { type: 'object', additionalProperties: false, required: ['bsn'], properties: { bsn: { type: 'string', pattern: '^[0-9]{9}$' } } },
        response: {
          200: { description: 'what the bronregistratie holds about the person', content: { 'application/json': { schema: INZAGE_SCHEMA } } },
          400: probleem('the body is not {"bsn": "<9 digits>"}, or the BSN does not pass the 11-proef (never echoed)'),
          401: probleem('not identified'),
          403: probleem('the caller lacks the scope inzage'),
        },
      },
    },
    async (request, reply) => {
      if (!isBsn(request.body.bsn)) throw new Probleem('ONGELDIG_VERZOEK', BSN_ONGELDIG);
      const eigenaar = request.identiteit!.code;
      request.auditGrond = 'AVG art. 15: inzage door de betrokkene, via het portaal van de eigenaar';
      const sleutels = o.bronregistratie.sleutelsVanPersoon(request.body.bsn, eigenaar);
      reply.header('cache-control', 'no-store');
      return maakInzage(o.bronregistratie, sleutels, eigenaar);
    },
  );
}
