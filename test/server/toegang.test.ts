import { generateKeyPair, SignJWT } from 'jose';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { bouwBoom } from '../../src/bericht/boom.js';
import { leesKop } from '../../src/bericht/kop.js';
import { grondEinde } from '../../src/informatieobject/grondeinde.js';
import { relatie } from '../../src/informatieobject/relatie.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { maakPki, type Certificaat, type Pki, tokenUitgever } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const DERDE = '87654321';
const ONBEKEND = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, derde: Certificaat, zonderCode: Certificaat, elders: Certificaat;
let s: Testserver;
let sleutels: string[];
let tokenSleutel: CryptoKey;

/** A 301 whose every ToegewezenProduct ends on 2027-06-30, so the counterpart's grounds end 24 months later. */
const toewijzing = () =>
  genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER })
    .replace(/<wmo301:Einddatum>[^<]*<\/wmo301:Einddatum>\r?\n\s*/g, '')
    .replace(/(\r?\n\s*)(<wmo301:Ingangsdatum>[^<]*<\/wmo301:Ingangsdatum>)/g, '$1$2$1<wmo301:Einddatum>2027-06-30</wmo301:Einddatum>');

async function token(claims: Record<string, unknown>, o: { aud?: string; iss?: string; exp?: number | string; iat?: number } = {}) {
  const jwt = new SignJWT({ deelnemer: AANBIEDER, scope: 'bronregistratie:lezen', ...claims })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(o.iss ?? 'https://auth.test')
    .setAudience(o.aud ?? 'https://bron.test')
    .setIssuedAt(o.iat)
    .setExpirationTime(o.exp ?? '5m');
  return jwt.sign(tokenSleutel);
}

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  derde = pki.client('derde-87654321');
  zonderCode = pki.client('niemand');
  elders = pki.elders('aanbieder-12345678');
  const uitgever = await tokenUitgever(pki);
  tokenSleutel = uitgever.sleutel;
  const pub = uitgever.pub;
  s = await startServer(pki, {
    deelnemers: {
      [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] },
      [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk.replace(/:/g, '').toLowerCase()] },
      [DERDE]: { onderwerpen: ['derde-87654321'] },
    },
    tokens: { uitgever: 'https://auth.test', publiek: 'https://bron.test', publiekeSleutel: pub },
  });
  const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: toewijzing() });
  expect(r.status).toBe(200);
  sleutels = [...r.tekst.matchAll(/<wmo301:Sleutel>([^<]+)</g)].map((m) => m[1]!);
  expect(sleutels.length).toBeGreaterThanOrEqual(2);
});

afterAll(async () => {
  await s?.sluit();
});

describe('serve: who may read a record (mTLS and tokens)', () => {
  it('gives the record to the counterpart it was sent to, identified by its certificate', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: aanbieder });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ sleutel: sleutels[0], object: 'relatie', eigenaar: GEMEENTE, versie: 1, dagtekening: '2027-01-01', versies: [1] });
    expect(Object.keys(body.inhoud)).toContain('Naam');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('gives a version on request; a version that does not exist is 404 for the owner and the 403 of no grounds for a counterpart', async () => {
    expect((await s.vraag(`/bronregistraties/relatie/${sleutels[0]}?versie=1`, { als: aanbieder })).json().versie).toBe(1);
    expect((await s.vraag(`/bronregistraties/relatie/${sleutels[0]}?versie=7`, { als: gemeente })).status).toBe(404);
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}?versie=7`, { als: aanbieder });
    const geenGrond = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: derde });
    expect(r.status).toBe(403);
    expect(r.bytes.equals(geenGrond.bytes)).toBe(true);
  });

  it('lets the owner read its own record', async () => {
    expect((await s.vraag(`/bronregistraties/relatie/${sleutels[1]}`, { als: gemeente })).status).toBe(200);
  });

  it('refuses a third party with a valid certificate: 403, problem+json', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: derde });
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ status: 403, type: 'urn:netwerkbrug:probleem:geen-toegang' });
  });

  it('answers an unknown Sleutel with the same bytes as a known one it may not read', async () => {
    const bekend = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: derde });
    const onbekend = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: derde });
    const onbekendVoorAanbieder = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: aanbieder });
    // a Sleutel of another object is refused the same way
    const anderObject = await s.vraag(`/bronregistraties/contactgegevens/${sleutels[0]}`, { als: aanbieder });
    for (const r of [onbekend, onbekendVoorAanbieder, anderObject]) {
      expect(r.status).toBe(403);
      expect(r.bytes.equals(bekend.bytes)).toBe(true);
      expect(r.headers['content-length']).toBe(bekend.headers['content-length']);
      expect(r.headers['content-type']).toBe(bekend.headers['content-type']);
    }
  });

  it('ends the grounds at the toewijzing einddatum plus the tail (24 months)', async () => {
    const xml = toewijzing();
    const einde = grondEinde(relatie, { tekst: xml, root: bouwBoom(xml), kop: leesKop(xml)!, knoop: bouwBoom(xml) });
    expect(einde).toBe('2027-06-30');
    const leesOp = async (vandaag: string) => {
      const later = await startServer(pki, { deelnemers: { [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { vandaag, db: s.db });
      try {
        return (await later.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: aanbieder })).status;
      } finally {
        await later.sluit();
      }
    };
    expect(await leesOp('2029-06-30')).toBe(200);
    expect(await leesOp('2029-07-01')).toBe(403);
  });

  it('refuses a certificate that maps to no participant (403) and one of another CA (401)', async () => {
    expect((await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: zonderCode })).status).toBe(403);
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: elders });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps the participant on a resumed TLS session (new connection, no new handshake)', async () => {
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10, ca: pki.caPem, cert: derde.certPem, key: derde.keyPem });
    const vraag = () =>
      new Promise<{ status: number; hervat: boolean }>((ok, nok) => {
        const req = https.get(`${s.url}/bronregistraties/relatie/${sleutels[0]}`, { agent, headers: { 'x-doel': 'berichtverkeer' } }, (res) => {
          res.resume();
          res.on('end', () => ok({ status: res.statusCode ?? 0, hervat: (res.socket as import('node:tls').TLSSocket).isSessionReused() }));
        });
        req.on('error', nok);
      });
    const eerste = await vraag();
    const tweede = await vraag();
    agent.destroy();
    expect(eerste).toEqual({ status: 403, hervat: false });
    // still the third party (403, not 401 for a missing certificate)
    expect(tweede.status).toBe(403);
    expect(tweede.hervat).toBe(true);
  });

  it('refuses a request without certificate or token: 401', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  it('accepts a valid bearer token of the counterpart', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { token: await token({}) });
    expect(r.status).toBe(200);
    expect(r.json().sleutel).toBe(sleutels[0]);
  });

  it('refuses an expired token, a wrong audience, a wrong issuer, a missing scope and a foreign signature', async () => {
    const nu = Math.floor(Date.now() / 1000);
    const anderPaar = await generateKeyPair('ES256');
    const vreemd = await new SignJWT({ deelnemer: AANBIEDER, scope: 'bronregistratie:lezen' }).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://auth.test').setAudience('https://bron.test').setIssuedAt().setExpirationTime('5m').sign(anderPaar.privateKey);
    const gevallen: Array<[string, string, number]> = [
      ['expired', await token({}, { iat: nu - 600, exp: nu - 60 }), 401],
      ['wrong audience', await token({}, { aud: 'https://elders.test' }), 401],
      ['wrong issuer', await token({}, { iss: 'https://nep.test' }), 401],
      ['too long lived', await token({}, { exp: '2h' }), 401],
      ['foreign signature', vreemd, 401],
      ['no participant', await token({ deelnemer: 'x' }), 401],
      ['missing scope', await token({ scope: 'berichten:uitgaand' }), 403],
    ];
    for (const [naam, t, status] of gevallen) {
      const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { token: t });
      expect(r.status, naam).toBe(status);
      expect(r.headers['content-type'], naam).toMatch(/^application\/problem\+json/);
    }
  });

  it('refuses a token whose participant differs from the certificate', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: derde, token: await token({}) });
    expect(r.status).toBe(403);
  });

  it('writes an audit row for every attempt, allowed or not, without personal data', async () => {
    const audit = new Auditlog(s.db);
    const voor = audit.alle().length;
    await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: aanbieder, headers: { 'x-doel': 'zorglevering', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } });
    await s.vraag(`/bronregistraties/relatie/${ONBEKEND}`, { als: derde });
    await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`);
    await s.vraag('/bronregistraties/relatie/999999990', { als: aanbieder });
    const rijen = audit.alle().slice(voor);
    expect(rijen.map((r) => [r.deelnemer, r.object, r.sleutel, r.uitkomst, r.status])).toEqual([
      [AANBIEDER, 'relatie', sleutels[0], 'verstrekt', 200],
      [DERDE, 'relatie', ONBEKEND, 'geweigerd', 403],
      [null, 'relatie', sleutels[0], 'niet-geauthenticeerd', 401],
      // a malformed Sleutel (here shaped like a BSN) is never stored
      [AANBIEDER, 'relatie', null, 'ongeldig-verzoek', 400],
    ]);
    expect(rijen[0]).toMatchObject({ doel: 'zorglevering', traceId: '0af7651916cd43dd8448eb211c80319c', versie: 1, actie: 'bronregistratie:lezen' });
    expect(rijen[1]!.doel).toBe('berichtverkeer');
    expect(JSON.stringify(audit.alle())).not.toContain('999999990');
    expect(() => audit['db'].prepare("UPDATE audit SET uitkomst = 'verstrekt'").run()).toThrow(/append-only/);
    expect(() => audit['db'].prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    audit.sluit();
  });
});
