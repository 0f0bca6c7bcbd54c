/**
 * `GET /audit`: the owner's auditors read the audit log, paged, under their own scope `audit:lezen` (given
 * only explicitly: config `server.deelnemers.<code>.scopes`, or a token's scope). An auditor sees what
 * concerns its own participant code: every read of the records it owns, and what its own participant did.
 * Filters as `netwerkbrug audit zoek`: Sleutel, party, period (`van`, `tot`: date or UTC time, inclusive),
 * verdict. Paged by sequence number: `na` is the `volgende` of the page before. The read is itself audited.
 */
import type { FastifyInstance } from 'fastify';
import { isTijdgrens } from '../../bronregistratie/auditvraag.js';
import { DEELNEMERCODE } from '../../config/schema.js';
import type { Omgeving } from '../omgeving.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereis } from '../toegang.js';

const TIJDGRENS = '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?Z)?$';

export const AUDIT_QUERYSTRING = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sleutel: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$', description: 'entries about this Sleutel' },
    deelnemer: { type: 'string', pattern: DEELNEMERCODE, description: 'entries of this party (participant code)' },
    van: { type: 'string', pattern: TIJDGRENS, description: 'from (inclusive): YYYY-MM-DD or an ISO 8601 UTC time' },
    tot: { type: 'string', pattern: TIJDGRENS, description: 'until (inclusive): YYYY-MM-DD (the whole day) or an ISO 8601 UTC time' },
    uitkomst: { type: 'string', pattern: '^[a-z-]{1,40}$', description: 'the verdict: verstrekt, geweigerd, niet-gevonden, …' },
    na: { type: 'integer', minimum: 0, description: 'entries after this sequence number: the volgende of the previous page' },
    limiet: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'entries per page' },
  },
} as const;

const nullable = (type: string) => ({ type: [type, 'null'] });

export const AUDITPOST_SCHEMA = {
  type: 'object',
  required: ['volgnummer', 'tijd', 'traceId', 'actie', 'uitkomst', 'status'],
  properties: {
    volgnummer: { type: 'integer' },
    tijd: { type: 'string', format: 'date-time' },
    traceId: { type: 'string', description: 'W3C trace id (Logboek Dataverwerkingen trace_id)' },
    deelnemer: nullable('string'),
    actie: { type: 'string', description: 'what was done (LDV name)' },
    object: nullable('string'),
    sleutel: nullable('string'),
    versie: nullable('integer'),
    doel: { ...nullable('string'), description: 'the purpose: the processing activity (LDV dpl.core.processing_activity_id)' },
    wet: { ...nullable('string'), description: 'wmo or jeugdwet; null while the record does not carry its law' },
    grond: { ...nullable('string'), description: 'the legal ground of the verdict in words' },
    uitkomst: { type: 'string', description: 'the verdict (LDV status_code)' },
    status: { type: 'integer' },
    kanaal: { ...nullable('string'), description: 'http or cli' },
  },
} as const;

interface Vraag {
  sleutel?: string;
  deelnemer?: string;
  van?: string;
  tot?: string;
  uitkomst?: string;
  na?: number;
  limiet: number;
}

export async function auditRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  app.get<{ Querystring: Vraag }>(
    '/audit',
    {
      config: { actie: 'audit:lezen' },
      onRequest: vereis(o, 'audit:lezen'),
      schema: {
        summary: "The audit log for the owner's auditors (scope audit:lezen): the reads of its records and its own reads, filtered and paged",
        security: BEVEILIGD,
        querystring: AUDIT_QUERYSTRING,
        headers: KOPPEN,
        response: {
          200: {
            description: 'a page of audit entries',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['posten', 'volgende'],
                  properties: {
                    posten: { type: 'array', items: AUDITPOST_SCHEMA },
                    volgende: { ...nullable('integer'), description: 'na for the next page; null: this was the last' },
                  },
                },
              },
            },
          },
          400: probleem('a filter is malformed'),
          401: probleem('not identified'),
          403: probleem('the caller lacks the scope audit:lezen'),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if ((q.van !== undefined && !isTijdgrens(q.van)) || (q.tot !== undefined && !isTijdgrens(q.tot))) throw new Probleem('ONGELDIG_VERZOEK', 'van and tot must be YYYY-MM-DD or an ISO 8601 UTC time');
      if (q.van !== undefined && q.tot !== undefined && q.van.slice(0, 10) > q.tot.slice(0, 10)) throw new Probleem('ONGELDIG_VERZOEK', 'van comes after tot');
      const eigenaar = request.identiteit!.code;
      request.auditGrond = `toezicht door de eigenaar ${eigenaar} (audit:lezen)`;
      const posten = o.audit.zoek({ sleutel: q.sleutel, deelnemer: q.deelnemer, van: q.van, tot: q.tot, uitkomst: q.uitkomst, na: q.na, limiet: q.limiet + 1, eigenaar });
      const meer = posten.length > q.limiet;
      const pagina = meer ? posten.slice(0, q.limiet) : posten;
      reply.header('cache-control', 'no-store');
      return { posten: pagina, volgende: meer ? pagina[pagina.length - 1]!.volgnummer : null };
    },
  );
}
