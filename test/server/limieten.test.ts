/**
 * Clients without identity cannot starve the server: identity is checked before a body is read, slow clients
 * are cut off by the request and header timeouts, and unidentified connections are capped. Every loop here is
 * bounded in count and time, and talks to 127.0.0.1 only.
 */
import { rmSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maakPki, type Certificaat, type Pki, tokenUitgever } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

let pki: Pki;
let gemeente: Certificaat;
let pub: string;
const servers: Testserver[] = [];

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  ({ pub } = await tokenUitgever(pki));
});

afterAll(async () => {
  for (const s of servers) {
    await s.sluit();
    rmSync(s.map, { recursive: true, force: true });
  }
  rmSync(pki.map, { recursive: true, force: true });
});

/** a server with tokens on, so TLS admits clients without a certificate */
async function metTokens(limieten: Record<string, number>): Promise<Testserver> {
  const s = await startServer(pki, {
    deelnemers: { '0344': { certificaten: [gemeente.vingerafdruk] } },
    tokens: { uitgever: 'https://auth.test', publiek: 'https://bron.test', publiekeSleutel: pub },
    limieten,
  });
  servers.push(s);
  return s;
}

interface Verbinding {
  socket: TLSSocket;
  ontvangen: string;
  /** body bytes written when the answer began */
  verzondenBijAntwoord?: number;
  verzonden: number;
  dicht?: number;
  open: Promise<void>;
}

/** A TLS connection without a client certificate to the server at `url`. */
function verbind(url: string, als?: Certificaat): Verbinding {
  const { port } = new URL(url);
  const socket = connect({ host: '127.0.0.1', port: Number(port), ca: pki.caPem, servername: 'localhost', ...(als ? { cert: als.certPem, key: als.keyPem } : {}) });
  const v: Verbinding = { socket, ontvangen: '', verzonden: 0, open: new Promise((ok) => socket.once('secureConnect', () => ok())) };
  socket.on('data', (d: Buffer) => {
    if (!v.ontvangen) v.verzondenBijAntwoord = v.verzonden;
    v.ontvangen += d.toString('latin1');
  });
  socket.on('error', () => undefined);
  socket.on('close', () => (v.dicht ??= Date.now()));
  return v;
}

const wacht = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('serve: limits against clients without identity', () => {
  it('answers 401 before the body is read and closes the connection: 30 connections announcing 24 MB each', async () => {
    const s = await metTokens({ verzoekSeconden: 20, kopSeconden: 10, inactiefSeconden: 20 });
    const GROOT = 24 * 1024 * 1024;
    const t0 = Date.now();
    const vs = Array.from({ length: 30 }, () => verbind(s.url));
    await Promise.all(vs.map((v) => v.open));
    const blok = Buffer.alloc(64 * 1024, 0x3c);
    for (const v of vs) v.socket.write(`POST /berichten/uitgaand HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\nContent-Length: ${GROOT}\r\n\r\n`);
    // the body comes slowly: 64 KB per connection every 20 ms, for at most 5 s (far from the 24 MB announced)
    while (vs.some((v) => v.dicht === undefined) && Date.now() - t0 < 5000) {
      for (const v of vs) if (v.dicht === undefined && !v.socket.destroyed && v.verzonden < GROOT - blok.length) {
        v.socket.write(blok);
        v.verzonden += blok.length;
      }
      await wacht(20);
    }
    for (const v of vs) {
      expect(v.ontvangen).toMatch(/^HTTP\/1\.1 401 /);
      expect(v.ontvangen).toMatch(/content-type: application\/problem\+json/i);
      expect(v.ontvangen).toMatch(/connection: close/i);
      expect(v.verzondenBijAntwoord!).toBeLessThan(GROOT / 4);
      expect(v.dicht, 'closed by the server').toBeDefined();
    }
    expect(Math.max(...vs.map((v) => v.dicht!)) - t0).toBeLessThan(4000);
  });

  it('closes connections whose headers or whole request take too long (30 each, within the timeouts)', async () => {
    const s = await metTokens({ verzoekSeconden: 2, kopSeconden: 1, inactiefSeconden: 10 });
    const koppen = Array.from({ length: 30 }, () => verbind(s.url));
    // an identified client (certificate) sending its body slowly is cut off by the request timeout
    const lijven = Array.from({ length: 30 }, () => verbind(s.url, gemeente));
    await Promise.all([...koppen, ...lijven].map((v) => v.open));
    // timed from the last handshake: 60 TLS handshakes take long on a busy machine, the timeouts start after them
    const t0 = Date.now();
    for (const v of koppen) v.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
    for (const v of lijven) v.socket.write('POST /berichten/uitgaand HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\nContent-Length: 1000000\r\n\r\n<');
    let n = 0;
    while ([...koppen, ...lijven].some((v) => v.dicht === undefined) && Date.now() - t0 < 6000) {
      for (const v of koppen) if (!v.socket.destroyed) v.socket.write(`X-Langzaam-${n}: ja\r\n`);
      for (const v of lijven) if (!v.socket.destroyed) v.socket.write('a');
      n++;
      await wacht(200);
    }
    for (const v of [...koppen, ...lijven]) expect(v.dicht, 'closed by the server').toBeDefined();
    expect(Math.max(...koppen.map((v) => v.dicht!)) - t0).toBeLessThan(3000);
    expect(Math.max(...lijven.map((v) => v.dicht!)) - t0).toBeLessThan(4000);
  });

  it('caps the connections without an accepted identity; identified ones still get in', async () => {
    const s = await metTokens({ maxOngeauthenticeerd: 5, inactiefSeconden: 20, kopSeconden: 20, verzoekSeconden: 20 });
    const eerste = Array.from({ length: 8 }, () => verbind(s.url));
    await wacht(1000);
    expect(eerste.filter((v) => v.dicht !== undefined)).toHaveLength(3);
    // a participant with its certificate is not counted
    const r = await s.vraag('/health', { als: gemeente });
    expect(r.status).toBe(200);
    // closed ones make room again
    for (const v of eerste) v.socket.destroy();
    await wacht(300);
    const tweede = Array.from({ length: 5 }, () => verbind(s.url));
    await Promise.all(tweede.map((v) => v.open));
    await wacht(500);
    expect(tweede.filter((v) => v.dicht !== undefined)).toHaveLength(0);
    for (const v of tweede) v.socket.destroy();
    const metrics = await s.vraag('/metrics', { als: gemeente });
    expect(metrics.tekst).toMatch(/netwerkbrug_verbindingen_geweigerd_total 3/);
  });
});
