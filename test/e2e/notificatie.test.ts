/**
 * End to end, a key-only 301 that travels as a notification only (issue 14, items 4 and 5): two real
 * `netwerkbrug serve --notificaties` processes on loopback, mutual TLS both ways. The gemeente's adresboek entry
 * for the aanbieder says `alleenNotificatie: true`, the aanbieder's sidecar hands full messages to a folder
 * (`ontvangst.aflevering.map`).
 * - The aanbieder's sidecar is down when the gemeente hands in the 301: the gemeente answers that there is
 *   nothing to send, keeps the message, and retries its notification.
 * - Once the aanbieder's sidecar is up, the notification arrives; the sidecar fetches the message and every
 *   record at the gemeente under its grounds and writes exactly one full 301 to the folder: C14N-equal to the
 *   original and valid against the published XSD.
 * - The same 301 handed in again changes nothing: the same message, no second file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { geldig3_2 } from '../conformance/orakels.js';
import { startServe, vrager, vrijePoort, type Instantie } from '../helpers/e2e.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';

const PLAN = {
  informatieobjecten: Object.fromEntries(['relatie', 'contactgegevens', 'client', 'toewijzing', 'levering'].map((o) => [o, { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' }])),
};
/** retries every few tenths of a second, so the test need not wait a day */
const SNEL = { herhalingen: 60, factorSeconden: 0.3, basis: 1.2, maxSeconden: 1, jitter: 0 };

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat;
let bijGemeente: Instantie | undefined, bijAanbieder: Instantie | undefined;
let vraag: ReturnType<typeof vrager>['vraag'];
let sluitVragen: () => Promise<unknown>;
let start: () => Promise<Instantie>;
let folder: string;

beforeAll(async () => {
  pki = maakPki();
  ({ vraag, sluit: sluitVragen } = vrager(pki));
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  const [poortG, poortA] = [await vrijePoort(), await vrijePoort()];
  const deelnemers = { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } };
  const server = (poort: number, eigen: Certificaat) => ({
    poort,
    tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: eigen.cert, clientSleutel: eigen.key },
    deelnemers,
  });
  bijGemeente = await startServe(
    {
      ...PLAN,
      deelnemer: { code: GEMEENTE },
      bronregistratie: { database: './bron.db', basisUrl: `https://127.0.0.1:${poortG}` },
      adresboek: { [AANBIEDER]: { basisUrl: `https://127.0.0.1:${poortA}`, ca: pki.ca, alleenNotificatie: true } },
      // the aanbieder's sidecar is on loopback: an internal address, allowed as a sink only when listed
      notificaties: { backoff: SNEL, intervalSeconden: 0.2, interneSinks: ['127.0.0.0/8'] },
      server: server(poortG, gemeente),
    },
    undefined,
    ['--notificaties'],
  );
  const mapA = mkdtempSync(join(tmpdir(), 'nb-e2e-'));
  folder = join(mapA, 'legacy-in');
  mkdirSync(folder);
  start = () =>
    startServe(
      {
        ...PLAN,
        deelnemer: { code: AANBIEDER },
        bronregistratie: { database: './bron.db', basisUrl: `https://127.0.0.1:${poortA}` },
        adresboek: { [GEMEENTE]: { basisUrl: `https://127.0.0.1:${poortG}`, ca: pki.ca } },
        ontvangst: { aflevering: { map: folder }, backoff: SNEL, intervalSeconden: 0.2 },
        server: server(poortA, aanbieder),
      },
      mapA,
    );
}, 150_000);

afterAll(async () => {
  for (const p of [bijGemeente?.proces, bijAanbieder?.proces]) p?.kill('SIGTERM');
  await sluitVragen?.();
});

const wacht = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function wachtOpBestanden(n: number, tot = 60_000): Promise<string[]> {
  const t0 = Date.now();
  for (;;) {
    const namen = readdirSync(folder).filter((f) => f.endsWith('.xml'));
    if (namen.length >= n || Date.now() - t0 > tot) return namen;
    await wacht(200);
  }
}

describe('a key-only 301 as a notification only', () => {
  it('reaches the legacy folder of an aanbieder whose sidecar was down when it was sent, once, whole', async () => {
    const origineel = genereerBericht('iwmo', '301', 31, { dagtekening: '2027-11-01', relaties: 2, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await vraag(`${bijGemeente!.url}/berichten/uitgaand`, { als: gemeente, body: origineel });
    expect(uit.status, uit.tekst).toBe(202);
    const antwoord = JSON.parse(uit.tekst) as { verzonden: boolean; reden: string; bericht: string; notificatie: string };
    expect(antwoord.verzonden).toBe(false);
    expect(antwoord.reden).toContain('alleenNotificatie');
    // the gemeente tries and fails while the aanbieder's sidecar is down
    await wacht(2_000);
    expect(readdirSync(folder)).toEqual([]);

    bijAanbieder = await start();
    const namen = await wachtOpBestanden(1, 15_000);
    expect(namen, `${bijGemeente!.log().slice(-3000)}\n---\n${bijAanbieder.log()}`).toHaveLength(1);
    const terug = readFileSync(join(folder, namen[0]!), 'utf8');
    expect(c14n(terug)).toBe(c14n(origineel));
    expect(geldig3_2('iwmo', 'WMO301', terug)).toBe(true);

    // handed in again: the same message, the same notification; nothing new reaches the folder
    const nogEens = await vraag(`${bijGemeente!.url}/berichten/uitgaand`, { als: gemeente, body: origineel });
    expect(nogEens.status, nogEens.tekst).toBe(202);
    expect((JSON.parse(nogEens.tekst) as { bericht: string }).bericht).toBe(antwoord.bericht);
    await wacht(3_000);
    expect(readdirSync(folder).filter((f) => f.endsWith('.xml'))).toEqual(namen);
  }, 120_000);
});
