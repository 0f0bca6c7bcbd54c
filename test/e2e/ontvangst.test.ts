/**
 * The receiving sidecar as a real `netwerkbrug serve` process (issue 14, item 5), prepared for the two-sidecar
 * end-to-end test: the gemeente's sidecar in process owns the records, an HTTPS stand-in serves its key-only 301
 * at `GET /berichten/{uuid}` (until the sending side has that route). A notification accepted (202) and then the
 * process killed outright (SIGKILL) while the message cannot be fetched yet: after a restart exactly one full 301
 * is in the folder, C14N-equal to the original.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { geldig3_2 } from '../conformance/orakels.js';
import { startServe, vrijePoort, type Instantie } from '../helpers/e2e.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';
import { startServer, type Testserver } from '../helpers/server.js';
import { startZender, type Zender } from '../helpers/zender.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat;
let eigenaar: Testserver;
let zender: Zender;
let ontvanger: Instantie | undefined;
const agents: Agent[] = [];

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  eigenaar = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { logger: false });
  zender = await startZender(pki, eigenaar.url, aanbieder);
}, 60_000);

afterAll(async () => {
  ontvanger?.proces.kill('SIGTERM');
  await Promise.all(agents.map((a) => a.close()));
  await zender?.sluit();
  await eigenaar?.sluit();
});

async function notificeer(url: string, id: string): Promise<number> {
  const agent = new Agent({ connect: { ca: pki.caPem, cert: gemeente.certPem, key: gemeente.keyPem } });
  agents.push(agent);
  const body = {
    specversion: '1.0',
    id,
    source: `urn:nld:gemeente:${GEMEENTE}:netwerkbrug`,
    type: 'nl.netwerkbrug.bericht.wmo301',
    subject: `Bericht/${id}`,
    time: '2027-11-01T10:00:00Z',
    dataref: `${zender.url}/berichten/${id}`,
    wet: 'wmo',
    datacontenttype: 'application/json',
    data: { berichttype: 'WMO301', sleutels: [] },
  };
  const r = await request(`${url}/notificaties`, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/cloudevents+json', 'idempotency-key': id }, body: JSON.stringify(body) });
  await r.body.dump();
  return r.statusCode;
}

it('a notification accepted and then the receiver killed: after its restart exactly one full 301 in the folder', async () => {
  const origineel = genereerBericht('iwmo', '301', 21, { dagtekening: '2027-11-01', relaties: 2, afzender: GEMEENTE, ontvanger: AANBIEDER });
  const uit = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: origineel });
  expect(uit.status).toBe(200);
  const id = randomUUID();
  zender.berichten.set(id, uit.tekst);
  // not fetchable while the first process runs
  zender.berichtStatus.push(...Array(1000).fill(503));

  const map = mkdtempSync(join(tmpdir(), 'nb-e2e-ontvangst-'));
  mkdirSync(join(map, 'binnen'));
  const poort = await vrijePoort();
  const config = {
    deelnemer: { code: AANBIEDER },
    informatieobjecten: { relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' }, contactgegevens: { sleutelVanaf: '2027-04-01', einddatum: '2027-10-01' } },
    bronregistratie: { database: './bron.db' },
    adresboek: { [GEMEENTE]: { basisUrl: zender.url, ca: pki.ca } },
    server: {
      poort,
      tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: aanbieder.cert, clientSleutel: aanbieder.key },
      deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] } },
    },
    ontvangst: { aflevering: { map: './binnen' }, backoff: { factorSeconden: 0.1, basis: 1, jitter: 0, herhalingen: 100 }, intervalSeconden: 0.1 },
  };
  ontvanger = await startServe(config, map);
  expect(await notificeer(ontvanger.url, id)).toBe(202);
  const t0 = Date.now();
  while (zender.vragen.filter((p) => p === `/berichten/${id}`).length < 2 && Date.now() - t0 < 20_000) await new Promise((ok) => setTimeout(ok, 50));
  ontvanger.proces.kill('SIGKILL');
  await new Promise((ok) => ontvanger!.proces.once('exit', ok));
  expect(readdirSync(join(map, 'binnen'))).toEqual([]);

  // up again, and the sender's message can be fetched now
  zender.berichtStatus.length = 0;
  ontvanger = await startServe(config, map);
  const binnen = join(map, 'binnen');
  const t1 = Date.now();
  while (readdirSync(binnen).length === 0 && Date.now() - t1 < 30_000) await new Promise((ok) => setTimeout(ok, 50));
  // a moment more: nothing is handed over twice
  await new Promise((ok) => setTimeout(ok, 500));
  expect(readdirSync(binnen), ontvanger.log()).toEqual([`WMO301-${GEMEENTE}-${id}.xml`]);
  const tekst = readFileSync(join(binnen, `WMO301-${GEMEENTE}-${id}.xml`), 'utf8');
  expect(c14n(tekst)).toBe(c14n(origineel));
  expect(geldig3_2('iwmo', 'WMO301', tekst)).toBe(true);
  // the log names ids and reasons, never the message's personal data
  expect(ontvanger.log()).toContain(id);
  expect(ontvanger.log()).not.toContain(/<\w+:Bsn>(\d+)</.exec(origineel)![1]!);
  ontvanger.proces.kill('SIGTERM');
  expect(await new Promise((ok) => ontvanger!.proces.once('exit', ok))).toBe(0);
  ontvanger = undefined;
}, 120_000);
