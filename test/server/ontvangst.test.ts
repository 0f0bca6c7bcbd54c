/**
 * The receiving sidecar consumes message notifications (issue 14, item 5): two in-process sidecars with mutual
 * TLS (the gemeente's owns the records, the aanbieder's receives), and an HTTPS stand-in for the gemeente's
 * `GET /berichten/{uuid}` that passes record reads on to the gemeente's sidecar. A notification becomes exactly
 * one full 301 in the delivery folder, C14N-equal to the original and valid against the published XSD.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Auditlog } from '../../src/bronregistratie/audit.js';
import { NetwerkbrugFout } from '../../src/fout.js';
import { leesConfig } from '../../src/config/laden.js';
import { ontvangstInstellingen } from '../../src/ontvangst/instellingen.js';
import { onder } from '../../src/ontvangst/werker.js';
import { geldig3_2 } from '../conformance/orakels.js';
import { startOntvanger } from '../helpers/ontvanger.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';
import { logStroom, startServer, type Testserver } from '../helpers/server.js';
import { startZender, type Zender } from '../helpers/zender.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const DERDE = '87654321';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat, derde: Certificaat;
let eigenaar: Testserver;
let zender: Zender;
let ontvanger: Testserver;
let afleverMap: string;
let origineel: string;
let gesleuteld: string;
const logregels: string[] = [];

/** fast retries for the tests: 50 ms apart, five of them */
const SNEL = { backoff: { factorSeconden: 0.05, basis: 1, jitter: 0, herhalingen: 5 }, intervalSeconden: 0.05 };

const ontvangerConfig = (aflevering: Record<string, string>) => ({
  deelnemer: { code: AANBIEDER },
  adresboek: { [GEMEENTE]: { basisUrl: zender.url, ca: pki.ca } },
  ontvangst: { aflevering, ...SNEL },
});
const ontvangerServer = (aflevering: Record<string, string>, db?: string) =>
  startServer(
    pki,
    {
      // clientVerplicht false: a caller without a certificate reaches the route and is answered 401
      tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca, clientCertificaat: aanbieder.cert, clientSleutel: aanbieder.key, clientVerplicht: false },
      deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [DERDE]: { certificaten: [derde.vingerafdruk] } },
    },
    { config: ontvangerConfig(aflevering), logger: { level: 'info', stream: logStroom(logregels) }, ...(db ? { db } : {}) },
  );

/** A message notification as the sending sidecar makes it (contract of the sending side). */
function notificatie(id: string, o: { dataref?: string; type?: string } = {}) {
  return {
    specversion: '1.0',
    id,
    source: `urn:nld:gemeente:${GEMEENTE}:netwerkbrug`,
    type: o.type ?? 'nl.netwerkbrug.bericht.wmo301',
    subject: `Bericht/${id}`,
    time: '2027-11-01T10:00:00Z',
    dataref: o.dataref ?? `${zender.url}/berichten/${id}`,
    wet: 'wmo',
    datacontenttype: 'application/json',
    data: { berichttype: 'WMO301', sleutels: [] },
  };
}

const stuur = (server: Testserver, body: unknown, als: Certificaat | null = gemeente, id?: string) =>
  server.vraag('/notificaties', {
    ...(als ? { als } : {}),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/cloudevents+json', ...(id ? { 'idempotency-key': id } : {}) },
  });

const inboxRij = (db: string, id: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT * FROM inbox WHERE id = ?').get(id) as { status: string; pogingen: number; uitkomst: string | null; afgeleverd: string | null } | undefined;
  } finally {
    d.close();
  }
};

async function totDat<T>(f: () => T | undefined | false, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

const bestandenVan = (id: string) => readdirSync(afleverMap).filter((n) => n.includes(id));

/** A new notification id whose message the stand-in serves. */
function nieuwBericht(): string {
  const id = randomUUID();
  zender.berichten.set(id, gesleuteld);
  return id;
}

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  derde = pki.client('derde-87654321');
  eigenaar = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } }, { logger: false });
  zender = await startZender(pki, eigenaar.url, aanbieder);
  afleverMap = mkdtempSync(join(tmpdir(), 'nb-aflevering-'));
  ontvanger = await ontvangerServer({ map: afleverMap });
  // both objects past their einddatum: only the Sleutels travel, the aanbieder reads nothing without the owner
  origineel = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-11-01', relaties: 2, clientSeed: 5, afzender: GEMEENTE, ontvanger: AANBIEDER });
  const r = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: origineel });
  expect(r.status).toBe(200);
  gesleuteld = r.tekst;
  expect(gesleuteld).toMatch(/<wmo301:Sleutel>/);
}, 60_000);

afterAll(async () => {
  await ontvanger?.sluit();
  await zender?.sluit();
  await eigenaar?.sluit();
});

describe('POST /notificaties and the receiving worker', () => {
  it('turns a message notification into exactly one full 301 in the folder: C14N-equal to the original, valid, mode 0600', async () => {
    const id = nieuwBericht();
    const r = await stuur(ontvanger, notificatie(id), gemeente, id);
    expect(r.status, r.tekst).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd' && inboxRij(ontvanger.db, id));
    expect(bestandenVan(id)).toEqual([`WMO301-${GEMEENTE}-${id}.xml`]);
    const pad = join(afleverMap, `WMO301-${GEMEENTE}-${id}.xml`);
    expect(rij.afgeleverd).toBe(pad);
    const tekst = readFileSync(pad, 'utf8');
    expect(c14n(tekst)).toBe(c14n(origineel));
    expect(geldig3_2('iwmo', 'WMO301', tekst)).toBe(true);
    expect(statSync(pad).mode & 0o777).toBe(0o600);
    // one trace for the attempt: the message fetched and its records read at the owner, under the aanbieder's grounds
    const trace = zender.traces[zender.vragen.indexOf(`/berichten/${id}`)]!;
    expect(trace).toMatch(/^[0-9a-f]{32}$/);
    const audit = new Auditlog(eigenaar.db);
    const lezingen = audit.alle().filter((a) => a.traceId === trace);
    audit.sluit();
    expect(lezingen.length).toBeGreaterThanOrEqual(2);
    expect(lezingen.every((a) => a.actie === 'bronregistratie:lezen' && a.deelnemer === AANBIEDER && a.uitkomst === 'verstrekt' && a.doel === 'berichtverkeer')).toBe(true);
    // the log names ids, types and reasons only: no personal data of the message
    const bsn = /<\w+:Bsn>(\d+)</.exec(origineel)![1]!;
    expect(logregels.some((l) => l.includes(id))).toBe(true);
    expect(logregels.join('\n')).not.toContain(bsn);
  });

  it('does the same for a JW301 (type nl.netwerkbrug.bericht.jw301)', async () => {
    const jw = genereerBericht('ijw', '301', 12, { dagtekening: '2027-11-01', relaties: 1, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await eigenaar.vraag('/berichten/uitgaand', { als: gemeente, body: jw });
    expect(uit.status).toBe(200);
    expect(uit.tekst).toMatch(/<\w+:Sleutel>/);
    const id = randomUUID();
    zender.berichten.set(id, uit.tekst);
    expect((await stuur(ontvanger, notificatie(id, { type: 'nl.netwerkbrug.bericht.jw301' }), gemeente, id)).status).toBe(202);
    await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd');
    expect(bestandenVan(id)).toEqual([`JW301-${GEMEENTE}-${id}.xml`]);
    const tekst = readFileSync(join(afleverMap, `JW301-${GEMEENTE}-${id}.xml`), 'utf8');
    expect(c14n(tekst)).toBe(c14n(jw));
    expect(geldig3_2('ijw', 'JW301', tekst)).toBe(true);
  });

  it('refuses a message of another type than the notification names: quarantined, dood', async () => {
    const id = nieuwBericht();
    expect((await stuur(ontvanger, notificatie(id, { type: 'nl.netwerkbrug.bericht.jw301' }), gemeente, id)).status).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'dood' && inboxRij(ontvanger.db, id));
    expect(rij.uitkomst).toMatch(/^ANDER_BERICHTTYPE: /);
    expect(bestandenVan(id)).toHaveLength(0);
  });

  it('answers a duplicate 202 again and adds nothing: still one file, the message fetched once', async () => {
    const id = nieuwBericht();
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd');
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(bestandenVan(id)).toHaveLength(1);
    expect(zender.vragen.filter((p) => p === `/berichten/${id}`)).toHaveLength(1);
    expect(inboxRij(ontvanger.db, id)!.pogingen).toBe(1);
  });

  it("retries while the sender's message and records cannot be fetched yet, and delivers once they can", async () => {
    const id = nieuwBericht();
    zender.berichtStatus.push(404, 502);
    zender.bronStatus.push(503);
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd' && inboxRij(ontvanger.db, id));
    // 404, 502, the owner unreachable (503), then delivered
    expect(rij.pogingen).toBe(4);
    expect(bestandenVan(id)).toHaveLength(1);
    expect(c14n(readFileSync(join(afleverMap, bestandenVan(id)[0]!), 'utf8'))).toBe(c14n(origineel));
  });

  it('marks a message that stays unfetchable dood after the last try, with its reason and no content', async () => {
    const id = randomUUID(); // the stand-in does not know it: 404 every time
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'dood' && inboxRij(ontvanger.db, id));
    expect(rij.pogingen).toBe(SNEL.backoff.herhalingen + 1);
    expect(rij.uitkomst).toBe('BERICHT_NIET_OPHAALBAAR: the sender answered 404');
    expect(bestandenVan(id)).toHaveLength(0);
  });

  it('quarantines a message that is not valid and marks it dood at once', async () => {
    const id = randomUUID();
    zender.berichten.set(id, gesleuteld.replace(/<wmo301:Sleutel>[^<]*</, '<wmo301:Sleutel>geen-sleutel<'));
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'dood' && inboxRij(ontvanger.db, id));
    expect(rij.pogingen).toBe(1);
    expect(rij.uitkomst).toMatch(/^BERICHT_ONGELDIG: /);
    expect(readdirSync(join(ontvanger.map, 'quarantaine', 'ontvangst'))).toContain(`${GEMEENTE}-${id}.xml`);
    expect(bestandenVan(id)).toHaveLength(0);
  });

  it('stops reading a message larger than 25 MB and marks it dood (OP179)', async () => {
    const id = randomUUID();
    zender.berichten.set(id, gesleuteld + ' '.repeat(26 * 1024 * 1024));
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'dood' && inboxRij(ontvanger.db, id));
    expect(rij.pogingen).toBe(1);
    expect(rij.uitkomst).toMatch(/^TE_GROOT: /);
    expect(bestandenVan(id)).toHaveLength(0);
    zender.berichten.delete(id);
  });

  it('refuses a caller without a certificate (401), an unknown certificate and a participant not in the address book (403)', async () => {
    const id = nieuwBericht();
    expect((await stuur(ontvanger, notificatie(id), null)).status).toBe(401);
    expect((await stuur(ontvanger, notificatie(id), pki.elders('gemeente-0344'))).status).toBe(401);
    expect((await stuur(ontvanger, notificatie(id), pki.client('onbekend'))).status).toBe(403);
    expect((await stuur(ontvanger, notificatie(id), derde)).status).toBe(403);
    expect(inboxRij(ontvanger.db, id)).toBeUndefined();
  });

  it("refuses a dataref outside the caller's basisUrl and fetches nothing", async () => {
    const id = nieuwBericht();
    const voor = zender.vragen.length;
    for (const dataref of [`${eigenaar.url}/berichten/${id}`, `https://127.0.0.1:1/berichten/${id}`, zender.url.replace('https:', 'http:') + `/berichten/${id}`, `${zender.url}@elders.invalid/berichten/${id}`]) {
      const r = await stuur(ontvanger, notificatie(id, { dataref }));
      expect(r.status, dataref).toBe(403);
      expect(r.tekst).not.toContain(dataref);
    }
    await new Promise((ok) => setTimeout(ok, 200));
    expect(zender.vragen.length).toBe(voor);
    expect(inboxRij(ontvanger.db, id)).toBeUndefined();
  });

  it('acknowledges a record notification (204) without keeping it, and refuses bad bodies naming the rule', async () => {
    const id = randomUUID();
    const record = { ...notificatie(id, { type: 'nl.netwerkbrug.relatie.gewijzigd', dataref: `${zender.url}/bronregistraties/relatie/${id}` }), subject: `Relatie/${id}` };
    expect((await stuur(ontvanger, record)).status).toBe(204);
    expect(inboxRij(ontvanger.db, id)).toBeUndefined();
    const geheim = 'Jansen-Geheim';
    const slecht = await stuur(ontvanger, `{"specversion":"1.0","source":"${geheim}"}`);
    expect(slecht.status).toBe(400);
    expect(slecht.tekst).not.toContain(geheim);
    expect(slecht.json().detail).toMatch(/CloudEvent 1\.0/);
    expect((await stuur(ontvanger, notificatie('niet-een-uuid'))).status).toBe(400);
    expect((await stuur(ontvanger, notificatie(id), gemeente, randomUUID())).status).toBe(400);
    expect((await ontvanger.vraag('/notificaties', { als: gemeente, body: JSON.stringify(notificatie(id)), headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it('answers 404 where the sidecar has no ontvangst section', async () => {
    const r = await eigenaar.vraag('/notificaties', { als: aanbieder, body: JSON.stringify(notificatie(randomUUID())), headers: { 'content-type': 'application/cloudevents+json' } });
    expect(r.status).toBe(404);
  });

  it('writes the same file again when the process died between the write and the mark: still exactly one file', async () => {
    const id = nieuwBericht();
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd');
    const pad = join(afleverMap, `WMO301-${GEMEENTE}-${id}.xml`);
    const eerst = statSync(pad);
    // the state such a crash leaves: the file in place, the row still wachtend
    const d = new Database(ontvanger.db);
    d.prepare("UPDATE inbox SET status = 'wachtend', volgende = 0 WHERE id = ?").run(id);
    d.close();
    const rij = await totDat(() => inboxRij(ontvanger.db, id)?.status === 'afgeleverd' && inboxRij(ontvanger.db, id));
    expect(rij.pogingen).toBe(2);
    expect(bestandenVan(id)).toEqual([`WMO301-${GEMEENTE}-${id}.xml`]);
    // written again (a new inode by the rename), with the same message
    expect(statSync(pad).ino).not.toBe(eerst.ino);
    expect(c14n(readFileSync(pad, 'utf8'))).toBe(c14n(origineel));
  });

  it('delivers a wachtend row after a restart: exactly one file', async () => {
    const id = nieuwBericht();
    zender.berichtStatus.push(...Array(50).fill(503));
    expect((await stuur(ontvanger, notificatie(id), gemeente, id)).status).toBe(202);
    await totDat(() => (inboxRij(ontvanger.db, id)?.pogingen ?? 0) >= 1);
    const db = ontvanger.db;
    await ontvanger.sluit();
    expect(inboxRij(db, id)!.status).toBe('wachtend');
    zender.berichtStatus.length = 0;
    ontvanger = await ontvangerServer({ map: afleverMap }, db);
    await totDat(() => inboxRij(db, id)?.status === 'afgeleverd');
    expect(bestandenVan(id)).toHaveLength(1);
    expect(c14n(readFileSync(join(afleverMap, bestandenVan(id)[0]!), 'utf8'))).toBe(c14n(origineel));
  });

  it('hands the message to an HTTP endpoint with the event id as idempotency key, again after a failure', async () => {
    const systeem = await startOntvanger((_o, eerder) => ({ status: eerder === 0 ? 500 : 204 }));
    const tweede = await ontvangerServer({ url: `${systeem.url}/berichten` });
    try {
      const id = nieuwBericht();
      expect((await stuur(tweede, notificatie(id), gemeente, id)).status).toBe(202);
      const rij = await totDat(() => inboxRij(tweede.db, id)?.status === 'afgeleverd' && inboxRij(tweede.db, id));
      expect(rij.afgeleverd).toBe(`${systeem.url}/berichten`);
      const ontvangen = systeem.op('/berichten');
      expect(ontvangen).toHaveLength(2);
      for (const o of ontvangen) {
        expect(o.headers['idempotency-key']).toBe(id);
        expect(o.headers['content-type']).toBe('application/xml');
        expect(c14n(o.body)).toBe(c14n(origineel));
      }
    } finally {
      await tweede.sluit();
      await systeem.sluit();
    }
  });
  it('keeps the full message in quarantine when the HTTP endpoint refuses it on every try', async () => {
    const systeem = await startOntvanger(() => ({ status: 500 }));
    const tweede = await ontvangerServer({ url: `${systeem.url}/berichten` });
    try {
      const id = nieuwBericht();
      expect((await stuur(tweede, notificatie(id), gemeente, id)).status).toBe(202);
      const rij = await totDat(() => inboxRij(tweede.db, id)?.status === 'dood' && inboxRij(tweede.db, id));
      expect(rij.pogingen).toBe(SNEL.backoff.herhalingen + 1);
      expect(systeem.op('/berichten')).toHaveLength(SNEL.backoff.herhalingen + 1);
      const bewaard = join(tweede.map, 'quarantaine', 'ontvangst', `${GEMEENTE}-${id}.xml`);
      expect(c14n(readFileSync(bewaard, 'utf8'))).toBe(c14n(origineel));
      expect(statSync(bewaard).mode & 0o077).toBe(0);
    } finally {
      await tweede.sluit();
      await systeem.sluit();
    }
  });
});

describe('onder: where a dataref may point', () => {
  it('only below the basisUrl, same origin, no credentials', () => {
    expect(onder('https://a.example/berichten/1', 'https://a.example')).toBe(true);
    expect(onder('https://a.example/api/berichten/1', 'https://a.example/api/')).toBe(true);
    expect(onder('https://a.example/apix/berichten/1', 'https://a.example/api')).toBe(false);
    expect(onder('https://a.example/api/../geheim', 'https://a.example/api')).toBe(false);
    expect(onder('http://a.example/berichten/1', 'https://a.example')).toBe(false);
    expect(onder('https://a.example:444/berichten/1', 'https://a.example')).toBe(false);
    expect(onder('https://a.example.evil/berichten/1', 'https://a.example')).toBe(false);
    expect(onder('https://u:p@a.example/berichten/1', 'https://a.example')).toBe(false);
    expect(onder('geen url', 'https://a.example')).toBe(false);
  });
});

describe('ontvangst configuration', () => {
  const config = (map: string) => leesConfig({ deelnemer: { code: AANBIEDER }, bronregistratie: { database: 'x.db' }, ontvangst: { aflevering: { map } } });

  it('refuses a delivery folder that does not exist, in one sentence (exit 2)', () => {
    let fout: unknown;
    try {
      ontvangstInstellingen(config(join(tmpdir(), `nb-bestaat-niet-${randomUUID()}`)));
    } catch (e) {
      fout = e;
    }
    expect(fout).toBeInstanceOf(NetwerkbrugFout);
    expect((fout as NetwerkbrugFout).exitCode).toBe(2);
    expect((fout as Error).message).toBe('ontvangst.aflevering.map: the folder does not exist');
  });

  it('takes exactly one of map and url, and the notification backoff by default', () => {
    expect(() => leesConfig({ bronregistratie: { database: 'x.db' }, ontvangst: { aflevering: { map: '/tmp', url: 'https://x.invalid/' } } })).toThrow();
    expect(() => leesConfig({ bronregistratie: { database: 'x.db' }, ontvangst: { aflevering: {} } })).toThrow();
    const i = ontvangstInstellingen(config(tmpdir()))!;
    expect(i.backoff).toMatchObject({ herhalingen: 7, factorSeconden: 25 });
    expect(i.aflevering).toEqual({ soort: 'map', map: tmpdir() });
  });
});
