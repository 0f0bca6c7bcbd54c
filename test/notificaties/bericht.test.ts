/**
 * Message-level notifications of key-only messages (issue 14, item 4), below the sidecar: keeping a message is
 * once per message and all-or-nothing with its transaction; the fan-out addresses the message's Ontvanger and
 * only its own subscriptions that ask for the type; the send-time check drops a delivery to anyone else; the
 * iWlz shape carries the message type's eventType.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Notificatiestore } from '../../src/bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { Bezorger } from '../../src/notificaties/bezorging.js';
import { instellingen } from '../../src/notificaties/instellingen.js';
import { startOntvanger, type Ontvanger } from '../helpers/ontvanger.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const ANDER = '87654321';
const NU = '2027-08-01T10:00:00.000Z';

const mappen: string[] = [];
const open: Array<{ sluit(): unknown }> = [];
let ontvanger: Ontvanger | undefined;
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.sluit();
  await ontvanger?.sluit();
  ontvanger = undefined;
  for (const m of mappen.splice(0)) rmSync(m, { recursive: true, force: true });
});

function db(): string {
  const m = mkdtempSync(join(tmpdir(), 'nb-bericht-'));
  mappen.push(m);
  return join(m, 'bron.db');
}

/** A record and a key-only message carrying its Sleutel, to AANBIEDER. */
function bewaar(b: Bronregistratie, inhoud = '<wmo301:Bericht/>', identificatie = 'B1') {
  return b.transactie(() => {
    const r = b.registreer({ wet: 'wmo', object: 'relatie', eigenaar: GEMEENTE, identiteit: ['999977271', '1'], inhoud: { Nummer: '1' }, dagtekening: '2027-08-01', berichtIdentificatie: identificatie, tegenpartij: AANBIEDER, toewijzingEinde: null, groep: ['999977271'] }, NU);
    return b.berichten.bewaar({ berichttype: 'WMO301', eigenaar: GEMEENTE, ontvanger: AANBIEDER, wet: 'wmo', inhoud: Buffer.from(inhoud), sleutels: [{ object: 'relatie', sleutel: r.sleutel, versie: r.versie }], dagtekening: '2027-08-01', berichtIdentificatie: identificatie }, NU);
  });
}

const tel = (pad: string, sql: string) => {
  const d = new Database(pad, { readonly: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('keeping a key-only message', () => {
  it('once per message: the same message again finds its id and writes nothing; other bytes are another message', () => {
    const pad = db();
    const b = new Bronregistratie(pad);
    open.push(b);
    const eerst = bewaar(b);
    expect(eerst.nieuw).toBe(true);
    const weer = bewaar(b);
    expect(weer).toEqual({ ...eerst, nieuw: false });
    const anders = bewaar(b, '<wmo301:Bericht>anders</wmo301:Bericht>');
    expect(anders.nieuw).toBe(true);
    expect(anders.id).not.toBe(eerst.id);
    expect(tel(pad, "SELECT count(*) n FROM outbox WHERE soort = 'bericht'")).toBe(2);
    expect(b.berichten.lees(eerst.id)).toMatchObject({ ontvanger: AANBIEDER, eigenaar: GEMEENTE, berichttype: 'WMO301', berichtIdentificatie: 'B1' });
  });

  it('all or nothing with its transaction: a failure after it leaves neither the message nor its outbox entry', () => {
    const pad = db();
    const b = new Bronregistratie(pad);
    open.push(b);
    expect(() =>
      b.transactie(() => {
        bewaar(b);
        throw new Error('the converted message would not validate');
      }),
    ).toThrow(/would not validate/);
    expect(tel(pad, 'SELECT count(*) n FROM bericht')).toBe(0);
    expect(tel(pad, 'SELECT count(*) n FROM outbox')).toBe(0);
  });
});

describe('delivering a message-level notification', () => {
  it("goes to the Ontvanger and its own subscriptions for the type only; a delivery to anyone else is dropped; the iWlz shape names NIEUW_BERICHT_WMO301_AANBIEDER", async () => {
    ontvanger = await startOntvanger();
    const pad = db();
    const b = new Bronregistratie(pad);
    open.push(b);
    const m = bewaar(b);
    const opslag = new Notificatiestore(pad);
    open.push(opslag);
    const t = Date.parse(NU);
    const voor = opslag.nieuwAbonnement({ id: 'a-voor', deelnemer: AANBIEDER, sink: `${ontvanger.url}/abo`, types: ['nl.netwerkbrug.bericht.wmo301'], vorm: 'cloudevents', credential: null }, t);
    opslag.nieuwAbonnement({ id: 'a-ander-type', deelnemer: AANBIEDER, sink: `${ontvanger.url}/anders`, types: ['nl.netwerkbrug.relatie.gewijzigd'], vorm: 'cloudevents', credential: null }, t);
    opslag.nieuwAbonnement({ id: 'a-ander', deelnemer: ANDER, sink: `${ontvanger.url}/ander`, types: [], vorm: 'cloudevents', credential: null }, t);
    const config = leesConfig({
      bronregistratie: { database: pad, basisUrl: 'https://bron.example.nl' },
      notificaties: { ontwikkeling: true, ontvangers: { [AANBIEDER]: { url: `${ontvanger.url}/regel`, vorm: 'iwlz' }, [ANDER]: { url: `${ontvanger.url}/ander-regel` } } },
    });
    const bezorger = new Bezorger(b, opslag, instellingen(config), { klok: () => t + 1000 });
    open.push({ sluit: () => bezorger.sluit() });
    bezorger.verdeel();
    // a delivery of the message's notification to another participant (as a tampered queue would hold it)
    const d = new Database(pad);
    d.prepare("INSERT INTO bezorging (notificatie, wachtrij, ontvanger, status, volgende, bijgewerkt) VALUES (?, 'regel:87654321', ?, 'wachtend', 0, ?)").run(m.notificatie, ANDER, NU);
    d.close();
    await bezorger.totNietsMeer();
    const uitkomst = Object.fromEntries(opslag.bezorgingenVan(m.notificatie).map((x) => [x.wachtrij, [x.status, x.reden]]));
    expect(uitkomst).toEqual({
      [`regel:${AANBIEDER}`]: ['geleverd', null],
      [`abonnement:${voor.id}`]: ['geleverd', null],
      [`regel:${ANDER}`]: ['vervallen', 'geen-grond: the recipient is not the Ontvanger of the message'],
    });
    expect(ontvanger.op('/ander')).toHaveLength(0);
    expect(ontvanger.op('/anders').every((o) => !o.body.includes('bericht.wmo301'))).toBe(true);
    const iwlz = ontvanger.op('/regel').map((o) => JSON.parse(o.body).variables.notificatieInput).find((n) => n.eventType.startsWith('NIEUW_BERICHT'));
    expect(iwlz).toMatchObject({ eventType: 'NIEUW_BERICHT_WMO301_AANBIEDER', afzenderIDType: 'GEMEENTECODE', afzenderID: GEMEENTE, ontvangerIDType: 'AGB', ontvangerID: AANBIEDER, subjectList: [{ subject: `Bericht/${m.id}`, recordID: `Bericht/${m.id}` }] });
    const ce = JSON.parse(ontvanger.op('/abo')[0]!.body);
    expect(ce).toMatchObject({ id: m.notificatie, type: 'nl.netwerkbrug.bericht.wmo301', subject: `Bericht/${m.id}`, dataref: `https://bron.example.nl/berichten/${m.id}` });
  });
});
