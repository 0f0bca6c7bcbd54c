/**
 * The configuration's types, derived from its JSON Schema (schema.ts) with json-schema-to-ts, so they are
 * never written twice: a key added to the schema is in the type, a key that is not in the schema is not.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { CONFIG_SCHEMA } from './schema.js';

/** What a configuration file may hold, as the schema accepts it: a key with a `default` may be missing. */
export type ConfigBestand = FromSchema<typeof CONFIG_SCHEMA, { keepDefaultedPropertiesOptional: true }>;

/**
 * A loaded configuration (`leesConfig`, `laadConfig`): the keys with a `default` in the schema are filled in,
 * certificate fingerprints are upper-case hex with colons, and after `laadConfig` file paths are absolute.
 */
export type Config = FromSchema<typeof CONFIG_SCHEMA> & {
  /** the file it came from, if any */
  bestand?: string;
};

/** One informatieobject's cutover dates, with per-counterpart overrides. */
export type ObjectPlan = Config['informatieobjecten'][string];
/** A counterpart's own dates for an object (`afwijkend`). */
export type Data = NonNullable<ObjectPlan['afwijkend']>[string];
/** Where an owner's bronregistratie API is (`adresboek`); `ca` is resolved against the configuration file. */
export type Adres = Config['adresboek'][string];
/** Doelbinding: months of grounds after the einddatum, and how the einddatum is enforced. */
export type Toegang = Config['toegang'];

/** `netwerkbrug serve`: file paths are absolute after `laadConfig`. */
export type ServerConfig = NonNullable<Config['server']>;
/** How a participant is recognised by its client certificate. */
export type DeelnemerCertificaten = NonNullable<ServerConfig['deelnemers']>[string];
/** Signed bearer tokens: `publiekeSleutel` or `jwks`, one of the two. */
export type ServerTokens = NonNullable<ServerConfig['tokens']>;
/** Connection limits and timeouts; defaults in src/server/limieten.ts. */
export type ServerLimieten = NonNullable<ServerConfig['limieten']>;

/** Notification settings; defaults in src/notificaties/instellingen.ts. */
export type Notificaties = NonNullable<Config['notificaties']>;
/** Where a rule-based recipient (a counterpart) takes its notifications. */
export type NotificatieOntvanger = NonNullable<Notificaties['ontvangers']>[string];
/** The receiving sidecar: where rebuilt messages are handed over; defaults in src/ontvangst/instellingen.ts. */
export type Ontvangst = NonNullable<Config['ontvangst']>;

/**
 * Everything a participant may do. A token carries any of them; a certificate participant's `scopes` in the
 * schema lists the ones that can be given to a certificate explicitly (without `scopes` it has all of these).
 */
export const SCOPES = ['bronregistratie:lezen', 'berichten:uitgaand', 'berichten:inkomend', 'abonnementen:beheren', 'audit:lezen', 'inzage'] as const;
export type Scope = (typeof SCOPES)[number];
/**
 * What a certificate participant without `scopes` may do: everything but the owner's own business, the
 * audit log (`audit:lezen`, its auditors) and inzage (`inzage`, its portal for citizens), which are given
 * only explicitly.
 */
export const STANDAARD_SCOPES: readonly Scope[] = ['bronregistratie:lezen', 'berichten:uitgaand', 'berichten:inkomend', 'abonnementen:beheren'];

/**
 * This instance's client certificate and key towards other sidecars (fetching records, notifying them):
 * `server.tls.clientCertificaat`/`clientSleutel`, else the server's own; undefined without `server.tls`.
 */
export function clientTls(config: Config): { certificaat: string; sleutel: string } | undefined {
  const tls = config.server?.tls;
  const certificaat = tls?.clientCertificaat ?? tls?.certificaat;
  const sleutel = tls?.clientSleutel ?? tls?.sleutel;
  return certificaat && sleutel ? { certificaat, sleutel } : undefined;
}
