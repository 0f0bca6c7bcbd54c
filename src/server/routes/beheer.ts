/**
 * Operations: liveness (never touches the database), readiness (database reachable and sound by the last
 * quick_check, schemas compiled), metrics (a participant's identity unless `server.metricsOpenbaar`) and the
 * API description; no identity needed for the others (mTLS still applies when required).
 */
import type { FastifyInstance } from 'fastify';
import type { Omgeving } from '../omgeving.js';
import { openapiDocument } from '../openapi.js';
import { Probleem } from '../probleem.js';
import { vereisIdentiteit } from '../toegang.js';

export async function beheerRoutes(app: FastifyInstance, o: Omgeving): Promise<void> {
  const document = JSON.stringify(openapiDocument());
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async () => {
    const database = o.audit.bereikbaar();
    const gaaf = o.integriteit.fout === undefined;
    // the message schemas of both standards (plain and keyed) are indexed
    const schemas = o.register.ingangen.some((i) => i.variant === 'sleutel') && o.register.ingangen.some((i) => i.variant !== 'sleutel');
    if (!database || !gaaf || !schemas) {
      const staat = !database ? 'unreachable' : gaaf ? 'reachable' : 'damaged (PRAGMA quick_check failed)';
      throw new Probleem('NIET_GEREED', `not ready: database ${staat}, schemas ${schemas ? 'loaded' : 'not loaded'}`);
    }
    return { status: 'ok', database: 'reachable', schemas: 'loaded' };
  });
  app.get('/metrics', o.config.server?.metricsOpenbaar ? {} : { onRequest: vereisIdentiteit(o) }, async (_request, reply) => {
    reply.type(o.metingen.alle.contentType);
    return o.metingen.alle.metrics();
  });
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
}
