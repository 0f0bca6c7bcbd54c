/**
 * The sidecar follows the messages' order, not the order they are handed in: an older message or a replay
 * never becomes the current version and announces nothing, and an older keyed message still rehydrates to what
 * it carried.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { c14n } from '../helpers/rehydreren.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';

let pki: Pki;
let gemeente: Certificaat, aanbieder: Certificaat;
let s: Testserver;

/**
 * A 301 of client `client`; `wijziging` changes the Relaties' phone numbers. Its toewijzing ends on 2027-10-31,
 * before every Dagtekening here, so the counterpart's grounds window (einddatum + 24 months) holds them all.
 */
const toewijzing = (client: number, dagtekening: string, identificatie: string, wijziging = 0) =>
  genereerBericht('iwmo', '301', 11, { dagtekening, identificatie, wijziging, relaties: 2, clientSeed: client, afzender: GEMEENTE, ontvanger: AANBIEDER }).replace(
    /<wmo301:Einddatum>[^<]*</g,
    '<wmo301:Einddatum>2027-10-31<',
  );

const sleutels = (tekst: string) => [...tekst.matchAll(/<wmo301:Relatie>\s*<wmo301:Nummer>[^<]*<\/wmo301:Nummer>\s*<wmo301:Sleutel>([^<]+)</g)].map((m) => m[1]!);

function outbox(sleutel: string): Array<{ soort: string; versie: number }> {
  const db = new Database(s.db, { readonly: true });
  try {
    return db.prepare('SELECT soort, versie FROM outbox WHERE sleutel = ? ORDER BY volgnummer').all(sleutel) as Array<{ soort: string; versie: number }>;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  aanbieder = pki.client('aanbieder-12345678');
  s = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] }, [AANBIEDER]: { certificaten: [aanbieder.vingerafdruk] } } });
});

afterAll(async () => {
  await s?.sluit();
  if (s) rmSync(s.map, { recursive: true, force: true });
});

describe('serve: messages handed in out of order', () => {
  it('old, new, old again: the newer one is current; two notifications per Relatie, none for the replay', async () => {
    const oud = toewijzing(5, '2027-03-01', 'B301');
    const nieuw = toewijzing(5, '2027-03-05', 'B305', 1);
    for (const xml of [oud, nieuw, oud]) expect((await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml })).status).toBe(200);
    const [eerste, tweede] = sleutels((await s.vraag('/berichten/uitgaand', { als: gemeente, body: nieuw })).tekst);
    for (const sleutel of [eerste!, tweede!]) {
      const r = (await s.vraag(`/bronregistraties/relatie/${sleutel}`, { als: gemeente })).json();
      expect(r).toMatchObject({ versie: 2, dagtekening: '2027-03-05', versies: [1, 2] });
      expect(outbox(sleutel)).toEqual([
        { soort: 'aangemaakt', versie: 1 },
        { soort: 'gewijzigd', versie: 2 },
      ]);
    }
  });

  it('an older message with new content, handed in after a newer one: not current, nothing announced, and it rehydrates to what it carried', async () => {
    // after both einddatums: the keyed message carries only Sleutels, so rehydration must find this message's version
    const nieuw = toewijzing(8, '2027-11-10', 'B1110');
    const oud = toewijzing(8, '2027-11-05', 'B1105', 2);
    expect((await s.vraag('/berichten/uitgaand', { als: gemeente, body: nieuw })).status).toBe(200);
    const gesleuteld = await s.vraag('/berichten/uitgaand', { als: gemeente, body: oud });
    expect(gesleuteld.status).toBe(200);
    expect(sleutels(gesleuteld.tekst)).toHaveLength(2);
    for (const sleutel of sleutels(gesleuteld.tekst)) {
      const r = (await s.vraag(`/bronregistraties/relatie/${sleutel}`, { als: gemeente })).json();
      // numbers follow registration, the list follows the messages: the older message's version comes first
      expect(r).toMatchObject({ versie: 1, dagtekening: '2027-11-10', versies: [2, 1] });
      expect(outbox(sleutel)).toEqual([{ soort: 'aangemaakt', versie: 1 }]);
    }
    const terug = await s.vraag('/berichten/inkomend', { als: aanbieder, body: gesleuteld.tekst });
    expect(terug.status, terug.tekst).toBe(200);
    expect(c14n(terug.tekst)).toBe(c14n(oud));
    // and what it carried is not what the current version holds
    const relaties = (xml: string) => [...xml.matchAll(/<wmo301:Relatie>[\s\S]*?<\/wmo301:Relatie>/g)].map((m) => m[0]);
    expect(relaties(oud)).not.toEqual(relaties(nieuw));
  });
});
