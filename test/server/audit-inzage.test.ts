/**
 * The audit log and inzage through the API: every read leaves an entry with its ground and channel; the
 * owner's auditors read the log under their own scope (audit:lezen), paged and filtered; the owner's portal
 * asks inzage (scope inzage) with the BSN in the body, and gets that person's data only. The BSN is never in
 * a URL, a log line, an error text or the audit log.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const ANDERE = '87654321';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, andere: Certificaat, auditor: Certificaat, portaal: Certificaat;
let s: Testserver;
const logregels: string[] = [];
let bsnA = '';
let bsnB = '';
const sleutelsA: string[] = [];
const sleutelsB: string[] = [];

const bsnVan = (xml: string) => /<wmo301:Bsn>([0-9]{9})</.exec(xml)![1]!;
const sleutelsVan = (xml: string) => [...xml.matchAll(/<wmo301:Sleutel>([^<]+)</g)].map((m) => m[1]!);

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  andere = pki.client('aanbieder-87654321');
  auditor = pki.client('auditor-0344');
  portaal = pki.client('portaal-0344');
  const stroom = new Writable({ write: (c, _e, klaar) => (logregels.push(String(c)), klaar()) });
  s = await startServer(
    pki,
    {
      deelnemers: {
        [GEMEENTE]: { certificaten: [gemeente.vingerafdruk, auditor.vingerafdruk, portaal.vingerafdruk] },
        [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] },
        [ANDERE]: { certificaten: [andere.vingerafdruk] },
      },
    },
    { logger: { level: 'info', stream: stroom } },
  );
  // person A: a client with two Relaties, sent to two parties; person B: another client, sent to one of them
  const a1 = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER });
  const a2 = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-02', relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: ANDERE });
  const b = genereerBericht('iwmo', '301', 13, { dagtekening: '2027-01-03', relaties: 1, clientSeed: 6, afzender: GEMEENTE, ontvanger: AANBIEDER });
  bsnA = bsnVan(a1);
  bsnB = bsnVan(b);
  expect(bsnA).not.toBe(bsnB);
  for (const [xml, lijst] of [[a1, sleutelsA], [a2, sleutelsA], [b, sleutelsB]] as const) {
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(r.status, r.tekst).toBe(200);
    for (const k of sleutelsVan(r.tekst)) if (!lijst.includes(k)) lijst.push(k);
  }
  expect(sleutelsA.length).toBe(2);
  expect(sleutelsB.length).toBe(1);
});

afterAll(async () => {
  await s?.sluit();
});

/** the audit log's entries, read straight from the database */
const auditrijen = () => {
  const db = new Database(s.db, { readonly: true });
  try {
    return db.prepare('SELECT * FROM audit ORDER BY volgnummer').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

describe('serve: every read leaves an audit entry with its ground', () => {
  it('a counterpart with grounds: verstrekt, its verstrekking and window as the ground, channel http', async () => {
    const r = await s.vraag(`/bronregistraties/relatie/${sleutelsA[0]}`, { als: aanbieder, headers: { 'x-doel': 'zorglevering' } });
    expect(r.status).toBe(200);
    const e = auditrijen().at(-1)!;
    expect(e).toMatchObject({ deelnemer: AANBIEDER, actie: 'bronregistratie:lezen', object: 'relatie', sleutel: sleutelsA[0], versie: 1, doel: 'zorglevering', uitkomst: 'verstrekt', status: 200, kanaal: 'http', wet: 'wmo' });
    expect(e.grond).toMatch(/^verstrekking via 301 van 2027-01-01, venster /);
    expect(String(e.grond)).not.toMatch(/[0-9]{9}/);
  });

  it('the owner: its own record as the ground; a refusal: no grounds', async () => {
    expect((await s.vraag(`/bronregistraties/relatie/${sleutelsA[0]}`, { als: gemeente })).status).toBe(200);
    expect(auditrijen().at(-1)).toMatchObject({ deelnemer: GEMEENTE, uitkomst: 'verstrekt', grond: 'eigenaar: eigen record' });
    expect((await s.vraag(`/bronregistraties/relatie/${sleutelsB[0]}`, { als: andere })).status).toBe(403);
    expect(auditrijen().at(-1)).toMatchObject({ deelnemer: ANDERE, uitkomst: 'geweigerd', grond: 'geen: niet verstrekt aan deze partij' });
  });
});

describe('GET /audit: the owner’s auditors, under their own scope', () => {
  let metScopes: Testserver;
  beforeAll(async () => {
    // the same database, now with the auditor's and the portal's certificates given their own scopes only
    metScopes = await startServer(
      pki,
      {
        deelnemers: {
          [GEMEENTE]: { certificaten: [auditor.vingerafdruk], scopes: ['audit:lezen'] },
          [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] },
          [ANDERE]: { certificaten: [portaal.vingerafdruk], scopes: ['inzage'] },
        },
      },
      { db: s.db },
    );
  });
  afterAll(async () => {
    await metScopes?.sluit();
  });

  it('is refused without the scope (a participant without explicit scopes does not have it)', async () => {
    const r = await s.vraag('/audit', { als: aanbieder });
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().detail).toMatch(/scope audit:lezen/);
    expect((await s.vraag('/audit', { als: gemeente })).status).toBe(403);
    expect((await metScopes.vraag('/audit', { als: portaal })).status).toBe(403);
  });

  it('gives the auditor the entries about its records, filtered and paged', async () => {
    const alle = await metScopes.vraag('/audit?limiet=1000', { als: auditor });
    expect(alle.status, alle.tekst).toBe(200);
    expect(alle.headers['cache-control']).toBe('no-store');
    const posten = alle.json().posten as Array<Record<string, unknown>>;
    expect(posten.some((p) => p.deelnemer === AANBIEDER && p.sleutel === sleutelsA[0])).toBe(true);
    const gefilterd = (await metScopes.vraag(`/audit?sleutel=${sleutelsA[0]}&deelnemer=${AANBIEDER}&uitkomst=verstrekt&van=2000-01-01&tot=2999-12-31`, { als: auditor })).json();
    expect(gefilterd.posten.length).toBe(1);
    expect(gefilterd.posten[0]).toMatchObject({ sleutel: sleutelsA[0], deelnemer: AANBIEDER, uitkomst: 'verstrekt', kanaal: 'http' });
    expect((await metScopes.vraag('/audit?uitkomst=geweigerd', { als: auditor })).json().posten.every((p: { uitkomst: string }) => p.uitkomst === 'geweigerd')).toBe(true);
    expect((await metScopes.vraag('/audit?tot=2000-01-01', { als: auditor })).json()).toEqual({ posten: [], volgende: null });
    // paging, following volgende, gives the same entries as one page (the aanbieder's reads: no new ones meanwhile)
    expect((await s.vraag(`/bronregistraties/relatie/${sleutelsA[1]}`, { als: aanbieder })).status).toBe(200);
    expect((await s.vraag(`/bronregistraties/relatie/${sleutelsB[0]}`, { als: aanbieder })).status).toBe(200);
    const ineens = (await metScopes.vraag(`/audit?deelnemer=${AANBIEDER}`, { als: auditor })).json().posten.map((p: { volgnummer: number }) => p.volgnummer);
    expect(ineens.length).toBeGreaterThanOrEqual(3);
    const gezien: number[] = [];
    let na: number | null = 0;
    while (na !== null) {
      const pagina = (await metScopes.vraag(`/audit?deelnemer=${AANBIEDER}&limiet=1&na=${na}`, { als: auditor })).json() as { posten: Array<{ volgnummer: number }>; volgende: number | null };
      expect(pagina.posten.length).toBeLessThanOrEqual(1);
      gezien.push(...pagina.posten.map((p) => p.volgnummer));
      na = pagina.volgende;
    }
    expect(gezien).toEqual(ineens);
    // the reads of the audit log are audited too
    expect(auditrijen().some((e) => e.actie === 'audit:lezen' && e.deelnemer === GEMEENTE && e.uitkomst === 'verstrekt')).toBe(true);
  });

  it('refuses a bad filter as problem+json', async () => {
    for (const q of ['van=gisteren', 'sleutel=x', 'limiet=0', 'limiet=5000', 'van=2027-02-01&tot=2027-01-01']) {
      const r = await metScopes.vraag(`/audit?${q}`, { als: auditor });
      expect(r.status, q).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('POST /inzage: the person’s data only, the BSN in the body', () => {
  let portaalServer: Testserver;
  const portaalLog: string[] = [];
  beforeAll(async () => {
    const stroom = new Writable({ write: (c, _e, klaar) => (portaalLog.push(String(c)), klaar()) });
    portaalServer = await startServer(
      pki,
      { deelnemers: { [GEMEENTE]: { certificaten: [portaal.vingerafdruk], scopes: ['inzage'] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } },
      { db: s.db, logger: { level: 'info', stream: stroom } },
    );
  });
  afterAll(async () => {
    await portaalServer?.sluit();
  });

  const inzage = (bsn: unknown, als = portaal, server = () => portaalServer) =>
    server().vraag('/inzage', { als, methode: 'POST', body: JSON.stringify({ bsn }), headers: { 'content-type': 'application/json' } });

  it('gives person A’s records, every version, who received them, who read them, the notifications; nothing of person B', async () => {
    const r = await inzage(bsnA);
    expect(r.status, r.tekst).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    const sleutels = body.records.map((x: { sleutel: string }) => x.sleutel);
    // the Relaties and the contactgegevens of A
    expect(sleutels).toEqual(expect.arrayContaining(sleutelsA));
    expect(body.records.some((x: { object: string }) => x.object === 'contactgegevens')).toBe(true);
    for (const b of sleutelsB) expect(r.tekst).not.toContain(b);
    const relatie = body.records.find((x: { sleutel: string }) => x.sleutel === sleutelsA[0]);
    expect(relatie.versies.length).toBeGreaterThanOrEqual(1);
    expect(relatie.verstrekkingen.map((v: { tegenpartij: string }) => v.tegenpartij).sort()).toEqual([AANBIEDER, ANDERE]);
    expect(body.raadplegingen.some((a: { deelnemer: string; sleutel: string }) => a.deelnemer === AANBIEDER && a.sleutel === sleutelsA[0])).toBe(true);
    expect(body.raadplegingen.every((a: { sleutel: string }) => body.records.some((x: { sleutel: string }) => x.sleutel === a.sleutel))).toBe(true);
    expect(body.notificaties.length).toBeGreaterThan(0);
    expect(body.notificaties.every((n: { sleutel: string }) => sleutels.includes(n.sleutel))).toBe(true);
    // B's content is nowhere in A's answer
    const b = (await inzage(bsnB)).json();
    expect(b.records.map((x: { sleutel: string }) => x.sleutel)).toEqual(expect.arrayContaining(sleutelsB));
    for (const a of sleutelsA) expect(JSON.stringify(b)).not.toContain(a);
    for (const x of b.records) for (const v of x.versies) expect(r.tekst).not.toContain(JSON.stringify(v.inhoud));
  });

  it('the inzage is itself audited, purpose inzage, with no person in the entry', async () => {
    await inzage(bsnA);
    const e = auditrijen().at(-1)!;
    expect(e).toMatchObject({ actie: 'inzage', doel: 'inzage', deelnemer: GEMEENTE, sleutel: null, object: null, uitkomst: 'verstrekt', kanaal: 'http' });
  });

  it('refuses a BSN that fails the 11-proef in one sentence, without echoing it; and malformed bodies likewise', async () => {
    const fout = bsnA.slice(0, 8) + String((Number(bsnA[8]) + 1) % 10);
    const r = await inzage(fout);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.json().detail).toBe('the BSN does not pass the 11-proef');
    expect(r.tekst).not.toContain(fout);
    for (const body of [`{"bsn": ${bsnA}}`, `{"bsn": "${bsnA}"`, `{"bsn": "${bsnA}", "x": 1}`, `{"bsn": "12345678${bsnA}"}`]) {
      const m = await portaalServer.vraag('/inzage', { als: portaal, methode: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(m.status, body).toBe(400);
      expect(m.tekst, body).not.toContain(bsnA);
    }
  });

  it('is refused without the scope, and the owner’s own data only', async () => {
    const zonder = await inzage(bsnA, aanbieder);
    expect(zonder.status).toBe(403);
    // the original server gives nobody the inzage scope by default
    expect((await inzage(bsnA, gemeente, () => s)).status).toBe(403);
  });

  it('the BSN is never in a URL, a log line or the audit log', async () => {
    for (const bsn of [bsnA, bsnB]) {
      expect([...logregels, ...portaalLog].join('\n')).not.toContain(bsn);
      for (const e of auditrijen()) expect(JSON.stringify(e)).not.toContain(bsn);
    }
    // the route takes no BSN anywhere but the body
    expect((await portaalServer.vraag(`/inzage?bsn=${bsnA}`, { als: portaal, methode: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect(readFileSync(s.db).includes(Buffer.from(bsnA))).toBe(false);
  });
});
