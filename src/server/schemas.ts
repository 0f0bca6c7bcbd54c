/**
 * What the route schemas share: the problem+json body (RFC 9457), the request headers of every protected route
 * (`traceparent`, `X-Doel`), the security requirement, and how fastify's validation errors become problem+json.
 * Every route declares its input (body, querystring, params, headers) and its answers in `schema`; fastify
 * validates the input and @fastify/swagger writes the OpenAPI document from the same objects (openapi.ts).
 */
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { Probleem } from './probleem.js';

/** `$ref` of a shared schema by its `$id` (fastify resolves it; the OpenAPI document names it in components.schemas) */
export const ref = (id: string) => ({ $ref: `${id}#` });

const PROBLEEM_SCHEMA = {
  $id: 'Probleem',
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    fouten: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' }, regel: { type: 'integer' }, kolom: { type: 'integer' }, pad: { type: 'string' }, omschrijving: { type: 'string' } } },
    },
    quarantaine: { type: 'string', description: 'the name under which the refused message was kept' },
  },
} as const;

/** Adds the shared schemas to `app` unless an enclosing context has them (a route plugin can be registered on its own, as in tests). */
export function voegGedeeldeSchemasToe(app: FastifyInstance): void {
  if (!app.getSchema('Probleem')) app.addSchema(PROBLEEM_SCHEMA);
}

/** An error answer: problem+json with the shared schema. */
export const probleem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Probleem') } } });

/** A purpose is a code or URI of a processing activity, never free text (it is logged). */
export const DOEL = /^[A-Za-z0-9._:/-]{1,200}$/;

/** The request headers every protected route reads (Authorization is the security scheme `bearer`). */
export const KOPPEN = {
  type: 'object',
  properties: {
    traceparent: { type: 'string', description: 'W3C trace context; B3 (b3, X-B3-TraceId) is accepted too; echoed in the response' },
    'X-Doel': { type: 'string', pattern: DOEL.source, description: 'the purpose (processing activity) of the request, for the audit log; default the scope' },
  },
} as const;

/** The request headers of a route that needs no identity: only the trace context. */
export const TRACEKOP = { type: 'object', properties: { traceparent: KOPPEN.properties.traceparent } } as const;

/** Participants identify with a client certificate or a signed bearer token (openapi.ts declares both schemes). */
export const BEVEILIGD: Array<Record<string, string[]>> = [{ mtls: [] }, { bearer: [] }];

const FORMAAT: Record<string, string> = { date: 'a calendar date YYYY-MM-DD', uuid: 'a UUID' };

interface Validatiemelding {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * fastify's `schemaErrorFormatter`: a validation error of the input becomes the 400 of the error vocabulary
 * (ONGELDIG_VERZOEK). It names the field and the rule, never the value the caller sent.
 */
export function validatiefout(fouten: readonly Validatiemelding[], deel: string): Error {
  const f = fouten[0];
  if (!f) return new Probleem('ONGELDIG_VERZOEK', `the ${deel} is not valid`);
  if (deel === 'headers' && f.keyword === 'required' && f.params.missingProperty === 'x-doel') {
    return new Probleem('ONGELDIG_VERZOEK', 'a read names its purpose: header X-Doel (a purpose the informatieobject declares, see docs/serve.md)');
  }
  const veld = f.instancePath.replace(/^\//, '');
  const plaats = deel === 'body' ? `body${f.instancePath}` : veld || deel;
  const regel = f.keyword === 'format' && typeof f.params.format === 'string' && FORMAAT[f.params.format] ? `must be ${FORMAAT[f.params.format]}` : (f.message ?? 'is not valid');
  return new Probleem('ONGELDIG_VERZOEK', `${plaats} ${regel}`);
}

/** Route parts that must be declared, so the OpenAPI document describes every route and fastify checks its input. */
export function ontbrekendSchema(route: Pick<RouteOptions, 'url' | 'method' | 'schema'>): string | undefined {
  const s = route.schema as (FastifySchema & { summary?: string }) | undefined;
  const wat = `${String(route.method)} ${route.url}`;
  if (!s) return `${wat} declares no schema`;
  if (!s.summary) return `${wat} declares no summary`;
  if (!s.response || Object.keys(s.response).length === 0) return `${wat} declares no response schema`;
  if (route.url.includes(':') && !s.params) return `${wat} declares no params schema`;
  if (!s.headers) return `${wat} declares no headers schema`;
  return undefined;
}
