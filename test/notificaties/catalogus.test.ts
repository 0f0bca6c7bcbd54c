import { describe, expect, it } from 'vitest';
import { INFORMATIEOBJECTEN } from '../../src/informatieobject/catalogus.js';
import type { InformatieObject } from '../../src/informatieobject/type.js';
import { bouwCatalogus, catalogus, controleerCatalogus, controleerNotificatie, idType } from '../../src/notificaties/catalogus.js';
import { alsCloudEvent, alsIwlz, maakNotificatie, opDeDraad } from '../../src/notificaties/vorm.js';
import { sinkFout, wachttijd, STANDAARD_BACKOFF } from '../../src/notificaties/instellingen.js';
import { retryAfter } from '../../src/notificaties/bezorging.js';

const CATALOGUS = catalogus();
const SLEUTEL = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const rij = { volgnummer: 7, id: '0b6c9d1e-2f3a-4b5c-9d6e-7f8091a2b3c4', sleutel: SLEUTEL, object: 'relatie', eigenaar: '0344', versie: 3, soort: 'gewijzigd' as const, tijd: '2027-01-01T10:00:00.000Z' };

describe('the event catalogue', () => {
  it('has a created, changed and ended type for every informatieobject, and is sound', () => {
    // and one message-level type per law for the key-only 301 (issue 14)
    expect(CATALOGUS).toHaveLength(INFORMATIEOBJECTEN.length * 3 + 2);
    expect(CATALOGUS.filter((t) => t.trigger.soort === 'bericht').map((t) => [t.id, t.iwlzType, t.afzenderIdTypes, t.ontvangerIdTypes, t.ontvangerRegel])).toEqual([
      ['nl.netwerkbrug.bericht.wmo301', 'NIEUW_BERICHT_WMO301_AANBIEDER', ['GEMEENTECODE'], ['AGB'], 'ontvanger'],
      ['nl.netwerkbrug.bericht.jw301', 'NIEUW_BERICHT_JW301_AANBIEDER', ['GEMEENTECODE'], ['AGB'], 'ontvanger'],
    ]);
    expect(CATALOGUS.map((t) => t.id)).toContain('nl.netwerkbrug.relatie.gewijzigd');
    expect(CATALOGUS.map((t) => t.iwlzType)).toContain('GEWIJZIGDE_RELATIE_AANBIEDER');
    expect(controleerCatalogus()).toEqual([]);
  });

  it('grows with the object catalogue: a new object brings its three events', () => {
    const nieuw: InformatieObject = { ...INFORMATIEOBJECTEN[0]!, naam: 'zorgverlener', type: 'Zorgverlener', notificatie: { type: 'nl.netwerkbrug.zorgverlener', eventType: 'ZORGVERLENER' } };
    const c = bouwCatalogus([...INFORMATIEOBJECTEN, nieuw]);
    expect(c.filter((t) => t.trigger.object === 'zorgverlener').map((t) => t.id)).toEqual(['nl.netwerkbrug.zorgverlener.aangemaakt', 'nl.netwerkbrug.zorgverlener.gewijzigd', 'nl.netwerkbrug.zorgverlener.beeindigd']);
    expect(controleerCatalogus(CATALOGUS, [...INFORMATIEOBJECTEN, nieuw])).toContain('zorgverlener: no notification type for aangemaakt');
  });

  it('rejects a broken catalogue at start-up', () => {
    const kapot = [...CATALOGUS, { ...CATALOGUS[0]!, id: 'Netwerkbrug Relatie' }];
    expect(controleerCatalogus(kapot).join('\n')).toMatch(/occurs twice[\s\S]*not reverse DNS/);
  });

  it('checks sender and recipient ID types and the subject before a send', () => {
    const ok = { type: 'nl.netwerkbrug.relatie.gewijzigd', afzender: '0344', ontvanger: '12345678', subject: `Relatie/${SLEUTEL}` };
    expect(controleerNotificatie(ok)).toBeUndefined();
    expect(controleerNotificatie({ ...ok, ontvanger: '0363' })).toMatch(/recipient ID type GEMEENTECODE/);
    expect(controleerNotificatie({ ...ok, afzender: '12345678' })).toMatch(/sender ID type AGB/);
    expect(controleerNotificatie({ ...ok, subject: 'Relatie/999977271' })).toMatch(/subject/);
    expect(controleerNotificatie({ ...ok, type: 'nl.netwerkbrug.onbekend' })).toMatch(/not in the catalogue/);
    expect([idType('0344'), idType('12345678'), idType('123')]).toEqual(['GEMEENTECODE', 'AGB', undefined]);
  });
});

describe('the wire shapes', () => {
  const n = maakNotificatie(rij, '12345678', null, { bron: 'urn:nld:gemeente:0344:netwerkbrug', basisUrl: 'https://bron.example.nl' })!;

  it('is a CloudEvent of the NL GOV profile: outbox id, URN source, reverse-DNS type, key-only subject, dataref, sequence', () => {
    const ce = alsCloudEvent(n);
    expect(JSON.parse(JSON.stringify(ce))).toEqual({
      specversion: '1.0',
      id: rij.id,
      source: 'urn:nld:gemeente:0344:netwerkbrug',
      type: 'nl.netwerkbrug.relatie.gewijzigd',
      subject: `Relatie/${SLEUTEL}`,
      time: '2027-01-01T10:00:00.000Z',
      dataref: `https://bron.example.nl/bronregistraties/relatie/${SLEUTEL}?versie=3`,
      sequence: '3',
      sequencetype: 'Integer',
    });
    const draad = opDeDraad(n, 'cloudevents');
    expect(draad.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(draad.headers['idempotency-key']).toBe(rij.id);
  });

  it('is an iWlz notification (zendNotificatie) with typed sender and recipient', () => {
    expect(alsIwlz({ ...n, abonnement: 'abc' })).toEqual({
      timestamp: '2027-01-01T10:00:00.000Z',
      afzenderIDType: 'GEMEENTECODE',
      afzenderID: '0344',
      ontvangerIDType: 'AGB',
      ontvangerID: '12345678',
      ontvangerKenmerk: 'abc',
      eventType: 'GEWIJZIGDE_RELATIE_AANBIEDER',
      subjectList: [{ subject: `Relatie/${SLEUTEL}`, recordID: `Relatie/${SLEUTEL}` }],
    });
    const body = JSON.parse(opDeDraad(n, 'iwlz').body) as { query: string; variables: { notificatieInput: unknown } };
    expect(body.query).toMatch(/^mutation zendNotificatie/);
    expect(body.variables.notificatieInput).toEqual(alsIwlz(n));
  });
});

describe('sinks and retries', () => {
  it('wants https; plain http only on loopback in development mode', () => {
    expect(sinkFout('https://aanbieder.example/hook', false)).toBeUndefined();
    expect(sinkFout('http://aanbieder.example/hook', false)).toMatch(/https/);
    expect(sinkFout('http://127.0.0.1:8080/hook', false)).toMatch(/development mode/);
    expect(sinkFout('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(sinkFout('http://10.0.0.1/hook', true)).toMatch(/loopback/);
    expect(sinkFout('https://user:pw@aanbieder.example/', false)).toMatch(/credential/);
    expect(sinkFout('ftp://x', true)).toMatch(/https/);
  });

  it('backs off like Open Notificaties by default: 7 retries, the last about a day after the first try', () => {
    const b = { ...STANDAARD_BACKOFF, jitter: 0 };
    const vertragingen = Array.from({ length: b.herhalingen }, (_, n) => wachttijd(b, n) / 1000);
    expect(vertragingen).toEqual([25, 100, 400, 1600, 6400, 25600, 52000]);
    expect(vertragingen.reduce((a, x) => a + x) / 3600).toBeCloseTo(23.9, 1);
    expect(wachttijd(STANDAARD_BACKOFF, 0, 0)).toBe(22_500);
    expect(wachttijd(STANDAARD_BACKOFF, 0, 1)).toBe(27_500);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfter('2', 0)).toBe(2000);
    expect(retryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(retryAfter(undefined, 0)).toBeUndefined();
    expect(retryAfter('soon', 0)).toBeUndefined();
  });
});
