import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { informatieobject, registreerInformatieobject } from '../../src/informatieobject/catalogus.js';
import { abonnementenRoutes } from '../../src/server/routes/abonnementen.js';
import { startOntvanger } from '../helpers/ontvanger.js';
import { opzet, toewijzing, type Opzet } from './opzet.js';

const A = '11111111';
const GEHEIM = 'token-één-7f3a9c';
const NIEUW_GEHEIM = 'token-twee-1b2c3d';

let schoon: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of schoon.reverse()) await s();
  schoon = [];
});

/** The plugin on a bare fastify, with a test hook standing in for the server's auth layer (header X-Test-Deelnemer). */
async function app(o: Opzet, ontwikkeling = true): Promise<{ app: FastifyInstance; regels: string[] }> {
  const regels: string[] = [];
  const a = Fastify({ logger: { level: 'trace', stream: { write: (r: string) => void regels.push(r) } } });
  a.addHook('onRequest', async (req) => {
    const d = req.headers['x-test-deelnemer'];
    if (typeof d === 'string') req.identiteit = { code: d, scopes: new Set(['abonnementen:beheren']), via: 'token' };
  });
  await a.register(abonnementenRoutes, { opslag: o.opslag, ontwikkeling, vorm: 'cloudevents' });
  schoon.push(() => a.close());
  return { app: a, regels };
}

describe('subscriptions', () => {
  it('are created, listed, rotated and deleted by their own participant only; the credential is never shown or logged', async () => {
    const r = await startOntvanger();
    const o = await opzet([], {});
    schoon.push(r.sluit, o.sluit);
    const { app: a, regels } = await app(o, false);
    const als = (d: string) => ({ 'x-test-deelnemer': d });

    expect((await a.inject({ method: 'GET', url: '/abonnementen' })).statusCode).toBe(401);
    const http = await a.inject({ method: 'POST', url: '/abonnementen', headers: als(A), payload: { sink: 'http://127.0.0.1:9/x' } });
    expect(http.statusCode).toBe(422);
    expect(http.json<{ detail: string }>().detail).toMatch(/https/);
    const onbekendType = await a.inject({ method: 'POST', url: '/abonnementen', headers: als(A), payload: { sink: 'https://a.example/x', types: ['nl.netwerkbrug.bestaat-niet'] } });
    expect(onbekendType.statusCode).toBe(400);

    const maak = await a.inject({
      method: 'POST',
      url: '/abonnementen',
      headers: als(A),
      payload: { sink: 'https://a.example/hook', types: ['nl.netwerkbrug.relatie.gewijzigd'], sinkCredential: { credentialType: 'ACCESSTOKEN', accessToken: GEHEIM } },
    });
    expect(maak.statusCode).toBe(201);
    const ab = maak.json<{ id: string; sinkCredential: unknown }>();
    expect(ab.sinkCredential).toEqual({ credentialType: 'ACCESSTOKEN', gezet: true });
    expect(maak.headers.location).toBe(`/abonnementen/${ab.id}`);

    expect((await a.inject({ method: 'GET', url: '/abonnementen', headers: als(A) })).json()).toHaveLength(1);
    expect((await a.inject({ method: 'GET', url: '/abonnementen', headers: als('22222222') })).json()).toEqual([]);
    expect((await a.inject({ method: 'GET', url: `/abonnementen/${ab.id}`, headers: als('22222222') })).statusCode).toBe(404);
    expect((await a.inject({ method: 'DELETE', url: `/abonnementen/${ab.id}`, headers: als('22222222') })).statusCode).toBe(404);

    const roteer = await a.inject({ method: 'PUT', url: `/abonnementen/${ab.id}/credential`, headers: als(A), payload: { accessToken: NIEUW_GEHEIM } });
    expect(roteer.statusCode).toBe(204);
    expect((await a.inject({ method: 'DELETE', url: `/abonnementen/${ab.id}`, headers: als(A) })).statusCode).toBe(204);
    expect((await a.inject({ method: 'GET', url: '/abonnementen', headers: als(A) })).json()).toEqual([]);
    expect(o.opslag.abonnement(ab.id)?.beeindigd).not.toBeNull();

    const log = regels.join('\n');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(GEHEIM);
    expect(log).not.toContain(NIEUW_GEHEIM);
  });

  it('accept the notification types of an object registered after the module loaded', async () => {
    const o = await opzet([], {});
    schoon.push(o.sluit);
    const relatie = informatieobject('relatie')!;
    const weg = registreerInformatieobject({ ...relatie, naam: 'laatkomer', type: 'Laatkomer', notificatie: { type: 'nl.netwerkbrug.test.laatkomer', eventType: 'LAATKOMER' } });
    schoon.push(async () => weg());
    const { app: a } = await app(o);
    const r = await a.inject({ method: 'POST', url: '/abonnementen', headers: { 'x-test-deelnemer': A }, payload: { sink: 'https://a.example/hook', types: ['nl.netwerkbrug.test.laatkomer.aangemaakt'] } });
    expect(r.statusCode, r.body).toBe(201);
  });

  it('deliver to a participant that received the record, with the rotated bearer token, and end on 410 Gone', async () => {
    let weg = false;
    const r = await startOntvanger((x) => ({ status: weg && x.pad === '/sub' ? 410 : 204 }));
    // the rule-based recipient is served too; the subscription adds a second queue for the same participant
    const o = await opzet([toewijzing(1, A, 5, { relaties: 1 })], { ontwikkeling: true, ontvangers: { [A]: { url: `${r.url}/regel` } } });
    schoon.push(r.sluit, o.sluit);
    const { app: a } = await app(o);
    const maak = await a.inject({ method: 'POST', url: '/abonnementen', headers: { 'x-test-deelnemer': A }, payload: { sink: `${r.url}/sub`, vorm: 'iwlz', sinkCredential: { accessToken: GEHEIM } } });
    const { id } = maak.json<{ id: string }>();
    // another participant's subscription: it never received the record, so it is not addressed
    await a.inject({ method: 'POST', url: '/abonnementen', headers: { 'x-test-deelnemer': '22222222' }, payload: { sink: `${r.url}/ander` } });
    await a.inject({ method: 'PUT', url: `/abonnementen/${id}/credential`, headers: { 'x-test-deelnemer': A }, payload: { accessToken: NIEUW_GEHEIM } });

    await o.bezorger.totNietsMeer();
    const sub = r.op('/sub');
    expect(sub).toHaveLength(2);
    expect(sub.every((x) => x.headers.authorization === `Bearer ${NIEUW_GEHEIM}`)).toBe(true);
    expect((JSON.parse(sub[0]!.body) as { variables: { notificatieInput: { ontvangerKenmerk: string } } }).variables.notificatieInput.ontvangerKenmerk).toBe(id);
    expect(r.op('/regel')).toHaveLength(2);
    expect(r.op('/regel')[0]!.headers.authorization).toBeUndefined();
    expect(r.op('/ander')).toHaveLength(0);
    expect(o.logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain(NIEUW_GEHEIM);

    // a change of the record: the sink is gone now
    weg = true;
    const bronregistratie = o.bronregistratie;
    bronregistratie.transactie(() => bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['x', 'y'], inhoud: { Nummer: '1' }, dagtekening: '2027-03-01', berichtIdentificatie: 'B1', tegenpartij: A, toewijzingEinde: null }));
    bronregistratie.transactie(() => bronregistratie.registreer({ wet: 'wmo', object: 'relatie', eigenaar: '0344', identiteit: ['x', 'y'], inhoud: { Nummer: '2' }, dagtekening: '2027-03-02', berichtIdentificatie: 'B2', tegenpartij: A, toewijzingEinde: null }));
    await o.bezorger.totNietsMeer();
    expect(r.op('/sub')).toHaveLength(3);
    expect(o.opslag.abonnement(id)?.reden).toMatch(/410/);
    expect(r.op('/regel')).toHaveLength(4);
    expect(o.opslag.status().find((s) => s.wachtrij === `abonnement:${id}`)).toMatchObject({ geleverd: 2, vervallen: 2 });
  });
});
