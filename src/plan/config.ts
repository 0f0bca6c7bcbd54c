/**
 * The configuration file (YAML or JSON), validated at load against the JSON Schema that ships with the
 * package (`schema/netwerkbrug.config.schema.json`); every error names the key and what was expected.
 * After loading, the code trusts the typed object.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { NetwerkbrugFout } from '../fout.js';
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { PAKKET_ROOT } from '../pakket.js';

export interface Data {
  sleutelVanaf?: string;
  einddatum?: string;
}

export interface ObjectPlan extends Data {
  afwijkend?: Record<string, Data>;
}

export interface Adres {
  basisUrl: string;
  /** PEM file of the CA to trust for that owner (resolved against the configuration file) */
  ca?: string;
}

export interface Toegang {
  /** months after the toewijzing's einddatum during which the counterpart keeps grounds */
  nalooptijdMaanden: number;
  einddatumHandhaving: 'strict' | 'lenient';
}

export type Scope = 'bronregistratie:lezen' | 'berichten:uitgaand' | 'berichten:inkomend' | 'abonnementen:beheren';
export const SCOPES: readonly Scope[] = ['bronregistratie:lezen', 'berichten:uitgaand', 'berichten:inkomend', 'abonnementen:beheren'];

/** How a participant is recognised by its client certificate. */
export interface DeelnemerCertificaten {
  /** SHA-256 fingerprints, upper-case hex with colons after loading */
  certificaten?: string[];
  /** subject CNs */
  onderwerpen?: string[];
  /** what it may do (default: every scope) */
  scopes?: Scope[];
}

export interface ServerTls {
  certificaat: string;
  sleutel: string;
  ca: string;
  clientCertificaat?: string;
  clientSleutel?: string;
  clientVerplicht?: boolean;
}

export interface ServerTokens {
  uitgever: string;
  publiek: string;
  publiekeSleutel?: string;
  jwks?: string;
  algoritmen?: string[];
  deelnemerClaim?: string;
  maxGeldigheidSeconden?: number;
}

/** `netwerkbrug serve`: file paths are absolute after `laadConfig`. */
export interface ServerConfig {
  adres?: string;
  poort?: number;
  tls: ServerTls;
  deelnemers?: Record<string, DeelnemerCertificaten>;
  tokens?: ServerTokens;
  quarantaine?: string;
  logniveau?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** connection limits and timeouts; defaults in src/server/limieten.ts */
  limieten?: ServerLimieten;
  /** how long a request waits for the database write lock before a 503 (default 500) */
  databaseWachttijdMs?: number;
  /** PRAGMA quick_check every this many seconds (default 3600; 0: only at start) */
  integriteitscontroleSeconden?: number;
  /** /metrics without identity (default false) */
  metricsOpenbaar?: boolean;
}

export interface ServerLimieten {
  verzoekSeconden?: number;
  kopSeconden?: number;
  inactiefSeconden?: number;
  keepAliveSeconden?: number;
  handdrukSeconden?: number;
  maxVerbindingen?: number;
  maxOngeauthenticeerd?: number;
}

/** Where a rule-based recipient (a counterpart) takes its notifications. */
export interface NotificatieOntvanger {
  /** the sink; https, or http on loopback in development mode */
  url: string;
  /** wire shape for this recipient (default: notificaties.vorm) */
  vorm?: 'cloudevents' | 'iwlz';
  /** name of the environment variable holding its bearer token (the token itself is never in the file) */
  credentialOmgeving?: string;
}

export interface Notificaties {
  /** CloudEvents `source`, a URN; `{eigenaar}` is replaced by the owner's code */
  bron?: string;
  /** default wire shape: CloudEvents 1.0 structured JSON (NL GOV profile) or the iWlz notification */
  vorm?: 'cloudevents' | 'iwlz';
  /** allows plain http sinks on loopback (tests, a developer's machine) */
  ontwikkeling?: boolean;
  /** participant code → its notification endpoint */
  ontvangers?: Record<string, NotificatieOntvanger>;
  /** path appended to an `adresboek` basisUrl for a counterpart not in `ontvangers` */
  adresboekPad?: string;
  backoff?: { herhalingen?: number; factorSeconden?: number; basis?: number; maxSeconden?: number; jitter?: number };
  /** recipients delivered to at the same time (each recipient's own order is kept) */
  gelijktijdig?: number;
  timeoutSeconden?: number;
  /** how often the worker looks for new notifications */
  intervalSeconden?: number;
  /** CIDR networks in private, loopback, link-local, unspecified or multicast ranges that sinks may resolve to */
  interneSinks?: string[];
}

export interface Config {
  /** this installation's participant code (gemeentecode or AGB code), when it takes part in the network */
  deelnemer?: { code: string };
  bronregistratie: { database: string; basisUrl?: string };
  informatieobjecten: Record<string, ObjectPlan>;
  toegang: Toegang;
  /** owner code → its bronregistratie API */
  adresboek: Record<string, Adres>;
  /** `netwerkbrug serve` settings */
  server?: ServerConfig;
  /** notification settings; defaults in src/notificaties/instellingen.ts */
  notificaties?: Notificaties;
  /** the file it came from, if any */
  bestand?: string;
}

export const STANDAARD_CONFIG = 'netwerkbrug.yaml';
export const STANDAARD_DATABASE = './netwerkbrug.db';
/** the iWlz keeps contactpersonen available until the toewijzing's einddatum + 2 years */
export const STANDAARD_TOEGANG: Toegang = { nalooptijdMaanden: 24, einddatumHandhaving: 'strict' };
export const CONFIG_SCHEMA = join(PAKKET_ROOT, 'schema', 'netwerkbrug.config.schema.json');

let validator: ReturnType<Ajv['compile']> | undefined;
function valideer(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(CONFIG_SCHEMA, 'utf8')) as object);
  return validator(data) ? [] : (validator.errors ?? []);
}

function sleutelpad(e: ErrorObject): string {
  const pad = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') pad.push(String(e.params.additionalProperty));
  if (e.keyword === 'propertyNames' && e.params.propertyName) pad.push(String(e.params.propertyName));
  return pad.join('.') || '(top level)';
}

function verwacht(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known key';
    case 'propertyNames':
      return 'is not a counterpart code: expected a 4-digit gemeentecode or an 8-digit AGB code';
    case 'pattern':
      return e.schemaPath.includes('datum') ? 'expected a date YYYY-MM-DD' : `expected text matching ${String(e.params.pattern)}`;
    case 'type':
      return `expected ${String(e.params.type)}`;
    default:
      return e.message ?? 'is not valid';
  }
}

const isDatum = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};

/** Checks what JSON Schema cannot: real calendar dates, einddatum not before sleutelVanaf. */
function controleerData(config: Config): string[] {
  const fouten: string[] = [];
  const controleer = (pad: string, d: Data, basis?: Data) => {
    for (const k of ['sleutelVanaf', 'einddatum'] as const) {
      if (d[k] !== undefined && !isDatum(d[k])) fouten.push(`${pad}.${k}: ${d[k]} is not a calendar date`);
    }
    const vanaf = d.sleutelVanaf ?? basis?.sleutelVanaf;
    const eind = d.einddatum ?? basis?.einddatum;
    if (eind !== undefined && vanaf === undefined) fouten.push(`${pad}: einddatum without sleutelVanaf; expected both, or sleutelVanaf alone`);
    if (eind !== undefined && vanaf !== undefined && eind < vanaf) fouten.push(`${pad}: einddatum ${eind} is before sleutelVanaf ${vanaf}`);
  };
  const bekend = INFORMATIEOBJECTEN.map((o) => o.naam);
  for (const [naam, plan] of Object.entries(config.informatieobjecten)) {
    if (!bekend.includes(naam)) fouten.push(`informatieobjecten.${naam}: is not a known informatieobject (known: ${bekend.join(', ')})`);
    controleer(`informatieobjecten.${naam}`, plan);
    for (const [code, d] of Object.entries(plan.afwijkend ?? {})) controleer(`informatieobjecten.${naam}.afwijkend.${code}`, d, plan);
  }
  return fouten;
}

/** Fingerprints as upper-case hex with colons, the form `X509Certificate.fingerprint256` gives. */
const vingerafdruk = (v: string) => v.replace(/:/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');

function normaliseerServer(s: ServerConfig): ServerConfig {
  const deelnemers = Object.fromEntries(
    Object.entries(s.deelnemers ?? {}).map(([code, d]) => [code, { ...d, ...(d.certificaten ? { certificaten: d.certificaten.map(vingerafdruk) } : {}) }]),
  );
  return { ...s, tls: { ...s.tls }, ...(s.tokens ? { tokens: { ...s.tokens } } : {}), deelnemers };
}

/** Validates parsed configuration data; throws GEBRUIK naming every wrong key. */
export function leesConfig(data: unknown, bestand = '(configuration)'): Config {
  const fouten = valideer(data ?? {}).map((e) => `${sleutelpad(e)}: ${verwacht(e)}`);
  if (fouten.length) throw new NetwerkbrugFout('GEBRUIK', `configuration is not valid:\n  ${[...new Set(fouten)].join('\n  ')}`, { bestand });
  const ruw = (data ?? {}) as Partial<Config>;
  const config: Config = {
    ...(ruw.deelnemer ? { deelnemer: ruw.deelnemer } : {}),
    bronregistratie: { database: STANDAARD_DATABASE, ...ruw.bronregistratie },
    informatieobjecten: ruw.informatieobjecten ?? {},
    toegang: { ...STANDAARD_TOEGANG, ...ruw.toegang },
    adresboek: ruw.adresboek ?? {},
    ...(ruw.server ? { server: normaliseerServer(ruw.server) } : {}),
    ...(ruw.notificaties ? { notificaties: ruw.notificaties } : {}),
  };
  const datumFouten = controleerData(config);
  if (datumFouten.length) throw new NetwerkbrugFout('GEBRUIK', `configuration is not valid:\n  ${datumFouten.join('\n  ')}`, { bestand });
  return config;
}

/** Parses YAML or JSON text (JSON is YAML); syntax errors name line and column. */
export function parseConfigTekst(tekst: string, bestand: string): unknown {
  const doc = parseDocument(tekst);
  const fout = doc.errors[0];
  if (fout) {
    const pos = fout.linePos?.[0];
    throw new NetwerkbrugFout('GEBRUIK', `configuration cannot be parsed: ${fout.message.split('\n')[0]}`, {
      bestand,
      ...(pos ? { regel: pos.line, kolom: pos.col } : {}),
    });
  }
  return doc.toJS() as unknown;
}

/**
 * Loads `pad`, or `./netwerkbrug.yaml` when no path is given. Without either the command is refused (exit 2):
 * running with every object inactive and a database in the current folder is never what was meant.
 * The database path is resolved relative to the configuration file.
 */
export function laadConfig(pad?: string): Config {
  if (pad === undefined && !existsSync(STANDAARD_CONFIG)) {
    throw new NetwerkbrugFout(
      'GEBRUIK',
      `no configuration file: ./${STANDAARD_CONFIG} does not exist and --config was not given; make one (netwerkbrug init) or name one with --config`,
      { bestand: STANDAARD_CONFIG },
    );
  }
  const bestand = pad ?? STANDAARD_CONFIG;
  let tekst: string;
  try {
    tekst = readFileSync(bestand, 'utf8');
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `configuration cannot be read: ${(e as Error).message}`, { bestand });
  }
  const config = leesConfig(parseConfigTekst(tekst, bestand), bestand);
  config.bestand = bestand;
  const map = dirname(bestand);
  config.bronregistratie.database = resolve(map, config.bronregistratie.database);
  for (const adres of Object.values(config.adresboek)) if (adres.ca) adres.ca = resolve(map, adres.ca);
  if (config.server) losServerPadenOp(config.server, map);
  return config;
}

/** Resolves the server's file paths against the configuration file's folder; the quarantine folder defaults to ./quarantaine there. */
export function losServerPadenOp(server: ServerConfig, map: string): void {
  const t = server.tls;
  for (const k of ['certificaat', 'sleutel', 'ca', 'clientCertificaat', 'clientSleutel'] as const) {
    const v = t[k];
    if (v !== undefined) t[k] = resolve(map, v);
  }
  if (server.tokens?.publiekeSleutel) server.tokens.publiekeSleutel = resolve(map, server.tokens.publiekeSleutel);
  if (server.tokens?.jwks) server.tokens.jwks = resolve(map, server.tokens.jwks);
  server.quarantaine = resolve(map, server.quarantaine ?? 'quarantaine');
}
