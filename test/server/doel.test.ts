/**
 * Doelbinding on the API: a party reads only versions current inside its grounds window, for a purpose the
 * object declares and the configuration gives it, and sees only that purpose's fields. Every refusal is the
 * same 403, byte for byte, whether or not the record or version exists.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { relatie } from '../../src/informatieobject/relatie.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Antwoord, type Testserver } from '../helpers/server.js';
import { A, B, EIGENAAR, NALOOP, schrijfGeschiedenis } from '../helpers/venster.js';

const DERDE = '11112222';
const ONBEKEND = '0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10';

let pki: Pki;
let gemeente: Certificaat, a: Certificaat, b: Certificaat, derde: Certificaat;
let s: Testserver;
let sleutel: string, geeindigd: string;

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  a = pki.client('aanbieder-a');
  b = pki.client('aanbieder-b');
  derde = pki.client('derde');
  const db = join(mkdtempSync(join(tmpdir(), 'nb-doel-')), 'bron.db');
  const bronregistratie = new Bronregistratie(db);
  sleutel = schrijfGeschiedenis(bronregistratie, '999990031');
  geeindigd = schrijfGeschiedenis(bronregistratie, '999990032', { beeindigd: true });
  bronregistratie.sluit();
  s = await startServer(
    pki,
    {
      deelnemers: {
        [EIGENAAR]: { certificaten: [gemeente.vingerafdruk] },
        [A]: { certificaten: [a.vingerafdruk] },
        [B]: { certificaten: [b.vingerafdruk] },
        [DERDE]: { certificaten: [derde.vingerafdruk] },
      },
    },
    // A may use the relatie for delivering care only; B keeps every purpose the object declares
    { db, vandaag: '2027-04-15', config: { toegang: { nalooptijdMaanden: NALOOP, doelen: { [A]: { relatie: ['zorglevering'] } } } } },
  );
});

afterAll(async () => {
  await s?.sluit();
});

/** The answer as a client sees it, without what differs per request (date, connection, the request's own trace). */
const vorm = (r: Antwoord) => {
  const { date: _d, connection: _c, 'keep-alive': _k, traceparent: _t, ...headers } = r.headers;
  return { status: r.status, headers, tekst: r.tekst };
};

const lees = (pad: string, als: Certificaat, doel: string | null = 'zorglevering') => s.vraag(`/bronregistraties/relatie/${pad}`, { als, doel });

describe('serve: versions inside the grounds window', () => {
  it('lets A read the versions current inside its window, and refuses one only sent to B and one after the window with the bytes of no grounds', async () => {
    const geenGrond = vorm(await lees(sleutel, derde));
    expect(geenGrond.status).toBe(403);
    expect(geenGrond.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (const n of [3, 4, 5]) {
      const r = await lees(`${sleutel}?versie=${n}`, a);
      expect(r.status, `versie ${n}`).toBe(200);
      expect(r.json().versie).toBe(n);
    }
    // the current version (v6, after A's window) is not A's either; the list names A's versions only
    const weigeringen = [
      await lees(`${sleutel}?versie=1`, a), // only sent to B, before A's window
      await lees(`${sleutel}?versie=2`, a), // only sent to B, before A's window
      await lees(`${sleutel}?versie=6`, a), // after A's window
      await lees(`${sleutel}?versie=99`, a), // no such version
      await lees(`${sleutel}`, a), // the current version is v6
      await lees(`${sleutel}?peildatum=2027-01-15`, a), // the version of that date is v2
      await lees(`${sleutel}?peildatum=2026-01-01`, a), // no version on that date
      await lees(ONBEKEND, a), // no such record
      await lees(`${ONBEKEND}?versie=3`, a),
    ];
    for (const [i, r] of weigeringen.entries()) expect(vorm(r), `weigering ${i}`).toEqual(geenGrond);
    expect((await lees(`${sleutel}?versie=4`, a)).json().versies).toEqual([3, 4, 5]);
    expect((await lees(`${sleutel}?peildatum=2027-03-02`, a)).json().versie).toBe(4);
  });

  it('gives B, which received it from the start, every version; the owner every version, and a 404 for one that does not exist', async () => {
    expect((await lees(`${sleutel}?versie=1`, b, 'berichtverkeer')).json()).toMatchObject({ versie: 1, versies: [1, 2, 3, 4, 5, 6] });
    expect((await lees(sleutel, b, 'berichtverkeer')).json().versie).toBe(6);
    expect((await lees(`${sleutel}?versie=2`, gemeente, 'berichtverkeer')).status).toBe(200);
    expect((await lees(`${sleutel}?versie=99`, gemeente, 'berichtverkeer')).status).toBe(404);
  });

  it('shortens the window when the record ended for the party', async () => {
    const geenGrond = vorm(await lees(geeindigd, derde));
    // ended for A on 2027-04-01: its window closes on 2027-05-01, so v5 (2027-05-15) is outside it
    expect((await lees(`${geeindigd}?versie=4`, a)).status).toBe(200);
    expect(vorm(await lees(`${geeindigd}?versie=5`, a))).toEqual(geenGrond);
    expect((await lees(`${geeindigd}?versie=4`, a)).json().versies).toEqual([3, 4]);
    // the same version of the record that did not end is A's
    expect((await lees(`${sleutel}?versie=5`, a)).status).toBe(200);
    // B's window is its own
    expect((await lees(`${geeindigd}?versie=5`, b, 'berichtverkeer')).status).toBe(200);
  });
});

describe('serve: the purpose of a read', () => {
  it('answers a read without a purpose with a 400 that says so', async () => {
    for (const als of [a, gemeente]) {
      const r = await lees(sleutel, als, null);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ type: 'urn:netwerkbrug:probleem:ongeldig-verzoek', status: 400, detail: expect.stringContaining('X-Doel') as unknown });
    }
  });

  it('refuses a purpose the object does not declare, and one the party may not use, with the 403 of no grounds', async () => {
    const geenGrond = vorm(await lees(sleutel, derde));
    const gevallen = [
      await lees(`${sleutel}?versie=4`, a, 'marketing'), // not declared by the relatie
      await lees(`${sleutel}?versie=4`, b, 'marketing'),
      await lees(`${sleutel}?versie=4`, a, 'berichtverkeer'), // declared, but not given to A
      await lees(`${ONBEKEND}?versie=4`, a, 'berichtverkeer'),
      await lees(sleutel, derde, 'berichtverkeer'),
    ];
    for (const [i, r] of gevallen.entries()) expect(vorm(r), `geval ${i}`).toEqual(geenGrond);
    // the owner may use every declared purpose, never an undeclared one
    expect((await lees(sleutel, gemeente, 'zorglevering')).status).toBe(200);
    expect(vorm(await lees(sleutel, gemeente, 'marketing'))).toEqual(geenGrond);
  });

  it('gives only the fields of the purpose', async () => {
    const smal = (await lees(`${sleutel}?versie=4`, a, 'zorglevering')).json();
    expect(smal.doel).toBe('zorglevering');
    expect(Object.keys(smal.inhoud)).toEqual(['Nummer', 'Volgorde', 'Soort', 'Naam', 'Contact']);
    expect(Object.keys(smal.inhoud).every((v) => relatie.doelen.zorglevering!.includes(v))).toBe(true);
    expect(JSON.stringify(smal)).not.toMatch(/"Geboortedatum"|"Geslacht"|1954-01-01/);
    const breed = (await lees(`${sleutel}?versie=4`, b, 'berichtverkeer')).json();
    expect(Object.keys(breed.inhoud)).toEqual([...relatie.velden]);
    expect(breed.inhoud.Geboortedatum).toEqual({ Datum: '1954-01-01' });
  });
});
