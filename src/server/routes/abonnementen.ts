/**
 * Subscriptions as a fastify plugin: `POST /abonnementen`, `GET /abonnementen`, `GET/DELETE
 * /abonnementen/:id`, `PUT /abonnementen/:id/credential` (rotation). The calling participant is
 * `request.identiteit`, set by the server's identity check; a participant sees and changes only its own
 * subscriptions. Shape after the CloudEvents Subscriptions API as VNG Notificatieservices restricts it:
 * `sink`, `types`, `sinkCredential` (an access token, stored, never returned or logged).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Abonnement, Notificatiestore } from '../../bronregistratie/notificatiestore.js';
import { probleemBody, type FoutCode } from '../../fout.js';
import { catalogus } from '../../notificaties/catalogus.js';
import { sinkFout } from '../../notificaties/instellingen.js';
import { PROBLEEM_MEDIATYPE } from '../probleem.js';
import { BEVEILIGD, KOPPEN, probleem as probleemAntwoord, voegGedeeldeSchemasToe } from '../schemas.js';

export interface AbonnementenOpties {
  opslag: Notificatiestore;
  /** development mode: plain http sinks on loopback allowed */
  ontwikkeling: boolean;
  /** wire shape when the body names none */
  vorm: 'cloudevents' | 'iwlz';
  klok?: () => number;
  /** why a sink's address may not be used (internal networks), checked when the subscription is made; the server passes Sinkbeleid.controleer */
  sinkAdresFout?: (sink: string) => Promise<string | undefined>;
}

interface Nieuw {
  sink: string;
  types?: string[];
  vorm?: 'cloudevents' | 'iwlz';
  protocol?: 'HTTP';
  sinkCredential?: { credentialType?: 'ACCESSTOKEN'; accessToken: string };
}

const credentialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['accessToken'],
  properties: { credentialType: { const: 'ACCESSTOKEN' }, accessToken: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

/** Built when the routes are registered: the notification types are those of the objects known then. */
const nieuwSchema = () => ({
  type: 'object',
  additionalProperties: false,
  required: ['sink'],
  properties: {
    sink: { type: 'string', minLength: 1, maxLength: 2048 },
    protocol: { const: 'HTTP' },
    types: { type: 'array', items: { type: 'string', enum: catalogus().map((t) => t.id) }, uniqueItems: true },
    vorm: { enum: ['cloudevents', 'iwlz'] },
    sinkCredential: credentialSchema,
  },
} as const);

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

/** What the API shows of a subscription (`weergave`): never the credential, only whether one is set. */
const abonnementSchema = {
  type: 'object',
  required: ['id', 'deelnemer', 'sink', 'protocol', 'types', 'vorm', 'aangemaakt', 'sinkCredential'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    deelnemer: { type: 'string' },
    sink: { type: 'string' },
    protocol: { const: 'HTTP' },
    types: { type: 'array', items: { type: 'string' } },
    vorm: { enum: ['cloudevents', 'iwlz'] },
    aangemaakt: { type: 'string' },
    sinkCredential: { type: 'object', required: ['credentialType', 'gezet'], properties: { credentialType: { const: 'ACCESSTOKEN' }, gezet: { type: 'boolean' } } },
  },
} as const;

const geweigerd = { 401: probleemAntwoord('not identified'), 403: probleemAntwoord('the caller lacks the scope abonnementen:beheren') };
const onbekend = probleemAntwoord("not the caller's, or none");
const basis = { security: BEVEILIGD, headers: KOPPEN };

/** What each route declares: fastify checks its input by it, and the OpenAPI document is made of it. */
const schemas = () => ({
  nieuw: {
    summary: 'Subscribe to notifications (CloudEvents Subscriptions shape)',
    ...basis,
    body: nieuwSchema(),
    response: { 201: { description: 'the subscription', ...abonnementSchema }, 400: probleemAntwoord('the body is not a subscription'), ...geweigerd, 422: probleemAntwoord('sink not allowed') },
  },
  lijst: { summary: "The caller's subscriptions", ...basis, response: { 200: { description: 'its subscriptions (never a credential)', type: 'array', items: abonnementSchema }, 400: probleemAntwoord('X-Doel is malformed'), ...geweigerd } },
  een: { summary: "One of the caller's subscriptions", ...basis, params: idParams, response: { 200: { description: 'the subscription', ...abonnementSchema }, 400: probleemAntwoord('the id is not a UUID'), ...geweigerd, 404: onbekend } },
  einde: { summary: 'End a subscription', ...basis, params: idParams, response: { 204: { description: 'ended', type: 'null' }, 400: probleemAntwoord('the id is not a UUID'), ...geweigerd, 404: onbekend } },
  credential: {
    summary: 'Rotate the sink credential',
    ...basis,
    params: idParams,
    body: credentialSchema,
    response: { 204: { description: 'rotated', type: 'null' }, 400: probleemAntwoord('the id is not a UUID, or the body is not a credential'), ...geweigerd, 404: onbekend },
  },
});

/** What the API shows of a subscription: everything but the credential. */
const weergave = (a: Abonnement) => ({
  id: a.id,
  deelnemer: a.deelnemer,
  sink: a.sink,
  protocol: 'HTTP',
  types: a.types,
  vorm: a.vorm,
  aangemaakt: a.aangemaakt,
  sinkCredential: { credentialType: 'ACCESSTOKEN', gezet: a.credentialGezet },
});

const probleem = (reply: FastifyReply, code: FoutCode, detail: string) => {
  const body = probleemBody(code, detail);
  return reply.code(body.status as number).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(body));
};

/** The calling participant, as the server's identity check found it; undefined when the request is not authenticated. */
const deelnemerVan = (request: FastifyRequest): string | undefined => request.identiteit?.code;

export const abonnementenRoutes: FastifyPluginAsync<AbonnementenOpties> = async (app, opties) => {
  const { opslag } = opties;
  const klok = opties.klok ?? Date.now;
  voegGedeeldeSchemasToe(app);
  const SCHEMAS = schemas();

  app.addHook('preHandler', async (request, reply) => {
    if (!deelnemerVan(request)) return probleem(reply, 'NIET_GEAUTHENTICEERD', 'no authenticated participant');
  });

  /** The subscription `id` when it is the caller's and active; otherwise the 404 is sent. */
  const eigen = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const a = opslag.abonnement(request.params.id);
    if (a && a.deelnemer === deelnemerVan(request) && a.beeindigd === null) return a;
    void probleem(reply, 'NIET_GEVONDEN', 'no such subscription');
    return undefined;
  };

  app.post<{ Body: Nieuw }>('/abonnementen', { schema: SCHEMAS.nieuw }, async (request, reply) => {
    const fout = sinkFout(request.body.sink, opties.ontwikkeling);
    if (fout) return probleem(reply, 'ABONNEMENT_ONGELDIG', `sink ${fout}`);
    const adresFout = await opties.sinkAdresFout?.(request.body.sink);
    if (adresFout) return probleem(reply, 'ABONNEMENT_ONGELDIG', `sink ${adresFout}`);
    const a = opslag.nieuwAbonnement(
      {
        id: randomUUID(),
        deelnemer: deelnemerVan(request)!,
        sink: request.body.sink,
        types: request.body.types ?? [],
        vorm: request.body.vorm ?? opties.vorm,
        credential: request.body.sinkCredential?.accessToken ?? null,
      },
      klok(),
    );
    return reply.code(201).header('location', `/abonnementen/${a.id}`).send(weergave(a));
  });

  app.get('/abonnementen', { schema: SCHEMAS.lijst }, async (request) => opslag.abonnementenVan(deelnemerVan(request)!).map(weergave));

  app.get<{ Params: { id: string } }>('/abonnementen/:id', { schema: SCHEMAS.een }, async (request, reply) => {
    const a = eigen(request, reply);
    return a ? weergave(a) : reply;
  });

  app.delete<{ Params: { id: string } }>('/abonnementen/:id', { schema: SCHEMAS.einde }, async (request, reply) => {
    if (!eigen(request, reply)) return reply;
    opslag.beeindigAbonnement(request.params.id, 'opgezegd: deleted by the subscriber', klok());
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string }; Body: { credentialType?: 'ACCESSTOKEN'; accessToken: string } }>(
    '/abonnementen/:id/credential',
    { schema: SCHEMAS.credential },
    async (request, reply) => {
      if (!eigen(request, reply)) return reply;
      opslag.zetCredential(request.params.id, request.body.accessToken);
      return reply.code(204).send();
    },
  );
};
