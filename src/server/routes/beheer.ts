/** Operations: liveness, readiness, metrics and the API description; no identity needed (mTLS still applies when required). */
import type { FastifyInstance } from 'fastify';
import type { Omgeving } from '../omgeving.js';
import { openapiDocument } from '../openapi.js';
import { Probleem } from '../probleem.js';

export async function beheerRoutes(app: FastifyInstance, o: Omgeving & { schemasGeladen: () => boolean }): Promise<void> {
  const document = JSON.stringify(openapiDocument());
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => {
    const database = o.audit.bereikbaar();
    const schemas = o.schemasGeladen();
    if (!database || !schemas) throw new Probleem(503, 'niet-gereed', `not ready: database ${database ? 'reachable' : 'unreachable'}, schemas ${schemas ? 'loaded' : 'not loaded'}`);
    return { status: 'ok', database: 'reachable', schemas: 'loaded' };
  });
  app.get('/metrics', async (_request, reply) => {
    reply.type(o.metingen.register.contentType);
    return o.metingen.register.metrics();
  });
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
}
