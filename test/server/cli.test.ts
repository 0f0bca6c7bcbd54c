import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CLI, netwerkbrug } from '../helpers/cli.js';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { startOntvanger } from '../helpers/ontvanger.js';
import { PLAN } from '../helpers/omzetten.js';
import { maakPki } from '../helpers/pki.js';

describe('netwerkbrug serve (the CLI)', () => {
  it('serves HTTPS from the configuration, accepts a token verified by a JWK set, and stops on SIGTERM', async () => {
    const pki = maakPki();
    const map = mkdtempSync(join(tmpdir(), 'nb-serve-cli-'));
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    writeFileSync(join(map, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }));
    writeFileSync(
      join(map, 'netwerkbrug.yaml'),
      JSON.stringify({
        bronregistratie: { database: './bron.db' },
        server: { poort: 0, tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca }, tokens: { uitgever: 'https://auth.test', publiek: 'https://bron.test', jwks: './jwks.json' } },
      }),
    );
    const p = spawn(process.execPath, [...CLI, 'serve', '--config', join(map, 'netwerkbrug.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d: Buffer) => (log += d.toString()));
    p.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const agent = new Agent({ connect: { ca: pki.caPem } });
    try {
      const t0 = Date.now();
      while (!/"adres":"https:/.test(log) && Date.now() - t0 < 20_000) await new Promise((ok) => setTimeout(ok, 50));
      const url = /"adres":"(https:[^"]+)"/.exec(log)![1]!;
      const token = await new SignJWT({ deelnemer: '12345678', scope: 'bronregistratie:lezen' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer('https://auth.test').setAudience('https://bron.test').setIssuedAt().setExpirationTime('2m').sign(privateKey);
      const r = await request(`${url}/bronregistraties/relatie/0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10`, { dispatcher: agent, headers: { authorization: `Bearer ${token}`, 'x-doel': 'berichtverkeer' } });
      expect(r.statusCode).toBe(403); // identified by the token; no grounds for an unknown Sleutel
      await r.body.dump();
      const zonder = await request(`${url}/health`, { dispatcher: agent });
      expect(zonder.statusCode).toBe(200); // with tokens configured, TLS admits clients without a certificate
      await zonder.body.dump();
    } finally {
      p.kill('SIGTERM');
      await agent.close();
    }
    expect(await new Promise((ok) => p.on('exit', ok)), log).toBe(0);
    // no bearer token ever reaches the log
    expect(log).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(readFileSync(join(map, 'bron.db')).length).toBeGreaterThan(0);
  });

  it('refuses to start with nothing to serve, or half of folder mode', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-serve-cli-'));
    writeFileSync(join(map, 'leeg.yaml'), '{}');
    const r = netwerkbrug(['serve', '--config', join(map, 'leeg.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nothing to serve/);
    expect(netwerkbrug(['serve', '--config', join(map, 'leeg.yaml'), '--in', map]).status).toBe(2);
  });

  it('with --notificaties delivers the notifications of a message handed in, and exposes the delivery metrics', async () => {
    const pki = maakPki();
    const gemeente = pki.client('gemeente-0344');
    const ontvanger = await startOntvanger();
    const map = mkdtempSync(join(tmpdir(), 'nb-serve-cli-'));
    writeFileSync(
      join(map, 'netwerkbrug.yaml'),
      JSON.stringify({
        ...PLAN,
        deelnemer: { code: '0344' },
        bronregistratie: { database: './bron.db', basisUrl: 'https://bron.gemeente.test' },
        server: { poort: 0, tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca }, deelnemers: { '0344': { certificaten: [gemeente.vingerafdruk] } } },
        notificaties: { ontwikkeling: true, intervalSeconden: 0.1, ontvangers: { '12345678': { url: `${ontvanger.url}/ce` } } },
      }),
    );
    const p = spawn(process.execPath, [...CLI, 'serve', '--notificaties', '--config', join(map, 'netwerkbrug.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d: Buffer) => (log += d.toString()));
    p.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const agent = new Agent({ connect: { ca: pki.caPem, cert: gemeente.certPem, key: gemeente.keyPem } });
    try {
      const t0 = Date.now();
      while (!/"adres":"https:/.test(log) && Date.now() - t0 < 20_000) await new Promise((ok) => setTimeout(ok, 50));
      const url = /"adres":"(https:[^"]+)"/.exec(log)![1]!;
      const xml = genereerBericht('iwmo', '301', 31, { dagtekening: '2027-02-01', relaties: 2, afzender: '0344', ontvanger: '12345678' });
      const r = await request(`${url}/berichten/uitgaand`, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
      // two Relaties and the Contactgegevens: three records created, three notifications to the counterpart
      while (ontvanger.op('/ce').length < 3 && Date.now() - t0 < 20_000) await new Promise((ok) => setTimeout(ok, 50));
      const events = ontvanger.op('/ce').map((o) => JSON.parse(o.body) as { type: string; subject: string });
      expect(events.map((e) => e.type).sort()).toEqual(['nl.netwerkbrug.contactgegevens.aangemaakt', 'nl.netwerkbrug.relatie.aangemaakt', 'nl.netwerkbrug.relatie.aangemaakt']);
      const m = await request(`${url}/metrics`, { dispatcher: agent });
      const metrics = await m.body.text();
      expect(metrics).toMatch(/netwerkbrug_notificaties_bezorgd_total\{vorm="cloudevents"\} 3/);
      expect(metrics).toMatch(/netwerkbrug_berichten_total\{richting="uitgaand",uitkomst="omgezet"\} 1/);
    } finally {
      p.kill('SIGTERM');
      await agent.close();
    }
    expect(await new Promise((ok) => p.on('exit', ok)), log).toBe(0);
    await ontvanger.sluit();
  });
});

describe('netwerkbrug serve: mistakes in the setup are one sentence and exit 2', () => {
  /** serve with a server section (`server` merged in), bounded in time should it start after all */
  const serveMet = (map: string, pki: ReturnType<typeof maakPki>, server: Record<string, unknown> = {}, db = './bron.db') => {
    writeFileSync(
      join(map, 'netwerkbrug.yaml'),
      JSON.stringify({ bronregistratie: { database: db }, server: { poort: 0, tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca }, ...server } }),
    );
    const r = spawnSync(process.execPath, [...CLI, 'serve', '--config', join(map, 'netwerkbrug.yaml')], { encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr, stdout: r.stdout };
  };
  const eenZin = (stderr: string) => {
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('a missing certificate file, a port in use', async () => {
    const pki = maakPki();
    const map = mkdtempSync(join(tmpdir(), 'nb-serve-cli-'));
    try {
      const weg = serveMet(map, pki, { tls: { certificaat: './bestaat-niet.pem', sleutel: pki.server.key, ca: pki.ca } });
      expect(weg.status).toBe(2);
      expect(weg.stderr).toMatch(/server\.tls\.certificaat: the file cannot be read \(ENOENT\)/);
      eenZin(weg.stderr);

      const bezet = createServer();
      await new Promise<void>((ok) => bezet.listen(0, '127.0.0.1', ok));
      const poort = (bezet.address() as AddressInfo).port;
      try {
        const r = serveMet(map, pki, { adres: '127.0.0.1', poort });
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`server\\.poort: port ${poort} on 127\\.0\\.0\\.1 is already in use`));
        eenZin(r.stderr);
      } finally {
        await new Promise((ok) => bezet.close(ok));
      }
    } finally {
      rmSync(map, { recursive: true, force: true });
      rmSync(pki.map, { recursive: true, force: true });
    }
  });

  it('a database file that is garbage or truncated', () => {
    const pki = maakPki();
    const map = mkdtempSync(join(tmpdir(), 'nb-serve-cli-'));
    try {
      writeFileSync(join(map, 'rommel.db'), Buffer.alloc(64 * 1024, 0x5a));
      const rommel = serveMet(map, pki, {}, './rommel.db');
      expect(rommel.status).toBe(2);
      expect(rommel.stderr).toMatch(/bronregistratie database/);
      eenZin(rommel.stderr);

      // a real database, cut in half
      const pad = join(map, 'afgekapt.db');
      const db = new Database(pad);
      db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)');
      const zet = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 3000; i++) zet.run(`regel ${i} ${'x'.repeat(200)}`);
      db.close();
      truncateSync(pad, Math.floor(statSync(pad).size / 2));
      const afgekapt = serveMet(map, pki, {}, './afgekapt.db');
      expect(afgekapt.status).toBe(2);
      expect(afgekapt.stderr).toMatch(/bronregistratie database/);
      eenZin(afgekapt.stderr);
    } finally {
      rmSync(map, { recursive: true, force: true });
      rmSync(pki.map, { recursive: true, force: true });
    }
  });
});
