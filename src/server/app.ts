/**
 * `bouwServer(opties)`: the fastify app of `netwerkbrug serve`, over TLS that asks every client for a
 * certificate of the configured CA. Plugins: the OpenAPI document (generated from the route schemas),
 * operations (health, ready, metrics, openapi), the bronregistratie API and the message routes. Around them,
 * in one place each: the trace context, the identity check (per route), the audit row of every attempt on an
 * audited route (written before the answer leaves: an attempt that cannot be logged is not answered), metrics,
 * one log line per request without URL or body, and errors as problem+json.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { constants as crypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { resolve } from 'node:path';
import { MAX_BERICHT_BYTES } from '../bericht/lezen.js';
import { SchemaRegister } from '../bericht/schemas.js';
import { Auditlog } from '../bronregistratie/audit.js';
import { wetVan } from '../bronregistratie/wet.js';
import { Checkpointer } from '../bronregistratie/checkpoint.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { informatieobject } from '../informatieobject/catalogus.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Config, Scope } from '../config/typen.js';
import { Deelnemerherkenning } from '../toegang/deelnemer.js';
import { Notificatiestore } from '../bronregistratie/notificatiestore.js';
import { abonnementenRoutes } from './routes/abonnementen.js';
import { auditRoutes } from './routes/audit.js';
import { inzageRoutes } from './routes/inzage.js';
import { instellingen } from '../notificaties/instellingen.js';
import type { Registry } from 'prom-client';
import { eisGaveDatabase, Integriteitscontrole, isBezet, STANDAARD_INTEGRITEITSCONTROLE_S, STANDAARD_WACHTTIJD_MS, Zekering } from './database.js';
import { limieten, Verbindingbewaker } from './limieten.js';
import { Metingen } from './metingen.js';
import type { Omgeving } from './omgeving.js';
import { registreerOpenapi } from './openapi.js';
import { Probleem, PROBLEEM_MEDIATYPE } from './probleem.js';
import { ontbrekendSchema, validatiefout } from './schemas.js';
import { beheerRoutes } from './routes/beheer.js';
import { berichtRoutes } from './routes/berichten.js';
import { notificatieRoutes } from './routes/notificaties.js';
import { Inbox } from '../ontvangst/inbox.js';
import { ontvangstInstellingen } from '../ontvangst/instellingen.js';
import { Ontvangstwerker } from '../ontvangst/werker.js';
import { maakOplosser } from '../netwerk/api-oplosser.js';
import { bronregistratieRoutes, SLEUTEL } from './routes/bronregistraties.js';
import { vereis } from './toegang.js';
import { leesTrace, traceparent, type Tracecontext } from './trace.js';

export interface ServerOpties {
  config: Config;
  /** default: the package's schemas */
  register?: SchemaRegister;
  /** the Bronregistratie store; default: the configured database (opened here and closed with the server) */
  bronregistratie?: Bronregistratie;
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
let datumVan = { seconde: -1, datum: '' };
/** today's date in Europe/Amsterdam, formatted once a second (not once per request) */
function vandaagInAmsterdam(): string {
  const seconde = Math.floor(Date.now() / 1000);
  if (seconde !== datumVan.seconde) datumVan = { seconde, datum: AMSTERDAM.format(new Date(seconde * 1000)) };
  return datumVan.datum;
}

/** the trace context of each request, read once when fastify asks for its id */
const traces = new WeakMap<object, Tracecontext>();

/**
 * TLS 1.2 limited to the NCSC "goed" suites (ECDHE with AES-GCM or ChaCha20-Poly1305: no CBC, SHA-1, CCM8 or
 * ARIA); TLS 1.3 (AES-GCM, ChaCha20-Poly1305) is preferred whenever the client offers it.
 */
export const TLS_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/** on every answer: HTTPS only from now on (a year), and no content sniffing */
const BEVEILIGINGSKOPPEN = { 'strict-transport-security': 'max-age=31536000', 'x-content-type-options': 'nosniff' };

/** A file of the server section, or one sentence naming its key. */
function leesBestand(sleutel: string, pad: string): Buffer {
  try {
    return readFileSync(pad);
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `${sleutel}: the file cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { bestand: pad });
  }
}

const GELUKT: Record<Scope, string> = { 'bronregistratie:lezen': 'verstrekt', 'berichten:uitgaand': 'omgezet', 'berichten:inkomend': 'gerehydrateerd', 'abonnementen:beheren': 'uitgevoerd', 'audit:lezen': 'verstrekt', inzage: 'verstrekt' };
const UITKOMST: Record<number, string> = { 400: 'ongeldig-verzoek', 401: 'niet-geauthenticeerd', 403: 'geweigerd', 404: 'niet-gevonden', 413: 'afgekeurd', 415: 'ongeldig-verzoek', 422: 'afgekeurd', 501: 'niet-beschikbaar', 502: 'eigenaar-onbereikbaar' };

export async function bouwServer(opties: ServerOpties): Promise<FastifyInstance> {
  const { config } = opties;
  const server = config.server;
  if (!server) throw new NetwerkbrugFout('GEBRUIK', 'the configuration has no server section', { bestand: config.bestand ?? '(configuration)' });
  const register = opties.register ?? SchemaRegister.laad();
  const l = limieten(server.limieten);
  const bestand = config.bestand ?? '(configuration)';
  // files and keys first: a configuration mistake is one sentence before anything is opened
  const tls = {
    key: leesBestand('server.tls.sleutel', server.tls.sleutel),
    cert: leesBestand('server.tls.certificaat', server.tls.certificaat),
    ca: leesBestand('server.tls.ca', server.tls.ca),
  };
  // the receiving side (ontvangst): its delivery folder must exist and be writable
  const ontvangen = ontvangstInstellingen(config);
  let herkenning: Deelnemerherkenning;
  try {
    herkenning = Deelnemerherkenning.maak(server.deelnemers, server.tokens);
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `server.tokens: the verification key cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0]})`, { bestand });
  }
  const gegeven = opties.bronregistratie;
  const eigenBronregistratie = !gegeven;
  const bronregistratie = gegeven ?? new Bronregistratie(config.bronregistratie.database);
  try {
    // a damaged database stops the start (one sentence, exit 2): never a server that cannot be ready
    eisGaveDatabase(bronregistratie.pad);
  } catch (e) {
    if (eigenBronregistratie) bronregistratie.sluit();
    throw e;
  }
  const wachttijd = server.databaseWachttijdMs ?? STANDAARD_WACHTTIJD_MS;
  bronregistratie.wachttijd(wachttijd);
  const audit = new Auditlog(bronregistratie.pad, wachttijd, bronregistratie.verbinding);
  bronregistratie.autoCheckpoint(0);
  // compiled before the first request, so it does not pay for them; a schema that does not compile stops the start
  if (opties.voorcompileren !== false) for (const ingang of register.ingangen) register.schema(ingang);
  const o: Omgeving = {
    config,
    register,
    bronregistratie,
    audit,
    herkenning,
    metingen: new Metingen(opties.metriekregisters),
    quarantaine: resolve(server.quarantaine ?? 'quarantaine'),
    vandaag: opties.vandaag ?? vandaagInAmsterdam,
    verbindingen: new Verbindingbewaker(l.maxOngeauthenticeerd, () => o.metingen.verbindingenGeweigerd.inc()),
    zekering: new Zekering(),
    integriteit: new Integriteitscontrole(bronregistratie.pad, server.integriteitscontroleSeconden ?? STANDAARD_INTEGRITEITSCONTROLE_S),
  };
  let app: FastifyInstance;
  try {
    app = Fastify({
    https: {
      ...tls,
      requestCert: true,
      // without tokens a certificate is the only way in: refuse others in the handshake
      rejectUnauthorized: server.tls.clientVerplicht ?? !o.herkenning.tokensAan,
      minVersion: 'TLSv1.2',
      ciphers: TLS_SUITES,
      honorCipherOrder: true,
      // a client may not renegotiate (TLS 1.2; TLS 1.3 has none)
      secureOptions: crypto.SSL_OP_NO_RENEGOTIATION,
      handshakeTimeout: l.handdrukMs,
      // node:http's own timeouts, checked this often (its default, 30 s, lets a slow client stay that much longer)
      headersTimeout: l.kopMs,
      requestTimeout: l.verzoekMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(l.kopMs / 2))),
    },
    connectionTimeout: l.inactiefMs,
    keepAliveTimeout: l.keepAliveMs,
    requestTimeout: l.verzoekMs,
    // fastify's own answers to a bad or too long URL: problem+json that does not echo the URL
    frameworkErrors: (fout, _request, reply) => {
      const status = fout.statusCode === 414 ? 414 : 400;
      const p = new Probleem('ONGELDIG_VERZOEK', status === 414 ? 'a path segment of the URL is too long' : 'the URL is not valid', {}, status);
      void (reply as FastifyReply).code(status).headers(BEVEILIGINGSKOPPEN).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(p.body));
    },
    logger: opties.logger ?? {
      level: server.logniveau ?? 'info',
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[weg]' },
    },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'traceId' }),
    genReqId: (req) => {
      const t = leesTrace(req.headers);
      traces.set(req, t);
      return t.traceId;
    },
    bodyLimit: MAX_BERICHT_BYTES,
    return503OnClosing: true,
    // a request that breaks its route's schema (query, params, headers, body): 400 problem+json of the error vocabulary
    schemaErrorFormatter: validatiefout,
    });
  } catch (e) {
    await o.integriteit.stop();
    audit.sluit();
    if (eigenBronregistratie) bronregistratie.sluit();
    throw new NetwerkbrugFout('GEBRUIK', `server.tls: the certificate, key or CA cannot be used (${(e as Error).message.split('\n')[0]})`, { bestand });
  }
  o.verbindingen.bewaak(app.server as HttpsServer);
  app.server.maxConnections = l.maxVerbindingen;

  /** requests answered 503 because the database was busy: their audit row cannot be written either */
  const bezet = new WeakSet<FastifyRequest>();
  const bezetProbleem = () => new Probleem('BEZET', 'the database is busy; try again shortly (Retry-After)');

  app.decorateRequest('trace', null as never);
  app.addHook('onRequest', async (request, reply) => {
    const t = traces.get(request.raw) ?? { ...leesTrace(request.headers), traceId: request.id };
    request.trace = t;
    reply.header('traceparent', traceparent(t)).headers(BEVEILIGINGSKOPPEN);
    // just after the database was found busy, a request that needs it is answered at once instead of waiting again
    if (o.zekering.doorgeslagen && heeftDatabaseNodig(request)) {
      bezet.add(request);
      throw bezetProbleem();
    }
  });

  // the audit row of every attempt on an audited route, whatever its outcome
  app.addHook('onSend', async (request, reply, payload) => {
    const actie = request.routeOptions.config?.actie;
    if (!actie || bezet.has(request)) return payload;
    const p = (request.params ?? {}) as Record<string, string | undefined>;
    const status = reply.statusCode;
    // a kept message is logged as object `bericht` with its id in the Sleutel column (GET /berichten/{id})
    const m = request.auditBericht;
    const object = m ? 'bericht' : p.object && informatieobject(p.object) ? p.object : null;
    const sleutel = m ? m.id : p.sleutel && SLEUTEL.test(p.sleutel) ? p.sleutel : null;
    try {
      audit.schrijf({
      tijd: new Date().toISOString(),
      traceId: request.trace.traceId,
      deelnemer: request.identiteit?.code ?? null,
      actie,
      object,
      sleutel,
      versie: request.auditVersie ?? null,
      doel: request.doel ?? null,
      uitkomst: m && status < 300 ? m.uitkomst : status < 300 ? GELUKT[actie] : (UITKOMST[status] ?? 'fout'),
      status,
      wet: request.auditWet !== undefined ? request.auditWet : m ? null : wetVan(bronregistratie.verbinding, sleutel),
      // the route states its ground (the verdict it answered by); a request refused before it (401, 400) has none
      grond: request.auditGrond ?? null,
      kanaal: 'http',
    });
    } catch (e) {
      if (!isBezet(e)) throw e;
      // not logged, so not answered: the answer becomes the 503 (without an audit row, which cannot be written)
      o.zekering.slaDoor();
      bezet.add(request);
      reply.code(503).type(PROBLEEM_MEDIATYPE).header('retry-after', String(o.zekering.wachtSeconden)).removeHeader('cache-control');
      if (!request.raw.complete) reply.header('connection', 'close');
      return JSON.stringify(bezetProbleem().body);
    }
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
    if (isBezet(fout)) {
      o.zekering.slaDoor();
      bezet.add(request);
    }
    const p = isBezet(fout) ? bezetProbleem() : alsProbleem(fout);
    if (p.status >= 500 && p.code !== 'BEZET' && p.code !== 'NIET_GEREED') request.log.error({ fout: { naam: fout.name, code: fout instanceof NetwerkbrugFout ? fout.code : (fout as FastifyError).code, stack: fout.stack } }, 'interne fout');
    if (p.status === 401) reply.header('www-authenticate', o.herkenning.tokensAan ? 'Bearer' : 'Mutual');
    if (bezet.has(request)) reply.header('retry-after', String(o.zekering.wachtSeconden));
    // answered before its body was read (or without identity): the connection is closed, nothing more of it is taken in
    if (p.status === 401 || !request.raw.complete) reply.header('connection', 'close');
    return reply.code(p.status).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(p.body));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type(PROBLEEM_MEDIATYPE).send(JSON.stringify(new Probleem('NIET_GEVONDEN', 'no such resource').body)));

  // every route declares its schemas (input and answers): fastify checks the input by them, and the OpenAPI document is made of them
  app.addHook('onRoute', (route) => {
    const ontbreekt = route.method === 'HEAD' ? undefined : ontbrekendSchema(route);
    if (ontbreekt) throw new NetwerkbrugFout('INTERNE_FOUT', `${ontbreekt} (src/server/schemas.ts)`);
  });
  await registreerOpenapi(app);
  await app.register(beheerRoutes, o);
  await app.register(bronregistratieRoutes, o);
  await app.register(berichtRoutes, o);
  await app.register(auditRoutes, o);
  await app.register(inzageRoutes, o);
  // the subscriptions routes, behind this server's identity check (scope abonnementen:beheren): the caller is request.identiteit
  const notificaties = instellingen(config);
  const opslag = new Notificatiestore(bronregistratie.pad);
  await app.register(async (abonnementen) => {
    abonnementen.addHook('onRequest', vereis(o, 'abonnementen:beheren'));
    await abonnementen.register(abonnementenRoutes, { opslag, ontwikkeling: notificaties.ontwikkeling, vorm: notificaties.vorm, sinkAdresFout: (sink) => notificaties.sinkbeleid.controleer(sink) });
  });

  // the receiving side: the inbox (its table made here), its worker started when the server is ready, stopped first on close
  let ontvangst: { inbox: Inbox; werker: Ontvangstwerker } | undefined;
  if (ontvangen) {
    const inbox = new Inbox(bronregistratie.verbinding);
    let werker: Ontvangstwerker | undefined;
    // the worker's attempt in hand travels along as the trace context of every request it makes
    const netwerk = maakOplosser(config, bronregistratie, { timeoutMs: ontvangen.timeoutMs, traceparent: () => werker?.traceparent });
    werker = new Ontvangstwerker(o, inbox, netwerk, ontvangen, { log: (regel, melding) => app.log.info({ ontvangst: true, ...regel }, melding) });
    const w = werker;
    ontvangst = { inbox, werker: w };
    app.addHook('onReady', async () => w.start());
    app.addHook('preClose', async () => {
      await w.stop();
      await netwerk.sluit();
    });
  }
  await app.register(notificatieRoutes, { o, ...(ontvangst ? { ontvangst } : {}) });

  const checkpointer = new Checkpointer(bronregistratie.pad, 1000, (melding) => app.log.warn({ melding }, 'WAL checkpoint'));
  app.addHook('onClose', async () => {
    await o.integriteit.stop();
    await checkpointer.stop();
    bronregistratie.autoCheckpoint(1000);
    audit.sluit();
    opslag.sluit();
    if (eigenBronregistratie) bronregistratie.sluit();
  });
  return app;
}

/** the routes that read or write the database (the operations routes do not) */
const heeftDatabaseNodig = (request: FastifyRequest) => Boolean(request.routeOptions.config?.actie) || (request.routeOptions.url ?? '').startsWith('/abonnementen');

function alsProbleem(fout: FastifyError | Error): Probleem {
  if (fout instanceof Probleem) return fout;
  // any other error of the vocabulary keeps its own status and title; a server-side one names no detail
  if (fout instanceof NetwerkbrugFout) return new Probleem(fout.code, fout.status < 500 ? fout.message : 'the server cannot answer this now; the trace id in traceparent identifies it in the logs');
  const status = (fout as FastifyError).statusCode;
  if (status === 413) return new Probleem('TE_GROOT', `the message is larger than ${MAX_BERICHT_BYTES / 1024 / 1024} MB (OP179)`);
  if (status === 415) return new Probleem('MEDIATYPE', 'send the message as application/xml');
  if (status !== undefined && status >= 400 && status < 500) return new Probleem('ONGELDIG_VERZOEK', fout.message, {}, status);
  return new Probleem('INTERNE_FOUT', 'an internal error occurred; the trace id in traceparent identifies it in the logs');
}
