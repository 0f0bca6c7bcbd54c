/** A real `serve` instance on 127.0.0.1 (port 0, TLS with the test PKI) and a client that speaks to it as a participant. */
import type { FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent, request } from 'undici';
import type { SchemaRegister } from '../../src/bericht/schemas.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig, losServerPadenOp } from '../../src/config/laden.js';
import type { Config } from '../../src/config/typen.js';
import { bouwServer } from '../../src/server/app.js';
import type { Certificaat, Pki } from './pki.js';
import { PLAN, register } from './omzetten.js';

export interface Antwoord {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  tekst: string;
  bytes: Buffer;
  json(): any;
}

export interface Testserver {
  app: FastifyInstance;
  url: string;
  map: string;
  db: string;
  config: Config;
  /**
   * A read of `/bronregistraties/` names the purpose `berichtverkeer` (`X-Doel`) unless `doel` names another or
   * is `null` (no header), or `headers` gives one.
   */
  vraag(pad: string, opties?: { als?: Certificaat; token?: string; methode?: string; body?: string | Buffer; headers?: Record<string, string>; doel?: string | null }): Promise<Antwoord>;
  sluit(): Promise<void>;
}


/** A log stream for `startServer`'s `logger: { level, stream }` that keeps each line the server logs in `regels`. */
export function logStroom(regels: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, klaar) {
      regels.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      klaar();
    },
  });
}

export async function startServer(pki: Pki, server: Record<string, unknown>, extra: { vandaag?: string; config?: Record<string, unknown>; logger?: unknown; db?: string; register?: SchemaRegister } = {}): Promise<Testserver> {
  const map = mkdtempSync(join(tmpdir(), 'nb-serve-'));
  const db = extra.db ?? join(map, 'bron.db');
  const config = leesConfig({
    ...PLAN,
    deelnemer: { code: '0344' },
    bronregistratie: { database: db },
    server: { poort: 0, tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca }, ...server },
    ...extra.config,
  });
  losServerPadenOp(config.server!, map);
  const bronregistratie = new Bronregistratie(db);
  const app = await bouwServer({ config, register: extra.register ?? register, bronregistratie, logger: (extra.logger ?? false) as never, vandaag: () => extra.vandaag ?? '2027-02-01' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const adres = app.server.address();
  const url = `https://127.0.0.1:${typeof adres === 'object' && adres ? adres.port : 0}`;
  const eigen: Agent[] = [];
  return {
    app,
    url,
    map,
    db,
    config,
    async vraag(pad, o = {}) {
      // a fresh agent per certificate, so a TLS session is never shared between identities
      const agent = new Agent({ connect: { ca: pki.caPem, ...(o.als ? { cert: o.als.certPem, key: o.als.keyPem } : {}) } });
      eigen.push(agent);
      const doel = o.doel === undefined ? (pad.startsWith('/bronregistraties/') ? 'berichtverkeer' : undefined) : o.doel;
      const r = await request(url + pad, {
        dispatcher: agent,
        method: (o.methode ?? (o.body !== undefined ? 'POST' : 'GET')) as 'GET',
        headers: { ...(doel ? { 'x-doel': doel } : {}), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/xml' } : {}), ...o.headers },
        ...(o.body !== undefined ? { body: o.body } : {}),
      });
      const bytes = Buffer.from(await r.body.arrayBuffer());
      const tekst = bytes.toString('utf8');
      return { status: r.statusCode, headers: r.headers, tekst, bytes, json: () => JSON.parse(tekst) };
    },
    async sluit() {
      await app.close();
      await Promise.all(eigen.map((a) => a.close()));
      bronregistratie.sluit();
    },
  };
}
