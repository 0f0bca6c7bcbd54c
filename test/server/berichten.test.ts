import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { register } from '../helpers/omzetten.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { logStroom, startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const BSN = '999977271';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat;
let s: Testserver;
const logregels: string[] = [];

const toewijzing = (dagtekening = '2027-01-01') => genereerBericht('iwmo', '301', 11, { dagtekening, relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER });

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  s = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { logger: { level: 'info', stream: logStroom(logregels) } });
});

afterAll(async () => {
  await s?.sluit();
});

describe('serve: POST /berichten/uitgaand', () => {
  it('answers the keyed message, valid against its keyed schema, and registers its objects', async () => {
    const xml = toewijzing();
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(r.headers['x-netwerkbrug-bericht']).toBe('WMO301');
    expect(r.tekst).toContain('xmlns:wmo301="urn:netwerkbrug:iwmo:3_2:wmo301:sleutel"');
    const sleutels = [...r.tekst.matchAll(/<wmo301:Sleutel>([^<]+)</g)].map((m) => m[1]!);
    // two Relaties in the naast phase; contactgegevens is still voor (its Sleutel is not in the message)
    expect(sleutels).toHaveLength(2);
    const v = valideerBericht(r.bytes, 'uit.xml', register);
    expect(v.fouten).toEqual([]);
    expect(v.bericht?.schema.variant).toBe('sleutel');
    // a re-send gives the same bytes and no new version
    const weer = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(weer.bytes.equals(r.bytes)).toBe(true);
    expect((await s.vraag(`/bronregistraties/relatie/${sleutels[0]}`, { als: gemeente })).json().versies).toEqual([1]);
  });

  it('passes a message before sleutelVanaf unchanged', async () => {
    const xml = toewijzing('2026-06-01');
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(r.status).toBe(200);
    expect(r.tekst).toBe(xml);
  });

  it('refuses an invalid message with 422 problem+json naming line, column, path and rule, and keeps it in quarantine', async () => {
    const xml = toewijzing().replace('<wmo301:Geslacht>2</wmo301:Geslacht>', '<wmo301:Geslacht>7</wmo301:Geslacht>');
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p).toMatchObject({ status: 422, type: 'urn:netwerkbrug:probleem:bericht-ongeldig' });
    expect(p.fouten[0]).toMatchObject({ code: 'BERICHT_ONGELDIG', regel: 23, pad: '/Bericht/Client/Geslacht' });
    expect(p.fouten[0].kolom).toBeGreaterThan(0);
    expect(p.fouten[0].omschrijving).toMatch(/code list/);
    expect(r.tekst).not.toContain(BSN);
    const map = join(s.map, 'quarantaine', 'uitgaand');
    expect(readFileSync(join(map, p.quarantaine), 'utf8')).toBe(xml);
    const reden = readFileSync(join(map, `${p.quarantaine}.reden.txt`), 'utf8');
    expect(reden).toMatch(/bericht\.xml:23:\d+ \/Bericht\/Client\/Geslacht \[BERICHT_ONGELDIG\] .*code list/);
    expect(reden).not.toContain(BSN);
  });

  it('refuses bytes that are not XML and a DTD with 422, each kept', async () => {
    const voor = readdirSync(join(s.map, 'quarantaine', 'uitgaand')).length;
    expect((await s.vraag('/berichten/uitgaand', { als: gemeente, body: 'geen xml' })).status).toBe(422);
    const dtd = toewijzing().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "b">]>');
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: dtd });
    expect(r.status).toBe(422);
    expect(r.json().fouten[0].omschrijving).toMatch(/DTD|DOCTYPE/i);
    expect(readdirSync(join(s.map, 'quarantaine', 'uitgaand')).length).toBe(voor + 4);
  });

  it('lets only the Afzender hand in a message (403), and wants XML (415)', async () => {
    expect((await s.vraag('/berichten/uitgaand', { als: aanbieder, body: toewijzing() })).status).toBe(403);
    const r = await s.vraag('/berichten/uitgaand', { als: gemeente, body: '{}', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(415);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('audits every message handed in, with its outcome', async () => {
    const audit = new Auditlog(s.db);
    const rijen = audit.alle().filter((r) => r.actie === 'berichten:uitgaand');
    audit.sluit();
    expect(rijen.map((r) => r.uitkomst)).toEqual(['omgezet', 'omgezet', 'omgezet', 'afgekeurd', 'afgekeurd', 'afgekeurd', 'geweigerd', 'ongeldig-verzoek']);
    expect(rijen.every((r) => r.object === null && r.sleutel === null)).toBe(true);
    expect(rijen[0]!.deelnemer).toBe(GEMEENTE);
  });
});

describe('serve: trace context, metrics, operations, logs', () => {
  it('refuses a connection without a client certificate in the TLS handshake when no tokens are configured', async () => {
    await expect(s.vraag('/health')).rejects.toThrow();
    await expect(s.vraag('/health', { als: pki.elders('vreemd') })).rejects.toThrow();
  });

  it('echoes the W3C traceparent: the same trace, its own span', async () => {
    const r = await s.vraag('/health', { als: gemeente, headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    expect(r.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(r.headers.traceparent).not.toContain('00f067aa0ba902b7');
  });

  it('accepts B3 headers, and makes a new trace when none is given', async () => {
    expect((await s.vraag('/health', { als: gemeente, headers: { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1' } })).headers.traceparent).toMatch(/^00-80f198ee56343ba864fe8b2a57d3eff7-/);
    expect((await s.vraag('/health', { als: gemeente, headers: { 'x-b3-traceid': 'a3ce929d0e0e4736', 'x-b3-spanid': '00f067aa0ba902b7' } })).headers.traceparent).toMatch(/^00-0000000000000000a3ce929d0e0e4736-/);
    const a = (await s.vraag('/health', { als: gemeente })).headers.traceparent as string;
    const b = (await s.vraag('/health', { als: gemeente, headers: { traceparent: 'rommel' } })).headers.traceparent as string;
    expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(a.slice(3, 35)).not.toBe(b.slice(3, 35));
  });

  it('exposes request counts, latency and access decisions at /metrics', async () => {
    const r = await s.vraag('/metrics', { als: gemeente });
    expect(r.status).toBe(200);
    expect(r.tekst).toMatch(/netwerkbrug_http_verzoeken_total\{route="\/berichten\/uitgaand",methode="POST",status="422"\} 3/);
    expect(r.tekst).toMatch(/netwerkbrug_http_duur_seconds_bucket\{le="0.02",route="\/berichten\/uitgaand",methode="POST",status="200"\}/);
    expect(r.tekst).toMatch(/netwerkbrug_toegangsbeslissingen_total\{beslissing="toegestaan"\} 1/);
    expect(r.tekst).toMatch(/netwerkbrug_berichten_total\{richting="uitgaand",uitkomst="afgekeurd"\} 3/);
  });

  it('is live and ready, and describes itself in /openapi.json', async () => {
    expect((await s.vraag('/health', { als: gemeente })).json()).toEqual({ status: 'ok' });
    expect((await s.vraag('/ready', { als: gemeente })).json()).toMatchObject({ status: 'ok', database: 'reachable', schemas: 'loaded' });
    const doc = (await s.vraag('/openapi.json', { als: gemeente })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/bronregistraties/{object}/{sleutel}', '/berichten/uitgaand', '/berichten/inkomend', '/audit', '/inzage']));
  });

  it('is not ready without the message schemas: 503 problem+json', async () => {
    const leeg = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] } } }, { register: SchemaRegister.laad(mkdtempSync(join(tmpdir(), 'nb-leeg-'))) });
    try {
      const r = await leeg.vraag('/ready', { als: gemeente });
      expect(r.status).toBe(503);
      expect(r.json().detail).toMatch(/schemas not loaded/);
    } finally {
      await leeg.sluit();
    }
  });

  it('logs one JSON line per request with the trace id and route template, never a body, URL or BSN', async () => {
    await s.vraag('/bronregistraties/relatie/999977271', { als: gemeente, headers: { traceparent: '00-11112222333344445555666677778888-00f067aa0ba902b7-01' } });
    const regels = logregels.map((l) => JSON.parse(l) as Record<string, unknown>);
    const deze = regels.find((r) => r.traceId === '11112222333344445555666677778888');
    expect(deze).toMatchObject({ route: '/bronregistraties/:object/:sleutel', status: 400, deelnemer: GEMEENTE });
    const alles = logregels.join('\n');
    expect(alles).not.toContain(BSN);
    expect(alles).not.toContain('Nguy');
    expect(alles).not.toContain('BEGIN CERTIFICATE');
  });
});

describe('serve: subscriptions (main\'s plugin behind this server\'s identity)', () => {
  it('lets a participant subscribe and see only its own subscriptions; the credential never comes back', async () => {
    const nieuw = await s.vraag('/abonnementen', { als: aanbieder, methode: 'POST', body: JSON.stringify({ sink: 'https://aanbieder.example/hook', sinkCredential: { accessToken: 'geheim-123' } }), headers: { 'content-type': 'application/json' } });
    expect(nieuw.status, nieuw.tekst).toBe(201);
    expect(nieuw.json()).toMatchObject({ deelnemer: AANBIEDER, sink: 'https://aanbieder.example/hook' });
    expect(nieuw.tekst).not.toContain('geheim-123');
    expect((await s.vraag('/abonnementen', { als: aanbieder })).json()).toHaveLength(1);
    expect((await s.vraag('/abonnementen', { als: gemeente })).json()).toEqual([]);
    expect((await s.vraag(`/abonnementen/${nieuw.json().id}`, { als: gemeente })).status).toBe(404);
  });
});
