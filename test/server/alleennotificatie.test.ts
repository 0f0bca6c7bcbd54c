/**
 * Issue 14, item 4 (sending side): a key-only 301 handed to `POST /berichten/uitgaand` is kept (once: a re-send
 * finds the same id and writes no second outbox entry) and announced by one message-level CloudEvent to its
 * Ontvanger, delivered over mutual TLS with this sidecar's client certificate; `GET /berichten/{id}` gives the
 * kept bytes to that Ontvanger only; `adresboek.<code>.alleenNotificatie` turns the answer into 202 JSON. A
 * message that is not key-only is answered as before and kept nowhere.
 */
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { INFORMATIEOBJECTEN } from '../../src/informatieobject/catalogus.js';
import { Bezorger } from '../../src/notificaties/bezorging.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { persoonsgegevens } from '../helpers/ontvanger.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const STIL = '12345678'; // takes key-only messages as notification alone
const GEWOON = '87654321'; // takes them as messages too
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BASIS = 'https://bron.gemeente.example';

let pki: Pki;
let gemeente: Certificaat, stil: Certificaat, gewoon: Certificaat;
let s: Testserver;
/** a counterpart's notification endpoint: mutual TLS, it notes the client certificate of every request */
let ontvanger: Server;
const ontvangen: Array<{ pad: string; body: string; client: string | undefined; geautoriseerd: boolean }> = [];

// every object keyed from 2027-01-01, its data gone from 2027-07-01: a 301 of 2027-08-01 is key-only
const informatieobjecten = Object.fromEntries(INFORMATIEOBJECTEN.map((o) => [o.naam, { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01' }]));
const toewijzing = (dagtekening: string, aan: string, seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening, relaties: 2, clientSeed: seed, afzender: GEMEENTE, ontvanger: aan });

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  stil = pki.client('aanbieder-12345678');
  gewoon = pki.client('aanbieder-87654321');
  ontvanger = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const delen: Buffer[] = [];
    req.on('data', (d: Buffer) => delen.push(d));
    req.on('end', () => {
      const socket = req.socket as TLSSocket;
      const cert = socket.getPeerCertificate();
      ontvangen.push({ pad: req.url ?? '', body: Buffer.concat(delen).toString('utf8'), client: cert && 'fingerprint256' in cert ? cert.fingerprint256 : undefined, geautoriseerd: socket.authorized });
      res.writeHead(socket.authorized ? 204 : 401).end();
    });
  });
  await new Promise<void>((ok) => ontvanger.listen(0, '127.0.0.1', ok));
  const poort = (ontvanger.address() as AddressInfo).port;
  s = await startServer(
    pki,
    { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [STIL]: { certificaten: [stil.vingerafdruk] }, [GEWOON]: { certificaten: [gewoon.vingerafdruk] } } },
    {
      vandaag: '2027-08-02',
      config: {
        informatieobjecten,
        bronregistratie: { basisUrl: BASIS },
        notificaties: { ontwikkeling: true },
        adresboek: {
          [STIL]: { basisUrl: `https://127.0.0.1:${poort}`, ca: pki.ca, alleenNotificatie: true },
          [GEWOON]: { basisUrl: `https://127.0.0.1:${poort}/gewoon`, ca: pki.ca },
        },
      },
    },
  );
});

afterAll(async () => {
  await s?.sluit();
  ontvanger?.closeAllConnections();
  await new Promise<void>((ok) => (ontvanger ? ontvanger.close(() => ok()) : ok()));
});

const rijen = (sql: string) => {
  const d = new Database(s.db, { readonly: true });
  try {
    return d.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    d.close();
  }
};

describe('a key-only 301 as a message-level notification', () => {
  let bericht: string, notificatie: string;
  const xml = toewijzing('2027-08-01', STIL, 21);

  it('alleenNotificatie: 202 JSON with the reason, the message kept once; a re-send gives the same id and no second outbox entry', async () => {
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(r.status, r.tekst).toBe(202);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const j = r.json();
    expect(Object.keys(j).sort()).toEqual(['bericht', 'notificatie', 'reden', 'verzonden']);
    expect(j.verzonden).toBe(false);
    expect(j.bericht).toMatch(UUID4);
    expect(j.notificatie).toMatch(UUID7);
    expect(j.reden).toBe(`the message is key-only and travels as notification Bericht/${j.bericht} because adresboek.${STIL}.alleenNotificatie is set`);
    ({ bericht, notificatie } = j);
    const berichtEntries = () => rijen("SELECT id, bericht FROM outbox WHERE soort = 'bericht'");
    expect(berichtEntries()).toEqual([{ id: notificatie, bericht }]);
    const weer = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(weer.status).toBe(202);
    expect(weer.json()).toEqual(j);
    expect(berichtEntries()).toHaveLength(1);
    expect(rijen('SELECT id, ontvanger, eigenaar, berichttype, wet FROM bericht')).toEqual([{ id: bericht, ontvanger: STIL, eigenaar: GEMEENTE, berichttype: 'WMO301', wet: 'wmo' }]);
  });

  it('GET /berichten/{id}: the kept bytes to its Ontvanger; 404 for another participant, the Afzender and an unknown id; the read audited', async () => {
    const r = await s.vraag(`/berichten/${bericht}`, { als: stil });
    expect(r.status, r.tekst).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-netwerkbrug-bericht']).toBe('WMO301');
    expect(r.bytes.equals(rijen(`SELECT inhoud FROM bericht WHERE id = '${bericht}'`)[0]!.inhoud as Buffer)).toBe(true);
    expect(r.tekst).toContain('<wmo301:Sleutel>');
    const anders = await s.vraag(`/berichten/${bericht}`, { als: gewoon });
    const onbekend = await s.vraag('/berichten/00000000-0000-4000-8000-000000000000', { als: stil });
    const afzender = await s.vraag(`/berichten/${bericht}`, { als: gemeente });
    for (const x of [anders, onbekend, afzender]) expect(x.status).toBe(404);
    expect(anders.json().detail).toBe(onbekend.json().detail);
    const audit = new Auditlog(s.db);
    try {
      const regels = audit.alle().filter((a) => a.object === 'bericht' && a.sleutel === bericht);
      expect(regels.map((a) => [a.deelnemer, a.uitkomst, a.status])).toEqual([
        [STIL, 'verstrekt', 200],
        [GEWOON, 'niet-gevonden', 404],
        [GEMEENTE, 'niet-gevonden', 404],
      ]);
    } finally {
      audit.sluit();
    }
  });

  it('inzage (AVG art. 15) shows the person the kept message, which of their records it names, and who fetched it', async () => {
    const portaal = pki.client('portaal-0344');
    const p = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [portaal.vingerafdruk], scopes: ['inzage'] } } }, { db: s.db, vandaag: '2027-08-02' });
    try {
      const bsn = /<wmo301:Bsn>([0-9]{9})</.exec(xml)![1]!;
      const r = await p.vraag('/inzage', { als: portaal, methode: 'POST', body: JSON.stringify({ bsn }), headers: { 'content-type': 'application/json' } });
      expect(r.status, r.tekst).toBe(200);
      const body = r.json();
      expect(body.berichten.map((b: { id: string }) => b.id)).toEqual([bericht]);
      const [b] = body.berichten;
      expect([b.berichttype, b.eigenaar, b.ontvanger, b.dagtekening]).toEqual(['WMO301', GEMEENTE, STIL, '2027-08-01']);
      const sleutels = body.records.map((x: { sleutel: string }) => x.sleutel);
      expect(b.sleutels.length).toBeGreaterThanOrEqual(4);
      for (const k of b.sleutels) expect(sleutels).toContain(k);
      expect(body.raadplegingen.some((a: { sleutel: string; deelnemer: string; uitkomst: string }) => a.sleutel === bericht && a.deelnemer === STIL && a.uitkomst === 'verstrekt')).toBe(true);
      // another person's inzage does not show it
      const ander = /<wmo301:Bsn>([0-9]{9})</.exec(toewijzing('2027-08-01', GEWOON, 22))![1]!;
      expect(ander).not.toBe(bsn);
      expect((await p.vraag('/inzage', { als: portaal, methode: 'POST', body: JSON.stringify({ bsn: ander }), headers: { 'content-type': 'application/json' } })).json().berichten).toEqual([]);
    } finally {
      await p.sluit();
    }
  });

  it('without alleenNotificatie: the key-only message is answered as before, and kept and announced as well', async () => {
    const ander = toewijzing('2027-08-01', GEWOON, 22);
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: ander });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    const kept = rijen(`SELECT id, inhoud FROM bericht WHERE ontvanger = '${GEWOON}'`);
    expect(kept).toHaveLength(1);
    expect((kept[0]!.inhoud as Buffer).equals(r.bytes)).toBe(true);
    const g = await s.vraag(`/berichten/${kept[0]!.id}`, { als: gewoon });
    expect(g.bytes.equals(r.bytes)).toBe(true);
  });

  it('the OpenAPI lists GET /berichten/{id} and the 202 of POST /berichten/uitgaand', async () => {
    const api = (await s.vraag('/openapi.json', { als: gemeente })).json();
    expect(Object.keys(api.paths['/berichten/{id}'].get.responses).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(api.paths['/berichten/uitgaand'].post.responses['202'].content['application/json'].schema.required).toEqual(['verzonden', 'reden', 'bericht', 'notificatie']);
  });

  it('a message that is not key-only is answered as today and kept nowhere', async () => {
    const voor = rijen('SELECT count(*) n FROM bericht')[0]!.n;
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: toewijzing('2027-03-01', STIL, 23) });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(rijen('SELECT count(*) n FROM bericht')[0]!.n).toBe(voor);
  });

  it('the notification: delivered to the Ontvanger over mTLS with the client certificate, exactly the agreed fields, no personal data', async () => {
    const bron = new Bronregistratie(s.db);
    const opslag = new Notificatiestore(s.db);
    const bezorger = new Bezorger(bron, opslag, instellingen(s.config), { klok: () => Date.parse('2027-08-02T12:00:00Z') });
    try {
      await bezorger.totNietsMeer();
    } finally {
      await bezorger.sluit();
      opslag.sluit();
      bron.sluit();
    }
    const berichten = ontvangen.filter((o) => JSON.parse(o.body).type?.startsWith('nl.netwerkbrug.bericht.'));
    const naarStil = berichten.filter((o) => o.pad === '/notificaties');
    expect(naarStil).toHaveLength(1);
    expect(berichten.filter((o) => o.pad === '/gewoon/notificaties')).toHaveLength(1);
    const o = naarStil[0]!;
    expect(o.geautoriseerd).toBe(true);
    expect(o.client).toBe(pki.server.vingerafdruk);
    const ce = JSON.parse(o.body) as Record<string, any>;
    expect(Object.keys(ce).sort()).toEqual(['data', 'datacontenttype', 'dataref', 'id', 'source', 'specversion', 'subject', 'time', 'type', 'wet']);
    expect(ce).toMatchObject({
      specversion: '1.0',
      id: notificatie,
      type: 'nl.netwerkbrug.bericht.wmo301',
      source: `urn:nld:gemeente:${GEMEENTE}:netwerkbrug`,
      subject: `Bericht/${bericht}`,
      dataref: `${BASIS}/berichten/${bericht}`,
      datacontenttype: 'application/json',
      wet: 'wmo',
    });
    expect(Object.keys(ce.data).sort()).toEqual(['berichttype', 'sleutels']);
    expect(ce.data.berichttype).toBe('WMO301');
    const kept = rijen(`SELECT sleutels FROM bericht WHERE id = '${bericht}'`)[0]!.sleutels as string;
    const sleutels = JSON.parse(kept) as Array<{ object: string; sleutel: string; versie: number }>;
    expect(sleutels.length).toBeGreaterThan(2);
    expect(ce.data.sleutels).toEqual(sleutels.map((x) => ({ ...x, dataref: `${BASIS}/bronregistraties/${x.object}/${x.sleutel}?versie=${x.versie}` })));
    for (const x of ce.data.sleutels) expect(x.sleutel).toMatch(UUID4);
    // every Sleutel the kept message carries is announced
    const inBericht = [...(await s.vraag(`/berichten/${bericht}`, { als: stil })).tekst.matchAll(/<wmo301:Sleutel>([^<]+)</g)].map((m) => m[1]);
    expect(new Set(inBericht)).toEqual(new Set(sleutels.map((x) => x.sleutel)));
    // no personal data: the fixture's BSN, names, addresses, birth date; nor its BerichtIdentificatie
    const geboortedata = [...xml.matchAll(/<wmo301:Geboortedatum>\s*<iwmo:Datum>([^<]+)</g)].map((m) => m[1]!);
    const geheim = [...persoonsgegevens(xml), ...geboortedata];
    const identificatie = /<iwmo:Identificatie>([^<]+)</.exec(xml)![1]!;
    expect(geboortedata.length).toBeGreaterThan(0);
    expect(geheim.length).toBeGreaterThan(3);
    for (const w of [...geheim, identificatie]) expect(o.body).not.toContain(w);
  });
});
