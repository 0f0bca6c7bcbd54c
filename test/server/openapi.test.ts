/**
 * The OpenAPI document is generated from the routes (@fastify/swagger): it lists exactly the registered routes,
 * each with the parameters fastify checks; fastify answers a request that breaks them 400 problem+json; what the
 * routes answer fits the schemas the document gives; a route without a schema stops the server from starting.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { ontbrekendSchema } from '../../src/server/schemas.js';
import { maakPki, type Certificaat, type Pki } from '../helpers/pki.js';
import { startServer, type Testserver } from '../helpers/server.js';

const GEMEENTE = '0344';
const AANBIEDER = '12345678';
const ONBEKEND = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
const METHODEN = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

let pki: Pki;
let gemeente: Certificaat;
let s: Testserver;
let doc: any;

beforeAll(async () => {
  pki = maakPki();
  gemeente = pki.client('gemeente-0344');
  s = await startServer(pki, { deelnemers: { [GEMEENTE]: { certificaten: [gemeente.vingerafdruk] } } });
  doc = (await s.vraag('/openapi.json', { als: gemeente })).json();
});

afterAll(async () => {
  await s?.sluit();
});

/** "GET /bronregistraties/{object}/{sleutel}" for every route fastify registered (its own HEAD routes left out). */
function geregistreerd(app: Testserver['app']): string[] {
  const routes: string[] = [];
  const stapel: string[] = [];
  for (const regel of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(regel);
    if (!m) continue;
    const diepte = m[1]!.length / 4;
    stapel.length = diepte;
    stapel.push(m[2]!);
    const pad = stapel.join('').replace(/:([A-Za-z]+)/g, '{$1}');
    for (const methode of m[3]?.split(', ') ?? []) if (methode !== 'HEAD') routes.push(`${methode} ${pad}`);
  }
  return routes.sort();
}

const operaties = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([pad, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODEN.includes(m))
      .map(([m, op]) => ({ sleutel: `${m.toUpperCase()} ${pad}`, pad, op })),
  );

describe('serve: the OpenAPI document, generated from the routes', () => {
  it('keeps info, the security schemes and the shared schemas, and is served as application/json', async () => {
    const r = await s.vraag('/openapi.json', { als: gemeente });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'netwerkbrug', version: expect.any(String) });
    expect(doc.components.securitySchemes.mtls.type).toBe('mutualTLS');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Probleem', 'Record']);
  });

  it('lists exactly the registered routes', () => {
    const routes = geregistreerd(s.app);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(operaties().map((o) => o.sleutel).sort()).toEqual(routes);
  });

  it('gives every operation a summary, its path parameters, its headers and problem+json for its errors', () => {
    for (const { sleutel, pad, op } of operaties()) {
      expect(op.summary, sleutel).toBeTruthy();
      const inPad = [...pad.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string; required?: boolean }>;
      expect(parameters.filter((p) => p.in === 'path').map((p) => p.name).sort(), sleutel).toEqual(inPad);
      expect(parameters.filter((p) => p.in === 'path').every((p) => p.required), sleutel).toBe(true);
      expect(parameters.some((p) => p.in === 'header' && p.name === 'traceparent'), sleutel).toBe(true);
      if (op.security) expect(parameters.some((p) => p.in === 'header' && p.name === 'X-Doel') || sleutel === 'GET /metrics', sleutel).toBe(true);
      for (const [status, antwoord] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(status) >= 400) expect(Object.keys(antwoord.content), `${sleutel} ${status}`).toEqual(['application/problem+json']);
      }
    }
  });

  it('documents the query parameters of the bronregistratie route, and fastify answers those that break them 400 problem+json', async () => {
    const op = doc.paths['/bronregistraties/{object}/{sleutel}'].get;
    const query = (op.parameters as Array<{ in: string; name: string; schema: Record<string, unknown> }>).filter((p) => p.in === 'query');
    expect(query.map((p) => p.name).sort()).toEqual(['berichtIdentificatie', 'peildatum', 'versie', 'wet']);
    const fout: Record<string, string> = { versie: '01', peildatum: '2027-02-30', berichtIdentificatie: `${'x'.repeat(101)}&peildatum=2027-01-01`, wet: 'wlz' };
    for (const p of query) {
      expect(p.schema, p.name).toMatchObject({ type: 'string' });
      const r = await s.vraag(`/bronregistraties/relatie/${ONBEKEND}?${p.name}=${fout[p.name]}`, { als: gemeente });
      expect(r.status, p.name).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 400, title: 'Bad request' });
      expect(r.json().detail, p.name).toMatch(new RegExp(`^${p.name} `));
      expect(r.tekst).not.toContain('xxxxxxxxxx');
    }
    // within what the document allows, the request passes validation (and is refused for lack of grounds)
    expect((await s.vraag(`/bronregistraties/relatie/${ONBEKEND}?versie=3`, { als: gemeente })).status).toBe(403);
    expect((await s.vraag(`/bronregistraties/relatie/${ONBEKEND}?peildatum=2027-02-28&berichtIdentificatie=B1`, { als: gemeente })).status).toBe(403);
    // a malformed Sleutel (a path parameter): 400, the value not echoed
    const bsn = await s.vraag('/bronregistraties/relatie/999999990', { als: gemeente });
    expect(bsn.status).toBe(400);
    expect(bsn.json().detail).toMatch(/^sleutel /);
    expect(bsn.tekst).not.toContain('999999990');
  });

  it('answers what the document says: each answer fits the schema of its status and content type', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    for (const [id, schema] of Object.entries(doc.components.schemas as Record<string, object>)) ajv.addSchema(schema, `#/components/schemas/${id}`);
    const past = (pad: string, methode: string, status: number, type: string, body: unknown) => {
      const antwoord = doc.paths[pad][methode].responses[String(status)];
      expect(antwoord, `${methode} ${pad} ${status}`).toBeDefined();
      const schema = antwoord.content?.[type.split(';')[0]!]?.schema;
      expect(schema, `${methode} ${pad} ${status} ${type}`).toBeDefined();
      const geldig = ajv.validate(schema, body);
      expect(geldig, `${methode} ${pad} ${status}: ${ajv.errorsText()}`).toBe(true);
    };
    const xml = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-01-01', relaties: 1, clientSeed: 7, afzender: GEMEENTE, ontvanger: AANBIEDER });
    const uit = await s.vraag('/berichten/uitgaand', { als: gemeente, body: xml });
    expect(uit.status).toBe(200);
    past('/berichten/uitgaand', 'post', 200, String(uit.headers['content-type']), uit.tekst);
    const sleutel = /<wmo301:Sleutel>([^<]+)</.exec(uit.tekst)![1]!;
    const vragen: Array<[string, string, string]> = [
      [`/bronregistraties/relatie/${sleutel}`, '/bronregistraties/{object}/{sleutel}', 'get'],
      [`/bronregistraties/relatie/${ONBEKEND}`, '/bronregistraties/{object}/{sleutel}', 'get'],
      [`/bronregistraties/relatie/${sleutel}?versie=9`, '/bronregistraties/{object}/{sleutel}', 'get'],
      ['/health', '/health', 'get'],
      ['/ready', '/ready', 'get'],
      ['/abonnementen', '/abonnementen', 'get'],
      [`/abonnementen/${ONBEKEND}`, '/abonnementen/{id}', 'get'],
    ];
    for (const [url, pad, methode] of vragen) {
      const r = await s.vraag(url, { als: gemeente });
      past(pad, methode, r.status, String(r.headers['content-type']), r.json());
    }
    const record = (await s.vraag(`/bronregistraties/relatie/${sleutel}`, { als: gemeente })).json();
    expect(Object.keys(record.inhoud)).toContain('Naam');
  });
});

describe('every route declares its schemas', () => {
  const volledig = { summary: 's', headers: {}, response: { 200: {} } };
  it('names what a route lacks', () => {
    expect(ontbrekendSchema({ method: 'GET', url: '/x', schema: volledig })).toBeUndefined();
    expect(ontbrekendSchema({ method: 'GET', url: '/x' })).toMatch(/GET \/x declares no schema/);
    expect(ontbrekendSchema({ method: 'GET', url: '/x', schema: { ...volledig, summary: undefined } })).toMatch(/no summary/);
    expect(ontbrekendSchema({ method: 'GET', url: '/x', schema: { ...volledig, response: {} } })).toMatch(/no response schema/);
    expect(ontbrekendSchema({ method: 'GET', url: '/x/:id', schema: volledig })).toMatch(/no params schema/);
    expect(ontbrekendSchema({ method: 'GET', url: '/x/:id', schema: { ...volledig, params: {} } })).toBeUndefined();
    expect(ontbrekendSchema({ method: 'GET', url: '/x', schema: { ...volledig, headers: undefined } })).toMatch(/no headers schema/);
  });
});
