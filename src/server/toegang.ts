/**
 * The onRequest hook of every protected route: who is asking (certificate or token), with which scope and
 * purpose. It runs before the body is read, so a request without an accepted identity is answered 401 (and
 * its connection closed) before its body is taken in.
 */
import type { FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';
import type { Scope } from '../config/typen.js';
import type { Omgeving } from './omgeving.js';
import { Probleem } from './probleem.js';
import { DOEL } from './schemas.js';

async function herken(o: Omgeving, request: FastifyRequest): Promise<void> {
  const socket = request.raw.socket as TLSSocket;
  const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  request.identiteit = await o.herkenning.herken({
    authorization: request.headers.authorization,
    certificaat: cert && Object.keys(cert).length ? cert : undefined,
    geverifieerd: socket.authorized === true,
  });
  o.verbindingen.erkend(socket);
}

/** A participant's identity, any scope (`/metrics` unless `server.metricsOpenbaar`). */
export function vereisIdentiteit(o: Omgeving) {
  return (request: FastifyRequest): Promise<void> => herken(o, request);
}

export function vereis(o: Omgeving, scope: Scope) {
  return async (request: FastifyRequest): Promise<void> => {
    await herken(o, request);
    const doel = request.headers['x-doel'];
    if (doel !== undefined && (typeof doel !== 'string' || !DOEL.test(doel))) {
      throw new Probleem('ONGELDIG_VERZOEK', 'X-Doel must be the code or URI of a processing activity (letters, digits, . _ : / -; at most 200)');
    }
    request.doel = doel ?? scope;
    if (!request.identiteit!.scopes.has(scope)) throw new Probleem('GEEN_TOEGANG', `scope ${scope} is required`);
  };
}
