/** Operations: liveness, readiness, metrics and the API description; no identity needed (mTLS still applies when required). */
import type { FastifyInstance } from 'fastify';
import type { Omgeving } from '../omgeving.js';
import { openapiDocument } from '../openapi.js';
import { Probleem } from '../probleem.js';

export async function beheerRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  const document = JSON.stringify(openapiDocument());
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => {
    const database = o.audit.bereikbaar();
    // the message schemas of both standards (plain and keyed) are indexed
    const schemas = o.register.ingangen.some((i) => i.variant === 'sleutel') && o.register.ingangen.some((i) => i.variant !== 'sleutel');
    if (!database || !schemas) throw new Probleem(503, 'niet-gereed', `not ready: database ${database ? 'reachable' : 'unreachable'}, schemas ${schemas ? 'loaded' : 'not loaded'}`);
    return { status: 'ok', database: 'reachable', schemas: 'loaded' };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(o.metingen.alle.contentType);
    return o.metingen.alle.metrics();
  });
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
}
