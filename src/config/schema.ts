/**
 * The JSON Schema of the configuration file, written once: the shipped `schema/netwerkbrug.config.schema.json`
 * is generated from this object (`npm run config:schema`; test/config/schema.test.ts keeps the two equal), ajv
 * validates against it (valideren.ts), and the TypeScript types are derived from it (typen.ts, with
 * json-schema-to-ts). A `default` here is one that `leesConfig` fills in, so the loaded `Config` type has that
 * key; defaults that other modules apply (server, notifications) stay in the descriptions.
 */
import type { JSONSchema } from 'json-schema-to-ts';
import { join } from 'node:path';
import { PAKKET_ROOT } from '../pakket.js';

/** A participant code: a gemeente's 4-digit CBS code or an aanbieder's 8-digit AGB code (one pattern for every check). */
export const DEELNEMERCODE = '^([0-9]{4}|[0-9]{8})$';
const DEELNEMERCODE_RE = new RegExp(DEELNEMERCODE);
export const isDeelnemercode = (s: string): boolean => DEELNEMERCODE_RE.test(s);

/** The shipped file, generated from `CONFIG_SCHEMA`. */
export const CONFIG_SCHEMA_BESTAND = join(PAKKET_ROOT, 'schema', 'netwerkbrug.config.schema.json');

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://netwerkbrug.invalid/schema/netwerkbrug.config.schema.json',
  title: 'netwerkbrug configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    deelnemer: {
      type: 'object',
      additionalProperties: false,
      required: ['code'],
      properties: {
        code: {
          type: 'string',
          pattern: DEELNEMERCODE,
          description: "this installation's participant code: a 4-digit gemeentecode or an 8-digit AGB code",
        },
      },
      description: 'who this installation is in the network',
    },
    bronregistratie: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        database: {
          type: 'string',
          minLength: 1,
          default: './netwerkbrug.db',
          description: 'SQLite file of the bronregistratie, relative to the configuration file',
        },
        basisUrl: {
          type: 'string',
          pattern: '^https?://[^\\s/]+(/\\S*)?$',
          description: "base URL of this owner's bronregistratie API, used in links",
        },
        eigenaren: {
          type: 'object',
          propertyNames: { pattern: DEELNEMERCODE },
          minProperties: 1,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['database'],
            properties: {
              database: {
                type: 'string',
                minLength: 1,
                description: "SQLite file of this owner's records, relative to the configuration file; its identity secret is the file beside it (<database>.geheim)",
              },
              poort: {
                type: 'integer',
                minimum: 0,
                maximum: 65535,
                description: "TCP port of this owner's serve process (serve --eigenaar CODE; default server.poort)",
              },
            },
          },
          description:
            "a sidecar for several owners: owner code (gemeentecode or AGB code) -> its own database and identity secret. convert registers each message's objects in its owner's database and quarantines a message of an owner not listed; the other commands name the owner with --eigenaar (docs/bronregistratie.md)",
        },
      },
    },
    informatieobjecten: {
      type: 'object',
      default: {},
      additionalProperties: { $ref: '#/definitions/plan' },
      description: 'per informatieobject (relatie, contactgegevens, client, toewijzing, levering): its cutover dates',
    },
    toegang: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        nalooptijdMaanden: {
          type: 'integer',
          minimum: 0,
          maximum: 1200,
          default: 24,
          description:
            "months after the toewijzing's einddatum, or after the day a record ended for the counterpart (the earlier of the two), during which the counterpart keeps grounds; default 24: declarations and their corrections in the Wmo/Jeugdwet run up to the end of the year after the einddatum's year, which is at most 24 months (docs/bronregistratie.md)",
        },
        doelen: {
          type: 'object',
          propertyNames: { pattern: DEELNEMERCODE },
          additionalProperties: {
            type: 'object',
            additionalProperties: {
              type: 'array',
              uniqueItems: true,
              items: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,49}$' },
            },
          },
          description:
            'counterpart code -> informatieobject -> the purposes (X-Doel) it may read it for, narrowing what the object declares (docs/serve.md); a counterpart or object not listed may use every purpose the object declares; an empty list: none',
        },
        einddatumHandhaving: {
          enum: ['strict', 'lenient'],
          default: 'strict',
          description: "a message that still carries an object's data after its einddatum: strict rejects it, lenient passes, logs and counts it",
        },
      },
      description: 'doelbinding: who may fetch what, and how the einddatum is enforced',
    },
    adresboek: {
      type: 'object',
      default: {},
      propertyNames: { pattern: DEELNEMERCODE },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['basisUrl'],
        properties: {
          basisUrl: {
            type: 'string',
            pattern: '^https?://[^\\s/]+(/\\S*)?$',
            description: "base URL of that owner's bronregistratie API",
          },
          ca: {
            type: 'string',
            minLength: 1,
            description: 'PEM file of the CA to trust for that owner, relative to the configuration file',
          },
          alleenNotificatie: {
            type: 'boolean',
            description: 'a key-only message to this Ontvanger is not answered by POST /berichten/uitgaand (202, nothing to send): it travels as the message-level notification Bericht/{id} alone',
          },
        },
      },
      description: 'owner code -> where its bronregistratie is, used to resolve Sleutels; also where a counterpart takes its notifications',
    },
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['tls'],
      description: 'netwerkbrug serve: listening address, TLS, participants and tokens (see the README)',
      properties: {
        adres: {
          type: 'string',
          minLength: 1,
          description: 'address to listen on (default 127.0.0.1)',
        },
        poort: {
          type: 'integer',
          minimum: 0,
          maximum: 65535,
          description: 'TCP port (default 8443; 0: any free port)',
        },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['certificaat', 'sleutel', 'ca'],
          description: "TLS: this instance's certificate (also its client certificate towards other owners unless clientCertificaat is given) and the CA that signs participants' certificates",
          properties: {
            certificaat: {
              type: 'string',
              minLength: 1,
              description: 'PEM file of the server certificate (chain), relative to the configuration file',
            },
            sleutel: {
              type: 'string',
              minLength: 1,
              description: 'PEM file of its private key',
            },
            ca: {
              type: 'string',
              minLength: 1,
              description: 'PEM file of the CA(s) whose client certificates are accepted',
            },
            clientCertificaat: {
              type: 'string',
              minLength: 1,
              description: 'PEM file of the client certificate used towards other owners (default: certificaat)',
            },
            clientSleutel: {
              type: 'string',
              minLength: 1,
              description: 'PEM file of its private key (default: sleutel)',
            },
            clientVerplicht: {
              type: 'boolean',
              description: 'true: a connection without a client certificate from the CA is refused in the TLS handshake (tokens then come on top); false (default when tokens are configured): bearer tokens alone are accepted',
            },
          },
        },
        deelnemers: {
          type: 'object',
          propertyNames: { pattern: DEELNEMERCODE },
          description: 'participant code -> the client certificates that identify it',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              certificaten: {
                type: 'array',
                items: { type: 'string', pattern: '^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$' },
                description: 'SHA-256 fingerprints of its certificates (hex, colons optional)',
              },
              onderwerpen: {
                type: 'array',
                items: { type: 'string', minLength: 1 },
                description: 'subject CNs of its certificates (only with a CA that issues a CN to one party alone)',
              },
              scopes: {
                type: 'array',
                items: { enum: ['bronregistratie:lezen', 'berichten:uitgaand', 'berichten:inkomend', 'audit:lezen', 'inzage'] },
                description: 'what it may do with a certificate (default: everything but audit:lezen and inzage, which the owner gives its auditors and its citizen portal explicitly)',
              },
            },
          },
        },
        tokens: {
          type: 'object',
          additionalProperties: false,
          required: ['uitgever', 'publiek'],
          description: 'signed bearer tokens (JWT)',
          properties: {
            uitgever: {
              type: 'string',
              minLength: 1,
              description: 'the required iss',
            },
            publiek: {
              type: 'string',
              minLength: 1,
              description: 'the required aud: this resource server',
            },
            publiekeSleutel: {
              type: 'string',
              minLength: 1,
              description: "PEM file (SPKI) of the issuer's verification key",
            },
            jwks: {
              type: 'string',
              minLength: 1,
              description: "JSON file with the issuer's JWK set",
            },
            algoritmen: {
              type: 'array',
              minItems: 1,
              items: { enum: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] },
              description: 'accepted signature algorithms (default ES256, RS256, PS256, EdDSA)',
            },
            deelnemerClaim: {
              type: 'string',
              minLength: 1,
              description: 'claim holding the participant code (default deelnemer)',
            },
            maxGeldigheidSeconden: {
              type: 'integer',
              minimum: 1,
              maximum: 3600,
              description: 'longest accepted exp - iat (default and maximum 3600)',
            },
          },
          oneOf: [
            { required: ['publiekeSleutel'] },
            { required: ['jwks'] },
          ],
        },
        quarantaine: {
          type: 'string',
          minLength: 1,
          description: 'folder for refused messages and their reasons (default ./quarantaine beside the configuration file)',
        },
        logniveau: {
          enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
          description: 'log level (default info)',
        },
        limieten: {
          type: 'object',
          additionalProperties: false,
          description: 'connection limits and timeouts of the HTTPS API (defaults in the README, serve: limits)',
          properties: {
            verzoekSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'time to receive a whole request, headers and body (default 30)',
            },
            kopSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: "time to receive a request's headers (default 10)",
            },
            inactiefSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'a connection with no traffic for this long is closed (default 30)',
            },
            keepAliveSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'an idle keep-alive connection is closed after this long (default 5)',
            },
            handdrukSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'time to complete the TLS handshake (default 10)',
            },
            maxVerbindingen: {
              type: 'integer',
              minimum: 1,
              description: 'open connections at most; new ones beyond are closed at once (default 1000)',
            },
            maxOngeauthenticeerd: {
              type: 'integer',
              minimum: 1,
              description: 'connections at most that have not (yet) shown an accepted identity (no verified client certificate, no accepted token); new ones beyond are closed at once (default 100)',
            },
          },
        },
        databaseWachttijdMs: {
          type: 'integer',
          minimum: 0,
          maximum: 10000,
          description: 'how long a request waits for the database write lock before it is answered 503 with Retry-After (default 500)',
        },
        integriteitscontroleSeconden: {
          type: 'number',
          minimum: 0,
          description: 'PRAGMA quick_check of the database every this many seconds in a worker thread (default 3600; 0: only at start); a failed check makes /ready 503',
        },
        metricsOpenbaar: {
          type: 'boolean',
          description: "true: /metrics without identity; default false: a participant's certificate or token is required",
        },
      },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      description: "the sidecar's audit log",
      properties: {
        bewaartermijnMaanden: {
          type: 'integer',
          minimum: 0,
          maximum: 1200,
          description: 'months that netwerkbrug opschonen keeps an audit entry (default 60); never shorter than the longest retention of an informatieobject',
        },
      },
    },
    notificaties: {
      type: 'object',
      additionalProperties: false,
      description: "informatie-arme notificaties: source, wire shape, recipients' endpoints, delivery (see the README, Notificaties)",
      properties: {
        bron: {
          type: 'string',
          pattern: '^urn:nld:[a-z0-9-]+:\\S+$',
          description: "CloudEvents source, a URN (urn:nld:oin:...:systeem:..., urn:nld:gemeente:0344:netwerkbrug); {eigenaar} is replaced by the owner's code",
        },
        vorm: {
          enum: ['cloudevents', 'iwlz'],
          description: 'wire shape: CloudEvents 1.0 structured JSON (NL GOV profile) or the iWlz notification (zendNotificatie)',
        },
        ontwikkeling: {
          type: 'boolean',
          description: 'development mode: plain http sinks allowed on loopback (127.0.0.1, ::1, localhost) only',
        },
        ontvangers: {
          type: 'object',
          propertyNames: { pattern: DEELNEMERCODE },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['url'],
            properties: {
              url: {
                type: 'string',
                pattern: '^https?://[^\\s/]+(/\\S*)?$',
                description: "the recipient's notification endpoint",
              },
              vorm: {
                enum: ['cloudevents', 'iwlz'],
                description: 'wire shape: CloudEvents 1.0 structured JSON (NL GOV profile) or the iWlz notification (zendNotificatie)',
              },
              credentialOmgeving: {
                type: 'string',
                pattern: '^[A-Z_][A-Z0-9_]*$',
                description: 'environment variable holding the bearer token for this endpoint',
              },
            },
          },
          description: 'participant code -> its notification endpoint (rule-based recipients)',
        },
        adresboekPad: {
          type: 'string',
          pattern: '^/\\S*$',
          description: 'for a counterpart not in ontvangers: this path appended to its adresboek basisUrl',
        },
        backoff: {
          type: 'object',
          additionalProperties: false,
          description: 'retry schedule: delay = factorSeconden x basis^n (capped at maxSeconden), +/- jitter; default as Open Notificaties: 7 retries over about a day',
          properties: {
            herhalingen: {
              type: 'integer',
              minimum: 0,
              maximum: 100,
              description: 'retries after the first try before dead-letter (default 7)',
            },
            factorSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'first retry delay (default 25)',
            },
            basis: {
              type: 'number',
              minimum: 1,
              description: 'growth per retry (default 4)',
            },
            maxSeconden: {
              type: 'number',
              exclusiveMinimum: 0,
              description: 'cap on one delay (default 52000)',
            },
            jitter: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              description: 'fraction by which a delay varies at random (default 0.1)',
            },
          },
        },
        gelijktijdig: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: "recipients delivered to at once (default 16); each recipient's order is kept",
        },
        timeoutSeconden: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'time allowed for one delivery (default 10)',
        },
        intervalSeconden: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'how often the worker looks for new notifications (default 1)',
        },
        bewaartermijnDagen: {
          type: 'integer',
          minimum: 0,
          maximum: 3650,
          description: 'days after its last change that netwerkbrug opschonen keeps a finished delivery (geleverd, vervallen, dood) (default 30)',
        },
        interneSinks: {
          type: 'array',
          items: { type: 'string', pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$' },
          description: 'networks (CIDR, IPv4 or IPv6) in private, loopback, link-local, unspecified or multicast ranges that sinks may nevertheless resolve to (default none; loopback is allowed in development mode)',
        },
      },
    },
    ontvangst: {
      type: 'object',
      additionalProperties: false,
      required: ['aflevering'],
      description: 'the receiving sidecar (serve): message notifications in at POST /notificaties, each message fetched, rehydrated and handed to the legacy system (see docs/serve.md, Ontvangst)',
      properties: {
        aflevering: {
          type: 'object',
          additionalProperties: false,
          description: 'where the full 3.2 message goes: a folder (map) or an HTTP endpoint of the legacy system (url), exactly one',
          properties: {
            map: { type: 'string', minLength: 1, description: 'folder the full messages are written to (atomically, mode 0600, <BERICHTTYPE>-<event id>.xml); must exist and be writable' },
            url: { type: 'string', pattern: '^https?://[^\\s/]+(/\\S*)?$', description: 'endpoint the full message is POSTed to (application/xml, idempotency-key: the event id)' },
          },
          oneOf: [{ required: ['map'] }, { required: ['url'] }],
        },
        backoff: {
          type: 'object',
          additionalProperties: false,
          description: 'retry schedule of a message that cannot be fetched yet; default the notification backoff (notificaties.backoff)',
          properties: {
            herhalingen: { type: 'integer', minimum: 0, maximum: 100, description: 'retries after the first try before dood (default 7)' },
            factorSeconden: { type: 'number', exclusiveMinimum: 0, description: 'first retry delay (default 25)' },
            basis: { type: 'number', minimum: 1, description: 'growth per retry (default 4)' },
            maxSeconden: { type: 'number', exclusiveMinimum: 0, description: 'cap on one delay (default 52000)' },
            jitter: { type: 'number', minimum: 0, maximum: 1, description: 'fraction by which a delay varies at random (default 0.1)' },
          },
        },
        intervalSeconden: { type: 'number', exclusiveMinimum: 0, description: 'how often the worker looks for due inbox rows (default 1)' },
        timeoutSeconden: { type: 'number', exclusiveMinimum: 0, description: 'time allowed for one fetch or hand-over (default 10)' },
      },
    },
  },
  definitions: {
    datum: {
      type: 'string',
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
      description: 'a date, YYYY-MM-DD',
    },
    data: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sleutelVanaf: { $ref: '#/definitions/datum' },
        einddatum: { $ref: '#/definitions/datum' },
      },
    },
    plan: {
      type: 'object',
      additionalProperties: false,
      properties: {
        sleutelVanaf: { $ref: '#/definitions/datum' },
        einddatum: { $ref: '#/definitions/datum' },
        afwijkend: {
          type: 'object',
          propertyNames: { pattern: DEELNEMERCODE },
          additionalProperties: { $ref: '#/definitions/data' },
        },
        bewaartermijnMaanden: {
          type: 'integer',
          minimum: 0,
          maximum: 1200,
          description:
            "months after a record's end (every counterpart's toewijzing ended or the object ended for it) that netwerkbrug opschonen keeps it (default toegang.nalooptijdMaanden + 12: 36 with the default tail); never shorter than toegang.nalooptijdMaanden (see docs/bronregistratie.md, Retention)",
        },
      },
    },
  },
} as const satisfies JSONSchema;
