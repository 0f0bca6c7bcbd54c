import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const DERDE = '87654321';
const TRACE = '5ad2b1c3d4e5f60718293a4b5c6d7e8f';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, derde: Certificaat;
/** the gemeente's instance: owner of the records */
let eigenaar: Testserver;
/** the aanbieder's instance: receives keyed messages and resolves their Sleutels at the owner */
let ontvanger: Testserver;
let origineel: string;
let gesleuteld: string;

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  derde = pki.client('derde-87654321');
  eigenaar = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { logger: false });
  ontvanger = await startServer(
    pki,
    {
      tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: aanbieder.cert, clientSleutel: aanbieder.key },
      deelnemers: { [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] }, [DERDE]: { certificaten: [derde.vingerafdruk] } },
    },
    { config: { deelnemer: { code: AANBIEDER }, adresboek: { [GEMEENTE]: { basisUrl: eigenaar.url, ca: pki.ca } } } },
  );
  // after both einddatums only the Sleutels travel: the aanbieder cannot read a thing without the owner
  origineel = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-11-01', relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER });
  const r = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: origineel });
  expect(r.status).toBe(200);
  gesleuteld = r.tekst;
  const relaties = [...gesleuteld.matchAll(/<wmo301:Relatie>([\s\S]*?)<\/wmo301:Relatie>/g)].map((m) => m[1]!.replace(/\s+/g, ''));
  expect(relaties).toHaveLength(2);
  for (const rel of relaties) expect(rel).toMatch(/^<wmo301:Nummer>[^<]+<\/wmo301:Nummer><wmo301:Sleutel>[0-9a-f-]{36}<\/wmo301:Sleutel>$/);
});

afterAll(async () => {
  await ontvanger?.sluit();
  await eigenaar?.sluit();
});

describe('serve: POST /berichten/inkomend', () => {
  it('rehydrates a keyed message through the owner\'s API: the original message after canonicalisation', async () => {
    const r = await ontvanger.vraag('/berichten/inkomend', { als: aanbieder, body: gesleuteld, headers: { traceparent: `00-${TRACE}-00f067aa0ba902b7-01` } });
    expect(r.status, r.tekst).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(c14n(r.tekst)).toBe(c14n(origineel));
    // the owner logged the fetches, for the aanbieder's certificate, in the same trace
    const audit = new Auditlog(eigenaar.db);
    const bij = audit.alle().filter((a) => a.actie === 'bronregistratie:lezen');
    audit.sluit();
    expect(bij.length).toBeGreaterThanOrEqual(3);
    expect(bij.every((a) => a.deelnemer === AANBIEDER && a.uitkomst === 'verstrekt' && a.traceId === TRACE && a.doel === 'berichtverkeer')).toBe(true);
  });

  it('lets only the Ontvanger hand it in', async () => {
    expect((await ontvanger.vraag('/berichten/inkomend', { als: derde, body: gesleuteld })).status).toBe(403);
  });

  it('refuses a message whose Sleutel the owner does not know: 422 naming the Sleutel, kept in quarantine', async () => {
    const sleutel = /<wmo301:Sleutel>([^<]+)</.exec(gesleuteld)![1]!;
    const vreemd = gesleuteld.replace(sleutel, '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10');
    const r = await ontvanger.vraag('/berichten/inkomend', { als: aanbieder, body: vreemd });
    expect(r.status).toBe(422);
    const p = r.json();
    expect(p.fouten[0]).toMatchObject({ code: 'SLEUTEL_ONOPGELOST' });
    expect(readFileSync(join(ontvanger.map, 'quarantaine', 'inkomend', p.quarantaine), 'utf8')).toBe(vreemd);
  });

  it('answers 502 when the owner cannot be reached, and keeps nothing', async () => {
    const los = await startServer(
      pki,
      { tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: aanbieder.cert, clientSleutel: aanbieder.key }, deelnemers: { [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } },
      { config: { deelnemer: { code: AANBIEDER }, adresboek: { [GEMEENTE]: { basisUrl: 'https://127.0.0.1:1', ca: pki.ca } } } },
    );
    try {
      const r = await los.vraag('/berichten/inkomend', { als: aanbieder, body: gesleuteld });
      expect(r.status).toBe(502);
      expect(r.json().type).toBe('urn:netwerkbrug:probleem:eigenaar-onbereikbaar');
    } finally {
      await los.sluit();
    }
  });

  it('does not resolve a local record for a participant without grounds', async () => {
    // the owner's own instance holds the records; a caller without grounds there gets nothing through a message
    const melder = await startServer(pki, { deelnemers: { [DERDE]: { certificaten: [derde.vingerafdruk] } } }, { db: eigenaar.db });
    try {
      const aanDerde = gesleuteld.replace(`<wmo301:Ontvanger>${AANBIEDER}</wmo301:Ontvanger>`, `<wmo301:Ontvanger>${DERDE}</wmo301:Ontvanger>`);
      const r = await melder.vraag('/berichten/inkomend', { als: derde, body: aanDerde });
      expect(r.status).toBe(422);
      expect(r.json().fouten[0].code).toBe('SLEUTEL_ONOPGELOST');
      // the local read that was refused has an audit entry of its own, with its (missing) ground
      const audit = new Auditlog(eigenaar.db);
      const geweigerd = audit.alle().filter((a) => a.deelnemer === DERDE && a.actie === 'bronregistratie:lezen');
      audit.sluit();
      expect(geweigerd.length).toBeGreaterThanOrEqual(1);
      expect(geweigerd[0]).toMatchObject({ uitkomst: 'geweigerd', kanaal: 'http', grond: 'geen: niet verstrekt aan deze partij', doel: 'berichten:inkomend' });
    } finally {
      await melder.sluit();
    }
  });

  it('resolves a local record for its counterpart, the audit entry stating the verstrekking the read was decided by', async () => {
    const bij = await startServer(pki, { deelnemers: { [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { db: eigenaar.db });
    try {
      const r = await bij.vraag('/berichten/inkomend', { als: aanbieder, body: gesleuteld });
      expect(r.status, r.tekst).toBe(200);
      const audit = new Auditlog(eigenaar.db);
      const gelezen = audit.alle().filter((a) => a.deelnemer === AANBIEDER && a.actie === 'bronregistratie:lezen' && a.kanaal === 'http' && a.doel === 'berichten:inkomend');
      audit.sluit();
      expect(gelezen.length).toBeGreaterThanOrEqual(1);
      for (const a of gelezen) expect(a).toMatchObject({ uitkomst: 'verstrekt', grond: expect.stringMatching(/^verstrekking via 301 van \d{4}-\d{2}-\d{2}/) });
    } finally {
      await bij.sluit();
    }
  });

  it('in the naast phase counts each field where the message and the bronregistratie differ, without the value', async () => {
    const naast = genereerBericht('iwmo', '301', 12, { dagtekening: '2027-05-01', relaties: 1, clientSeed: 6, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: naast });
    expect(uit.status).toBe(200);
    const achternaam = /<wmo301:Relatie>[\s\S]*?<iwmo:Achternaam>([^<]*)</.exec(uit.tekst)![1]!;
    const anders = uit.tekst.replace(/(<wmo301:Relatie>[\s\S]*?<iwmo:Achternaam>)[^<]*</, '$1Anders<');
    const r = await ontvanger.vraag('/berichten/inkomend', { als: aanbieder, body: anders });
    expect(r.status, r.tekst).toBe(200);
    const metrics = (await ontvanger.vraag('/metrics', { als: aanbieder })).tekst;
    expect(metrics).toMatch(/netwerkbrug_verschillen_total\{object="relatie",veld="Naam.Geslachtsnaam.Achternaam",soort="gewijzigd"\} 1/);
    expect(metrics).not.toContain(achternaam);
  });
});
