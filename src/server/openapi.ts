/** The OpenAPI 3.1 description of `serve`, written by hand beside the routes it describes. */
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { PAKKET_VERSIE } from '../pakket.js';
import { SCOPES } from '../config/typen.js';

const probleem = (omschrijving: string) => ({ description: omschrijving, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Probleem' } } } });
const trace = { $ref: '#/components/parameters/traceparent' };
const doel = { $ref: '#/components/parameters/doel' };
const beveiligd = [{ mtls: [] }, { bearer: [] }];

export function openapiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'netwerkbrug',
      version: PAKKET_VERSIE,
      description:
        'Sidecar of the netwerkbrug migration adapter: the bronregistratie API of this owner (doelbinding enforced), and the conversion of outgoing iWmo/iJw 3.2 messages to keyed messages. Participants identify with a client certificate (mTLS) or a signed bearer token.',
    },
    paths: {
      '/bronregistraties/{object}/{sleutel}': {
        get: {
          summary: 'A record of the bronregistratie (current version: that of the latest message; ?versie=N, or ?peildatum=D), for a participant with grounds',
          security: beveiligd,
          parameters: [
            { name: 'object', in: 'path', required: true, schema: { enum: INFORMATIEOBJECTEN.map((i) => i.naam) } },
            { name: 'sleutel', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            { name: 'versie', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
            { name: 'peildatum', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'the version a message of this Dagtekening carried (registered on or before it)' },
            { name: 'wet', in: 'query', required: false, schema: { enum: ['wmo', 'jeugdwet'] }, description: 'only a record of this law answers (a Sleutel never resolves across laws)' },
            { name: 'berichtIdentificatie', in: 'query', required: false, schema: { type: 'string', maxLength: 100 }, description: 'with peildatum: prefer the version this message registered' },
            trace,
            doel,
          ],
          responses: {
            200: { description: 'the record', content: { 'application/json': { schema: { $ref: '#/components/schemas/Record' } } } },
            400: probleem('the Sleutel or versie is malformed'),
            401: probleem('not identified: no accepted client certificate or bearer token'),
            403: probleem('no grounds for this record, or no such record (the same answer, byte for byte)'),
            404: probleem('no such informatieobject, or no such version of a record the caller may read'),
          },
        },
      },
      '/berichten/uitgaand': {
        post: {
          summary: 'Convert an outgoing estafette message: register its informatieobjecten, answer the keyed message',
          security: beveiligd,
          parameters: [trace, doel],
          requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } },
          responses: {
            200: { description: 'the keyed message (or the message unchanged when the plan keeps it so)', content: { 'application/xml': { schema: { type: 'string' } } } },
            401: probleem('not identified'),
            403: probleem('the caller lacks the scope, or is not the Afzender of the message'),
            413: probleem('larger than 25 MB (OP179)'),
            415: probleem('not application/xml'),
            422: probleem('the message (or its conversion) is not valid: every place (line, column, element path) and rule; kept in quarantine'),
          },
        },
      },
      '/berichten/inkomend': {
        post: {
          summary: 'Rehydrate an incoming keyed message: every Sleutel resolved at its owner, the full 3.2 message answered',
          security: beveiligd,
          parameters: [trace, doel],
          requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } },
          responses: {
            200: { description: 'the full 3.2 message', content: { 'application/xml': { schema: { type: 'string' } } } },
            401: probleem('not identified'),
            403: probleem('the caller lacks the scope, or is not the Ontvanger of the message'),
            422: probleem('the message is not valid, a Sleutel cannot be resolved (unknown or refused), or the result is not valid; kept in quarantine'),
            502: probleem("the owner's bronregistratie cannot be reached; nothing kept, send again later"),
          },
        },
      },
      '/abonnementen': {
        post: { summary: 'Subscribe to notifications (CloudEvents Subscriptions shape; see src/server/routes/abonnementen.ts)', security: beveiligd, responses: { 201: { description: 'the subscription' }, 422: probleem('sink not allowed') } },
        get: { summary: "The caller's subscriptions", security: beveiligd, responses: { 200: { description: 'its subscriptions (never a credential)' } } },
      },
      '/abonnementen/{id}': {
        get: { summary: 'One of the caller\'s subscriptions', security: beveiligd, responses: { 200: { description: 'the subscription' }, 404: probleem('not the caller\'s, or none') } },
        delete: { summary: 'End a subscription', security: beveiligd, responses: { 204: { description: 'ended' }, 404: probleem('not the caller\'s, or none') } },
      },
      '/abonnementen/{id}/credential': { put: { summary: 'Rotate the sink credential', security: beveiligd, responses: { 204: { description: 'rotated' } } } },
      '/health': { get: { summary: 'liveness', responses: { 200: { description: 'the process runs' } } } },
      '/ready': { get: { summary: 'readiness: database reachable, schemas compiled', responses: { 200: { description: 'ready' }, 503: probleem('not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } } },
      '/openapi.json': { get: { summary: 'this document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      securitySchemes: {
        mtls: { type: 'mutualTLS', description: 'a client certificate of the configured CA, mapped to a participant code' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: `iss and aud bound, at most 1 hour; scopes: ${SCOPES.join(', ')}` },
      },
      parameters: {
        traceparent: { name: 'traceparent', in: 'header', required: false, schema: { type: 'string' }, description: 'W3C trace context; B3 (b3, X-B3-TraceId) is accepted too; echoed in the response' },
        doel: { name: 'X-Doel', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:/-]{1,200}$' }, description: 'the purpose (processing activity) of the request, for the audit log; default the scope' },
      },
      schemas: {
        Record: {
          type: 'object',
          required: ['sleutel', 'object', 'eigenaar', 'versie', 'inhoud', 'geregistreerd', 'dagtekening', 'versies'],
          properties: {
            sleutel: { type: 'string', format: 'uuid' },
            object: { type: 'string' },
            eigenaar: { type: 'string', description: 'gemeentecode or AGB code of the owner' },
            wet: { enum: ['wmo', 'jeugdwet', null], description: 'the law the record belongs to (iWmo: wmo, iJw: jeugdwet); null: a record of before the law separation whose law is not known (owner only)' },
            versie: { type: 'integer' },
            inhoud: { type: 'object', description: 'the fields the bronregistratie keeps, as in the message' },
            geregistreerd: { type: 'string', format: 'date-time' },
            dagtekening: { type: 'string', format: 'date' },
            versies: { type: 'array', items: { type: 'integer' }, description: 'version numbers (registration order) listed in message order: Dagtekening, then BerichtIdentificatie' },
          },
        },
        Probleem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            fouten: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, regel: { type: 'integer' }, kolom: { type: 'integer' }, pad: { type: 'string' }, omschrijving: { type: 'string' } } } },
            quarantaine: { type: 'string', description: 'the name under which the refused message was kept' },
          },
        },
      },
    },
  };
}
