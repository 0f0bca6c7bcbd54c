/**
 * Operations: liveness (never touches the database), readiness (database reachable and sound by the last
 * quick_check, schemas compiled), metrics (a participant's identity unless `server.metricsOpenbaar`) and the
 * API description; no identity needed for the others (mTLS still applies when required).
 */
import type { FastifyInstance } from 'fastify';
import type { Omgeving } from '../omgeving.js';
import { openapiDocument } from '../openapi.js';
import { Probleem } from '../probleem.js';
import { BEVEILIGD, probleem, TRACEKOP, voegGedeeldeSchemasToe } from '../schemas.js';
import { vereisIdentiteit } from '../toegang.js';

const status = { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } as const;

export async function beheerRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  voegGedeeldeSchemasToe(app);
  let document: string | undefined;
  app.get('/health', { schema: { summary: 'liveness', headers: TRACEKOP, response: { 200: { description: 'the process runs', ...status } } } }, async () => ({ status: 'ok' }));
  app.get(
    '/ready',
    {
      schema: {
        summary: 'readiness: database reachable, schemas compiled',
        headers: TRACEKOP,
        response: {
          200: {
            description: 'ready',
            type: 'object',
            required: ['status', 'database', 'schemas'],
            properties: { status: { const: 'ok' }, database: { const: 'reachable' }, schemas: { const: 'loaded' } },
          },
          503: probleem('not ready'),
        },
      },
    },
    async () => {
      const database = o.audit.bereikbaar();
      const gaaf = o.integriteit.fout === undefined;
      // the message schemas of both standards (plain and keyed) are indexed
      const schemas = o.register.ingangen.some((i) => i.variant === 'sleutel') && o.register.ingangen.some((i) => i.variant !== 'sleutel');
      if (!database || !gaaf || !schemas) {
        const staat = !database ? 'unreachable' : gaaf ? 'reachable' : 'damaged (PRAGMA quick_check failed)';
        throw new Probleem('NIET_GEREED', `not ready: database ${staat}, schemas ${schemas ? 'loaded' : 'not loaded'}`);
      }
      return { status: 'ok', database: 'reachable', schemas: 'loaded' };
    },
  );
  const openbaar = o.config.server?.metricsOpenbaar === true;
  app.get(
    '/metrics',
    {
      ...(openbaar ? {} : { onRequest: vereisIdentiteit(o) }),
      schema: {
        summary: 'Prometheus metrics',
        headers: TRACEKOP,
        ...(openbaar ? {} : { security: BEVEILIGD }),
        response: {
          200: { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...(openbaar ? {} : { 401: probleem('not identified: no accepted client certificate or bearer token') }),
        },
      },
    },
    async (_request, reply) => {
      reply.type(o.metingen.alle.contentType);
      return o.metingen.alle.metrics();
    },
  );
  app.get(
    '/openapi.json',
    { schema: { summary: 'this document', headers: TRACEKOP, response: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    // generated once, on the first request (every route is registered by then)
    async (_request, reply) => reply.type('application/json').send((document ??= JSON.stringify(openapiDocument(app)))),
  );
}
