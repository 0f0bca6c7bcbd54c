/** The OpenAPI 3.1 description of `serve`, written by hand beside the routes it describes. */
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { PAKKET_VERSIE } from '../pakket.js';
import { SCOPES } from '../config/typen.js';
import { AUDIT_QUERYSTRING, AUDITPOST_SCHEMA } from './routes/audit.js';
import { INZAGE_SCHEMA } from './routes/inzage.js';

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
      '/audit': {
        get: {
          summary: "The owner's audit log, for its auditors (scope audit:lezen, given only explicitly): the entries about its records and of its own reads, paged",
          security: beveiligd,
          parameters: [trace, doel, ...Object.entries(AUDIT_QUERYSTRING.properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema, description: schema.description }))],
          responses: {
            200: { description: 'one page; volgende is na for the next', content: { 'application/json': { schema: { type: 'object', properties: { posten: { type: 'array', items: AUDITPOST_SCHEMA }, volgende: { type: ['integer', 'null'] } } } } } },
            400: probleem('a bad filter'),
            401: probleem('not identified'),
            403: probleem('the caller lacks the scope audit:lezen'),
          },
        },
      },
      '/inzage': {
        post: {
          summary: "Inzage (AVG art. 15) for one person in the caller's records, for the owner's own portal (scope inzage, given only explicitly); the BSN in the body, never in the URL",
          security: beveiligd,
          parameters: [trace, doel],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required: ['bsn'], properties: { bsn: { type: 'string', pattern: '^[0-9]{9}$' } } } } } },
          responses: {
            200: { description: 'records, versions, verstrekkingen, reads (audit) and notifications of that person', content: { 'application/json': { schema: INZAGE_SCHEMA } } },
            400: probleem('the body is not {"bsn": "<9 digits>"}, or the BSN fails the 11-proef (never echoed)'),
            401: probleem('not identified'),
            403: probleem('the caller lacks the scope inzage'),
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
