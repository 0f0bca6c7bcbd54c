/**
 * Issue 12, the sidecar: a busy or damaged database, calendar dates, URLs that are too long or malformed,
 * security headers, TLS suites and renegotiation, /metrics behind identity, tokens with one audience only.
 */
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { maakPki, type Certificaat, type Pki, tokenUitgever } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const ONBEKEND = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';
let pki: Pki;
let gemeente: Certificaat;
let pub: string;
let tokenSleutel: CryptoKey;
let s: Testserver;
const servers: Testserver[] = [];

const token = (aud: string | string[]) =>
  new SignJWT({ deelnemer: '0344', scope: 'bronregistratie:lezen' }).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://auth.test').setAudience(aud).setIssuedAt().setExpirationTime('5m').sign(tokenSleutel);

async function start(extra: Record<string, unknown> = {}): Promise<Testserver> {
  const t = await startServer(pki, {
    deelnemers: { '0344': { certificaten: [gemeente.vingerafdruk] } },
    tokens: { uitgever: 'https://auth.test', publiek: 'https://bron.test', publiekeSleutel: pub },
    ...extra,
  });
  servers.push(t);
  return t;
}

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  ({ sleutel: tokenSleutel, pub } = await tokenUitgever(pki));
  s = await start();
});

afterAll(async () => {
  for (const t of servers) {
    await t.sluit();
    rmSync(t.map, { recursive: true, force: true });
  }
  rmSync(pki.map, { recursive: true, force: true });
});

describe('serve: a busy database', () => {
  it('answers 503 problem+json with Retry-After within a bounded time; /health does not wait', async () => {
    const blok = new Database(s.db);
    blok.exec('BEGIN IMMEDIATE'); // another process holding the write lock
    try {
      let t0 = Date.now();
      const r = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: gemeente });
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().type).toBe('urn:netwerkbrug:probleem:bezet');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // a burst right after: answered at once, not one busy wait each
      t0 = Date.now();
      const burst = await Promise.all(Array.from({ length: 10 }, () => s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: gemeente })));
      const gezondheid = await s.vraag('/health');
      expect(Date.now() - t0).toBeLessThan(3000); // ten busy waits one after another would take 5 s
      expect(burst.every((b) => b.status === 503)).toBe(true);
      expect(gezondheid.status).toBe(200);
    } finally {
      blok.exec('ROLLBACK');
      blok.close();
    }
    await new Promise((ok) => setTimeout(ok, 1100));
    expect((await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: gemeente })).status).toBe(403);
  });
});

describe('serve: a damaged database', () => {
  it('is not ready (503) once the periodic quick_check fails', async () => {
    const t = await start({ integriteitscontroleSeconden: 0.3 });
    const xml = genereerBericht('iwmo', '301', 41, { dagtekening: '2027-01-01', relaties: 20, afzender: '0344', ontvanger: '12345678' });
    expect((await t.vraag('/berichten/uitgaand', { als: gemeente, body: xml })).status).toBe(200);
    expect((await t.vraag('/ready')).status).toBe(200);
    await new Promise((ok) => setTimeout(ok, 1500)); // the checkpoint worker has copied the WAL into the file
    // overwrite every page but the first (the schema) with garbage
    const fd = openSync(t.db, 'r+');
    const grootte = statSync(t.db).size;
    writeSync(fd, Buffer.alloc(grootte - 4096, 0xa5), 0, grootte - 4096, 4096);
    closeSync(fd);
    const t0 = Date.now();
    let r = await t.vraag('/ready');
    while (r.status === 200 && Date.now() - t0 < 5000) {
      await new Promise((ok) => setTimeout(ok, 200));
      r = await t.vraag('/ready');
    }
    expect(r.status).toBe(503);
    expect(r.json().detail).toMatch(/quick_check/);
  });
});

describe('serve: requests that are not what they should be', () => {
  it('refuses a peildatum that is no calendar date (400)', async () => {
    for (const d of ['2027-13-45', '2027-02-30', '2027-00-10']) {
      const r = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}?peildatum=${d}`, { als: gemeente });
      expect(r.status, d).toBe(400);
      expect(r.json().detail).toMatch(/calendar date/);
    }
  });

  it('answers a too long or malformed URL with problem+json that does not echo it', async () => {
    const lang = '999999999'.repeat(30);
    const r = await s.vraag(`/bronregistraties/relatie/${lang}`, { als: gemeente });
    expect(r.status).toBe(414);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.tekst).not.toContain('999999999');
    const slecht = await s.vraag('/bronregistraties/relatie/%E0%A4%A999999999', { als: gemeente });
    expect(slecht.status).toBe(400);
    expect(slecht.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(slecht.tekst).not.toContain('999999999');
  });

  it('sends Strict-Transport-Security and X-Content-Type-Options on every answer', async () => {
    const antwoorden = [
      await s.vraag('/health'),
      await s.vraag('/bestaat-niet'),
      await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`),
      await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: gemeente }),
      await s.vraag(`/bronregistraties/relatie/${'9'.repeat(300)}`, { als: gemeente }),
    ];
    expect(antwoorden.map((a) => a.status)).toEqual([200, 404, 401, 403, 414]);
    for (const a of antwoorden) {
      expect(a.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(a.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('keeps /metrics behind identity unless server.metricsOpenbaar', async () => {
    expect((await s.vraag('/metrics')).status).toBe(401);
    expect((await s.vraag('/metrics', { als: gemeente })).status).toBe(200);
    const open = await start({ metricsOpenbaar: true });
    expect((await open.vraag('/metrics')).status).toBe(200);
  });

  it('accepts a token with exactly one audience, ours; not one with several', async () => {
    expect((await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { token: await token('https://bron.test') })).status).toBe(403);
    expect((await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { token: await token(['https://bron.test']) })).status).toBe(403);
    const twee = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { token: await token(['https://bron.test', 'https://ander.test']) });
    expect(twee.status).toBe(401);
    expect(twee.json().detail).toMatch(/aud/);
  });
});

describe('serve: TLS', () => {
  const poort = () => Number(new URL(s.url).port);
  const handdruk = (o: { ciphers?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' }) =>
    new Promise<{ ok: boolean; versie?: string | null; suite?: string }>((ok) => {
      const c = connect({ host: '127.0.0.1', port: poort(), ca: pki.caPem, servername: 'localhost', cert: gemeente.certPem, key: gemeente.keyPem, ...o });
      c.once('secureConnect', () => {
        ok({ ok: true, versie: c.getProtocol(), suite: c.getCipher().name });
        c.destroy();
      });
      c.once('error', () => ok({ ok: false }));
    });

  it('speaks TLS 1.3 by default; TLS 1.2 only with ECDHE and AES-GCM or ChaCha20-Poly1305', async () => {
    expect(await handdruk({})).toMatchObject({ ok: true, versie: 'TLSv1.3' });
    const goed = await handdruk({ maxVersion: 'TLSv1.2' });
    expect(goed.ok).toBe(true);
    expect(goed.suite).toMatch(/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    for (const zwak of ['ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384', 'AES128-GCM-SHA256:AES256-GCM-SHA384', 'DHE-RSA-AES128-GCM-SHA256']) {
      expect((await handdruk({ maxVersion: 'TLSv1.2', ciphers: zwak })).ok, zwak).toBe(false);
    }
  });

  it('refuses renegotiation asked for by the client', async () => {
    const c = connect({ host: '127.0.0.1', port: poort(), ca: pki.caPem, servername: 'localhost', cert: gemeente.certPem, key: gemeente.keyPem, maxVersion: 'TLSv1.2' });
    await new Promise((ok) => c.once('secureConnect', ok));
    c.on('error', () => undefined);
    const uitkomst = await new Promise<Error | null>((ok) => {
      // refused: an error, or no answer at all (OpenSSL answers with a no_renegotiation alert); never a success
      const klok = setTimeout(() => ok(new Error('no answer')), 1500);
      c.renegotiate({}, (fout) => {
        clearTimeout(klok);
        ok(fout);
      });
    });
    c.destroy();
    expect(uitkomst).toBeInstanceOf(Error);
  });
});

describe('serve: subscriptions', () => {
  it('refuses a sink on an internal address (link-local metadata, IPv4-mapped IPv6, loopback by name)', async () => {
    for (const sink of ['https://169.254.169.254/latest/meta-data', 'https://[::ffff:169.254.169.254]/x', 'https://localhost/x']) {
      const r = await s.vraag('/abonnementen', { als: gemeente, methode: 'POST', body: JSON.stringify({ sink }), headers: { 'content-type': 'application/json' } });
      expect(r.status, sink).toBe(422);
      expect(r.json().detail).toMatch(/internal address/);
    }
    const extern = await s.vraag('/abonnementen', { als: gemeente, methode: 'POST', body: JSON.stringify({ sink: 'https://93.184.216.34/hook' }), headers: { 'content-type': 'application/json' } });
    expect(extern.status).toBe(201);
  });
});
