/**
 * A small HTTPS stand-in for the sending sidecar (mutual TLS, the test CA): `GET /berichten/{uuid}` answers the
 * key-only message put there (404 otherwise), and every `/bronregistraties/...` request is passed on to the real
 * owner sidecar as the caller's certificate would ask it (the caller is always the receiving sidecar here).
 * `berichtStatus` and `bronStatus` make it answer otherwise for the next requests, counted in `vragen`.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import type { Certificaat, Pki } from './pki.js';

export interface Zender {
  url: string;
  berichten: Map<string, string>;
  /** every path asked, in order, and the trace id it came with */
  vragen: string[];
  traces: (string | undefined)[];
  /** answers for the next requests of each kind (shifted one per request), then the real answer */
  berichtStatus: number[];
  bronStatus: number[];
  sluit(): Promise<void>;
}

export async function startZender(pki: Pki, eigenaarUrl: string, als: Certificaat): Promise<Zender> {
  const agent = new Agent({ connect: { ca: pki.caPem, cert: als.certPem, key: als.keyPem } });
  const z: Omit<Zender, 'url' | 'sluit'> = { berichten: new Map(), vragen: [], traces: [], berichtStatus: [], bronStatus: [] };
  const server: Server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const pad = req.url ?? '';
    z.vragen.push(pad);
    z.traces.push(typeof req.headers.traceparent === 'string' ? req.headers.traceparent.split('-')[1] : undefined);
    const bericht = /^\/berichten\/([0-9a-f-]{36})$/.exec(pad);
    if (bericht) {
      const status = z.berichtStatus.shift();
      const tekst = z.berichten.get(bericht[1]!);
      if (status !== undefined || tekst === undefined) {
        res.writeHead(status ?? 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end(tekst);
      return;
    }
    if (pad.startsWith('/bronregistraties/')) {
      const status = z.bronStatus.shift();
      if (status !== undefined) {
        res.writeHead(status).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const k of ['accept', 'x-doel', 'traceparent']) if (typeof req.headers[k] === 'string') headers[k] = req.headers[k];
      request(eigenaarUrl + pad, { dispatcher: agent, headers }).then(
        async (r) => {
          const body = Buffer.from(await r.body.arrayBuffer());
          res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'application/json') }).end(body);
        },
        () => res.writeHead(502).end(),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    ...z,
    url: `https://127.0.0.1:${port}`,
    sluit: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await agent.close();
    },
  };
}
