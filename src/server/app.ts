/**
 * `bouwServer(opties)`: the fastify app of `netwerkbrug serve`, over TLS that asks every client for a
 * certificate of the configured CA. Plugins: operations (health, ready, metrics, openapi), the
 * bronregistratie API and the message routes. Around them, in one place each: the trace context, the
 * identity check (per route), the audit row of every attempt on an audited route (written before the answer
 * leaves: an attempt that cannot be logged is not answered), metrics, one log line per request without
 * URL or body, and errors as problem+json.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_BERICHT_BYTES } from '../bericht/lezen.js';
import { SchemaRegister } from '../bericht/schemas.js';
import { Auditlog } from '../bronregistratie/audit.js';
import { Checkpointer } from '../bronregistratie/checkpoint.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config, Scope } from '../plan/config.js';
import { Deelnemerherkenning, Identiteitsfout } from '../toegang/deelnemer.js';
import { Notificatiestore } from '../bronregistratie/notificatiestore.js';
import { abonnementenRoutes } from '../notificaties/abonnementen-routes.js';
import { instellingen } from '../notificaties/instellingen.js';
import type { Registry } from 'prom-client';
import { Metingen } from './metingen.js';
import type { Omgeving } from './omgeving.js';
import { Probleem, PROBLEEM_MEDIATYPE } from './probleem.js';
import { beheerRoutes } from './routes/beheer.js';
import { berichtRoutes } from './routes/berichten.js';
import { bronregistratieRoutes, SLEUTEL } from './routes/bronregistraties.js';
import { vereis } from './toegang.js';
import { leesTrace, traceparent } from './trace.js';

export interface ServerOpties {
  config: Config;
  /** default: the package's schemas */
  register?: SchemaRegister;
  /** default: the configured database (opened here and closed with the server) */
  bron?: Bronregistratie;
  /** fastify's logger (pino options), or false; default: JSON at `server.logniveau` on stdout */
  logger?: FastifyServerOptions['logger'];
  /** today's date for the grounds check (tests); default: the date in Europe/Amsterdam */
  vandaag?: () => string;
  /** compile every schema before the first request (default true) */
  voorcompileren?: boolean;
  /** metrics of other parts running in this process (the notification worker), exposed at /metrics too */
  metriekregisters?: Registry[];
}

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

const GELUKT: Record<Scope, string> = { 'bronregistratie:lezen': 'verstrekt', 'berichten:uitgaand': 'omgezet', 'berichten:inkomend': 'gerehydrateerd', 'abonnementen:beheren': 'uitgevoerd' };
const UITKOMST: Record<number, string> = { 400: 'ongeldig-verzoek', 401: 'niet-geauthenticeerd', 403: 'geweigerd', 404: 'niet-gevonden', 413: 'afgekeurd', 415: 'ongeldig-verzoek', 422: 'afgekeurd', 501: 'niet-beschikbaar', 502: 'eigenaar-onbereikbaar' };

export async function bouwServer(opties: ServerOpties): Promise<FastifyInstance> {
  const { config } = opties;
  const server = config.server;
  if (!server) throw new NetwerkbrugFout('GEBRUIK', 'the configuration has no server section', { bestand: config.bestand ?? '(configuration)' });
  const register = opties.register ?? SchemaRegister.laad();
  const eigenBron = !opties.bron;
  const bron = opties.bron ?? new Bronregistratie(config.bronregistratie.database);
  const audit = new Auditlog(bron.pad);
  bron.autoCheckpoint(0);
  // compiled before the first request, so it does not pay for them; a schema that does not compile stops the start
  if (opties.voorcompileren !== false) for (const ingang of register.ingangen) register.schema(ingang);
  const o: Omgeving = {
    config,
    register,
    bron,
    audit,
    herkenning: Deelnemerherkenning.maak(server.deelnemers, server.tokens),
    metingen: new Metingen(opties.metriekregisters),
    quarantaine: resolve(server.quarantaine ?? 'quarantaine'),
    vandaag: opties.vandaag ?? (() => AMSTERDAM.format(new Date())),
  };
  const lees = (pad: string) => readFileSync(pad);
  const app = Fastify({
    https: {
      key: lees(server.tls.sleutel),
      cert: lees(server.tls.certificaat),
      ca: lees(server.tls.ca),
      requestCert: true,
      // without tokens a certificate is the only way in: refuse others in the handshake
      rejectUnauthorized: server.tls.clientVerplicht ?? !o.herkenning.tokensAan,
      minVersion: 'TLSv1.2',
    },
    logger: opties.logger ?? {
      level: server.logniveau ?? 'info',
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[weg]' },
    },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'traceId' }),
    genReqId: (req) => leesTrace(req.headers).traceId,
    bodyLimit: MAX_BERICHT_BYTES,
    return503OnClosing: true,
  });

  app.decorateRequest('trace', null as never);
  app.addHook('onRequest', async (request, reply) => {
    const t = leesTrace(request.headers);
    t.traceId = request.id;
    request.trace = t;
    reply.header('traceparent', traceparent(t));
  });

  // the audit row of every attempt on an audited route, whatever its outcome
  app.addHook('onSend', async (request, reply, payload) => {
    const actie = request.routeOptions.config?.actie;
    if (!actie) return payload;
    const p = (request.params ?? {}) as Record<string, string | undefined>;
    const status = reply.statusCode;
    audit.schrijf({
      tijd: new Date().toISOString(),
      traceId: request.trace.traceId,
      deelnemer: request.identiteit?.code ?? null,
      actie,
      object: p.object && informatieobject(p.object) ? p.object : null,
      sleutel: p.sleutel && SLEUTEL.test(p.sleutel) ? p.sleutel : null,
      versie: request.auditVersie ?? null,
      doel: request.doel ?? null,
      uitkomst: status < 300 ? GELUKT[actie] : (UITKOMST[status] ?? 'fout'),
      status,
    });
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(onbekend)';
    const labels = { route, methode: request.method, status: String(reply.statusCode) };
    o.metingen.verzoeken.inc(labels);
    o.metingen.duur.observe(labels, reply.elapsedTime / 1000);
    // the route template, never the URL (it holds a Sleutel or whatever a caller typed); never a body
    request.log.info({ methode: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, deelnemer: request.identiteit?.code }, 'verzoek');
  });

  app.setErrorHandler((fout: FastifyError | Error, request, reply) => {
    const p = alsProbleem(fout);
    if (p.status >= 500 && p.soort === 'interne-fout') request.log.error({ fout: { naam: fout.name, code: (fout as FastifyError).code, stack: fout.stack } }, 'interne fout');
    if (p.status === 401) reply.header('www-authenticate', o.herkenning.tokensAan ? 'Bearer' : 'Mutual');
    return reply.code(p.status).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(p.body));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(new Probleem(404, 'niet-gevonden', 'no such resource').body)));

  await app.register(beheerRoutes, o);
  await app.register(bronregistratieRoutes, o);
  await app.register(berichtRoutes, o);
  // the subscriptions plugin (src/notificaties), behind this server's identity check: it reads the caller from request.deelnemer
  const notificaties = instellingen(config);
  const opslag = new Notificatiestore(bron.pad);
  await app.register(async (abonnementen) => {
    abonnementen.decorateRequest('deelnemer', '');
    const toegang = vereis(o, 'abonnementen:beheren');
    abonnementen.addHook('preHandler', async (request) => {
      await toegang(request);
      (request as typeof request & { deelnemer: string }).deelnemer = request.identiteit!.code;
    });
    await abonnementen.register(abonnementenRoutes, { opslag, ontwikkeling: notificaties.ontwikkeling, vorm: notificaties.vorm });
  });

  const checkpointer = new Checkpointer(bron.pad, 1000, (melding) => app.log.warn({ melding }, 'WAL checkpoint'));
  app.addHook('onClose', async () => {
    await checkpointer.stop();
    bron.autoCheckpoint(1000);
    audit.sluit();
    opslag.sluit();
    if (eigenBron) bron.sluit();
  });
  return app;
}

function alsProbleem(fout: FastifyError | Error): Probleem {
  if (fout instanceof Probleem) return fout;
  if (fout instanceof Identiteitsfout) return new Probleem(fout.status, fout.status === 401 ? 'niet-geauthenticeerd' : 'geen-toegang', fout.message);
  const status = (fout as FastifyError).statusCode;
  if (status === 413) return new Probleem(413, 'te-groot', `the message is larger than ${MAX_BERICHT_BYTES / 1024 / 1024} MB (OP179)`);
  if (status === 415) return new Probleem(415, 'mediatype', 'send the message as application/xml');
  if (status !== undefined && status >= 400 && status < 500) return new Probleem(status, 'ongeldig-verzoek', fout.message);
  return new Probleem(500, 'interne-fout', 'an internal error occurred; the trace id in traceparent identifies it in the logs');
}
