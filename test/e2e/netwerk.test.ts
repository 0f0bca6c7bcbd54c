/**
 * End to end, as the issue describes it: two real `netwerkbrug serve` processes on loopback with real TLS. The
 * gemeente's instance owns the bronregistratie; the aanbieder's instance receives keyed messages and resolves
 * their Sleutels at the gemeente over mutual TLS. A WMO301 and a JW301 past their einddatum go out keyed, come
 * in, and are rehydrated to the original message, valid against the published XSD.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { geldig3_2 } from '../conformance/orakels.js';
import { PLAN } from '../helpers/omzetten.js';
import { netwerkbrug } from '../helpers/cli.js';
import { startServe, vrager, type Instantie } from '../helpers/e2e.js';
import { maakPki, type Certificaat, type Pki, tokenUitgever } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const DERDE = '87654321';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, derde: Certificaat;
let bij: Instantie, bijAanbieder: Instantie;
let tokenSleutel: CryptoKey;
let vraag: ReturnType<typeof vrager>['vraag'];
let sluitVragen: () => Promise<unknown>;

beforeAll(async () => {
  pki = maakPki();
  ({ vraag, sluit: sluitVragen } = vrager(pki));
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  derde = pki.client('derde-87654321');
  const uitgever = await tokenUitgever(pki, 'uitgever.pub.pem');
  tokenSleutel = uitgever.sleutel;
  const pub = uitgever.pub;
  bij = await startServe({
    ...PLAN,
    deelnemer: { code: GEMEENTE },
    bronregistratie: { database: './bron.db', basisUrl: 'https://bron.gemeente.test' },
    server: {
      poort: 0,
      tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca },
      deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] }, [DERDE]: { certificaten: [derde.vingerafdruk] } },
      tokens: { uitgever: 'https://nid.test', publiek: 'https://bron.gemeente.test', publiekeSleutel: pub },
    },
  });
  bijAanbieder = await startServe({
    ...PLAN,
    deelnemer: { code: AANBIEDER },
    bronregistratie: { database: './eigen.db' },
    adresboek: { [GEMEENTE]: { basisUrl: bij.url, ca: pki.ca } },
    server: {
      poort: 0,
      tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: aanbieder.cert, clientSleutel: aanbieder.key },
      deelnemers: { [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } },
    },
  });
}, 60_000);

afterAll(async () => {
  for (const p of [bij?.proces, bijAanbieder?.proces]) p?.kill('SIGTERM');
  await sluitVragen?.();
});

const sleutelsIn = (xml: string) => [...xml.matchAll(/<\w+:Sleutel>([^<]+)</g)].map((m) => m[1]!);

describe('two serve processes over mutual TLS', () => {
  const berichten = [
    ['iwmo', 'WMO301', 'wmo301'],
    ['ijw', 'JW301', 'jw301'],
  ] as const;

  it.each(berichten)('a %s 301 past its einddatum goes out keyed, comes in, and is the original again', async (standaard, naam, prefix) => {
    const origineel = genereerBericht(standaard, '301', 21, { dagtekening: '2027-11-01', relaties: 3, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await vraag(`${bij.url}/berichten/uitgaand`, { als: gemeente, body: origineel });
    expect(uit.status, uit.tekst).toBe(200);
    // only the Sleutels travel: no Relatie or Contactgegevens data in the keyed message
    expect(uit.tekst).not.toMatch(new RegExp(`<${prefix}:Relatie>[\\s\\S]*?<${prefix}:Naam>`));
    expect(sleutelsIn(uit.tekst)).toHaveLength(4);
    const in_ = await vraag(`${bijAanbieder.url}/berichten/inkomend`, { als: aanbieder, body: uit.tekst });
    expect(in_.status, in_.tekst).toBe(200);
    expect(c14n(in_.tekst)).toBe(c14n(origineel));
    expect(geldig3_2(standaard, naam, in_.tekst)).toBe(true);
  });

  it('a third party gets 403 for a real Sleutel, and the same 403 for an unknown one', async () => {
    const origineel = genereerBericht('iwmo', '301', 22, { dagtekening: '2027-11-01', relaties: 1, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await vraag(`${bij.url}/berichten/uitgaand`, { als: gemeente, body: origineel });
    const [sleutel] = sleutelsIn(uit.tekst);
    const bekend = await vraag(`${bij.url}/bronregistraties/relatie/${sleutel}`, { als: derde });
    const onbekend = await vraag(`${bij.url}/bronregistraties/relatie/${randomUUID()}`, { als: derde });
    expect(bekend.status).toBe(403);
    expect(onbekend.status).toBe(403);
    expect(onbekend.tekst).toBe(bekend.tekst);
    // the counterpart it was sent to has grounds
    const toegestaan = await vraag(`${bij.url}/bronregistraties/relatie/${sleutel}`, { als: aanbieder });
    expect(toegestaan.status).toBe(200);
  });

  it('an expired or wrong-audience token gets 401', async () => {
    const nu = Math.floor(Date.now() / 1000);
    const token = (aud: string, iat: number, exp: number) =>
      new SignJWT({ deelnemer: AANBIEDER, scope: 'bronregistratie:lezen' }).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://nid.test').setAudience(aud).setIssuedAt(iat).setExpirationTime(exp).sign(tokenSleutel);
    const pad = `${bij.url}/bronregistraties/relatie/${randomUUID()}`;
    expect((await vraag(pad, { token: await token('https://bron.gemeente.test', nu - 600, nu - 60) })).status).toBe(401);
    expect((await vraag(pad, { token: await token('https://elders.test', nu, nu + 120) })).status).toBe(401);
    // a valid token is identified (and then refused for lack of grounds): the 401s were about the tokens
    expect((await vraag(pad, { token: await token('https://bron.gemeente.test', nu, nu + 120) })).status).toBe(403);
  });

  it('netwerkbrug rehydrate resolves at the owner\'s API too; an owner that cannot be reached quarantines, naming it', async () => {
    const origineel = genereerBericht('ijw', '301', 23, { dagtekening: '2027-11-01', relaties: 2, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await vraag(`${bij.url}/berichten/uitgaand`, { als: gemeente, body: origineel });
    expect(uit.status).toBe(200);
    const map = mkdtempSync(join(tmpdir(), 'nb-e2e-cli-'));
    mkdirSync(join(map, 'in'));
    writeFileSync(join(map, 'in', 'a.xml'), uit.tekst);
    const config = (basisUrl: string) =>
      JSON.stringify({
        ...PLAN,
        deelnemer: { code: AANBIEDER },
        bronregistratie: { database: './eigen.db' },
        adresboek: { [GEMEENTE]: { basisUrl, ca: pki.ca } },
        server: { tls: { certificaat: aanbieder.cert, sleutel: aanbieder.key, ca: pki.ca } },
      });
    writeFileSync(join(map, 'netwerkbrug.yaml'), config(bij.url));
    const r = netwerkbrug(['rehydrate', 'in', '--out', 'terug'], map);
    expect(r.status, r.stderr).toBe(0);
    expect(c14n(readFileSync(join(map, 'terug', 'a.xml'), 'utf8'))).toBe(c14n(origineel));
    writeFileSync(join(map, 'netwerkbrug.yaml'), config('https://127.0.0.1:9'));
    const weg = netwerkbrug(['rehydrate', 'in', '--out', 'weg'], map);
    expect(weg.status).toBe(1);
    expect(readFileSync(join(map, 'weg', 'quarantaine', 'a.xml.reden.txt'), 'utf8')).toMatch(/EIGENAAR_ONBEREIKBAAR.*0344/);
  });
});
