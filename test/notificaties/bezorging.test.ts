import { afterEach, describe, expect, it } from 'vitest';
import { persoonsgegevens, startOntvanger, type Antwoord, type Ontvangen, type Ontvanger } from '../helpers/ontvanger.js';
import { opzet, toewijzing, type Opzet } from './opzet.js';

const A = '11111111';
const B = '22222222';

let schoon: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of schoon.reverse()) await s();
  schoon = [];
});

async function met(gedrag: (o: Ontvangen, eerder: number) => Antwoord, berichten: string[], vorm: 'cloudevents' | 'iwlz' = 'cloudevents', extra = {}) {
  const r = await startOntvanger(gedrag);
  const o = await opzet(berichten, {
    ontwikkeling: true,
    vorm,
    ontvangers: { [A]: { url: `${r.url}/a` }, [B]: { url: `${r.url}/b`, vorm: 'iwlz' } },
    ...extra,
  });
  schoon.push(r.sluit, o.sluit);
  return { r, o };
}

const ids = (os: Ontvangen[]) => os.map((x) => x.headers['idempotency-key'] as string);
const volgorde = (o: Opzet, os: Ontvangen[]) => {
  const nr = new Map(o.outbox().map((x) => [x.id, x.volgnummer]));
  return ids(os).map((id) => nr.get(id)!);
};
const oplopend = (xs: number[]) => xs.every((x, k) => k === 0 || xs[k - 1]! <= x);

describe('delivery', () => {
  it('delivers every creation and change to the counterpart that received it, in order, without personal data', async () => {
    const berichten = [toewijzing(1, A, 5), toewijzing(2, B, 6), toewijzing(3, A, 5, { dagtekening: '2027-02-01', wijziging: 1 }), toewijzing(4, A, 7)];
    const { r, o } = await met(() => ({ status: 202 }), berichten);
    await o.bezorger.totNietsMeer();
    const outbox = o.outbox();
    expect(outbox.length).toBeGreaterThan(6);
    // every outbox entry reaches exactly the counterparts of its record
    expect(new Set(ids(r.ontvangen))).toEqual(new Set(outbox.map((x) => x.id)));
    expect(oplopend(volgorde(o, r.op('/a')))).toBe(true);
    expect(oplopend(volgorde(o, r.op('/b')))).toBe(true);
    const ce = JSON.parse(r.op('/a')[0]!.body) as Record<string, string>;
    expect(ce.source).toBe('urn:nld:gemeente:0344:netwerkbrug');
    expect(ce.subject).toMatch(/^(Relatie|Contactgegevens)\/[0-9a-f-]{36}$/);
    const iwlz = JSON.parse(r.op('/b')[0]!.body) as { variables: { notificatieInput: Record<string, string> } };
    expect(iwlz.variables.notificatieInput.ontvangerID).toBe(B);
    expect(o.opslag.status().map((s) => [s.wachtrij, s.geleverd])).toEqual([
      [`regel:${A}`, r.op('/a').length],
      [`regel:${B}`, r.op('/b').length],
    ]);
    // no BSN, name, address, phone or e-mail in any body, header or log line
    const verboden = berichten.flatMap(persoonsgegevens);
    expect(verboden.length).toBeGreaterThan(10);
    const alles = [...r.ontvangen.map((x) => x.body + JSON.stringify(x.headers) + x.pad), ...o.logs.map((l) => JSON.stringify(l))].join('\n');
    expect(verboden.filter((v) => alles.includes(v))).toEqual([]);
    // metrics for the server's /metrics
    expect(await o.bezorger.metrieken.registry.metrics()).toContain(`netwerkbrug_notificaties_bezorgd_total{vorm="cloudevents"} ${r.op('/a').length}`);
  });

  it('retries a flapping receiver with backoff, keeping the id and holding back the next notification', async () => {
    // the first two requests for A fail (500, then 503 without Retry-After): both are the first notification
    const { r, o } = await met((x, eerder) => (x.pad === '/a' && eerder < 2 ? (eerder === 0 ? { status: 500 } : { status: 503 }) : { status: 200 }), [toewijzing(1, A, 5)]);
    await o.bezorger.totNietsMeer();
    while (o.opslag.status()[0]!.wachtend + o.opslag.status()[0]!.mislukt > 0) {
      await new Promise((ok) => setTimeout(ok, 30));
      await o.bezorger.totNietsMeer();
    }
    const a = ids(r.op('/a'));
    expect(a[0]).toBe(a[1]);
    expect(a[1]).toBe(a[2]);
    expect(new Set(a).size).toBe(o.outbox().length);
    expect(oplopend(volgorde(o, r.op('/a')))).toBe(true);
    expect(o.logs.filter((l) => l.gebeurtenis === 'mislukt').map((l) => l.uitkomst)).toEqual(['HTTP 500', 'HTTP 503']);
  });

  it('dead-letters after the last try, goes on with the next, and resends the dead one with the same id', async () => {
    let kapot = true;
    const { r, o } = await met((x) => ({ status: kapot && x.pad === '/a' ? 500 : 204 }), [toewijzing(1, A, 5, { relaties: 1 })]);
    o.bezorger.verdeel();
    const eindtijd = Date.now() + 10_000;
    while (o.opslag.status()[0]!.dood < 2 && Date.now() < eindtijd) {
      await o.bezorger.totNietsMeer();
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const [s] = o.opslag.status();
    expect(s!.dood).toBe(2);
    expect(r.op('/a')).toHaveLength(2 * 4); // 1 try + 3 retries, each of the two notifications
    const [eerste] = o.outbox();
    kapot = false;
    expect(o.opslag.opnieuw(eerste!.id, Date.now()).bezorgingen).toBe(1);
    await o.bezorger.totNietsMeer();
    expect(r.op('/a').at(-1)!.headers['idempotency-key']).toBe(eerste!.id);
    expect(o.opslag.opnieuwDood(Date.now())).toBe(1);
    await o.bezorger.totNietsMeer();
    expect(o.opslag.status()[0]).toMatchObject({ dood: 0, geleverd: 2 });
  });

  it('honours 429 with Retry-After', async () => {
    const { r, o } = await met((_x, eerder) => (eerder === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 }), [toewijzing(1, A, 5, { relaties: 0 })]);
    await o.bezorger.totNietsMeer();
    expect(r.op('/a')).toHaveLength(1);
    await new Promise((ok) => setTimeout(ok, 1100));
    await o.bezorger.totNietsMeer();
    const a = r.op('/a');
    expect(a).toHaveLength(2);
    expect(a[1]!.tijd - a[0]!.tijd).toBeGreaterThanOrEqual(1000);
  });

  it('retries a receiver slower than the timeout', async () => {
    const { r, o } = await met((_x, eerder) => ({ status: 204, vertraging: eerder === 0 ? 1500 : 0 }), [toewijzing(1, A, 5, { relaties: 0 })], 'cloudevents', { timeoutSeconden: 0.2 });
    await o.bezorger.totNietsMeer();
    await new Promise((ok) => setTimeout(ok, 100));
    await o.bezorger.totNietsMeer();
    expect(r.op('/a')).toHaveLength(2);
    expect(o.logs[0]).toMatchObject({ gebeurtenis: 'mislukt', uitkomst: 'network: timeout' });
    expect(o.opslag.status()[0]).toMatchObject({ geleverd: 1 });
  });

  it('drops a delivery when the recipient has no grounds at send time, with the reason recorded', async () => {
    const r = await startOntvanger();
    // the toewijzing ended long ago and the tail is 0 months: no grounds today
    const o = await opzet([toewijzing(1, A, 5, { relaties: 1 })], { ontwikkeling: true, ontvangers: { [A]: { url: `${r.url}/a` } } }, { nalooptijdMaanden: 0 }, () => Date.parse('2099-01-01T00:00:00Z'));
    schoon.push(r.sluit, o.sluit);
    await o.bezorger.totNietsMeer();
    expect(r.ontvangen).toHaveLength(0);
    const [n] = o.outbox();
    expect(o.opslag.bezorgingenVan(n!.id)).toEqual([{ wachtrij: `regel:${A}`, status: 'vervallen', pogingen: 0, uitkomst: null, reden: expect.stringMatching(/^geen-grond/) as unknown }]);
  });

  it('does not take a 200 with GraphQL errors from an iWlz receiver as a receipt', async () => {
    const { r, o } = await met((_x, eerder) => (eerder === 0 ? { status: 200, body: '{"errors":[{"message":"ontvanger is not valid"}]}' } : { status: 200, body: '{"data":{"zendNotificatie":{"notificatieID":"x"}}}' }), [toewijzing(1, B, 5, { relaties: 0 })]);
    await o.bezorger.totNietsMeer();
    await new Promise((ok) => setTimeout(ok, 60));
    await o.bezorger.totNietsMeer();
    expect(r.op('/b')).toHaveLength(2);
    expect(o.logs[0]).toMatchObject({ gebeurtenis: 'mislukt', uitkomst: 'HTTP 200 with GraphQL errors' });
    expect(o.opslag.status()[0]).toMatchObject({ geleverd: 1 });
  });

  it('drops, before sending, a notification the catalogue does not allow (a gemeente as recipient of a Relatie)', async () => {
    const r = await startOntvanger();
    const o = await opzet([], { ontwikkeling: true, ontvangers: { '0363': { url: `${r.url}/g` } } });
    schoon.push(r.sluit, o.sluit);
    o.bronregistratie.transactie(() => o.bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['x', 'y'], inhoud: { Nummer: '1' }, dagtekening: '2027-03-01', berichtIdentificatie: 'B1', tegenpartij: '0363', toewijzingEinde: null }));
    await o.bezorger.totNietsMeer();
    expect(r.ontvangen).toHaveLength(0);
    expect(o.opslag.bezorgingenVan(o.outbox()[0]!.id)[0]).toMatchObject({ status: 'vervallen', reden: 'catalogus: recipient ID type GEMEENTECODE is not allowed for nl.netwerkbrug.relatie.aangemaakt' });
  });

  it('records a counterpart without an endpoint as dropped, never sending', async () => {
    const r = await startOntvanger();
    const o = await opzet([toewijzing(1, '33333333', 5, { relaties: 0 })], { ontwikkeling: true });
    schoon.push(r.sluit, o.sluit);
    await o.bezorger.totNietsMeer();
    expect(o.opslag.status()).toEqual([{ wachtrij: 'regel:33333333', ontvanger: '33333333', wachtend: 0, mislukt: 0, dood: 0, vervallen: 1, geleverd: 0 }]);
  });
});

export type { Ontvanger };
