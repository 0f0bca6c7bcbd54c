/**
 * The starter configuration `netwerkbrug init` writes: every section the sidecar needs, for a gemeente or an
 * aanbieder, with one comment line per key saying what it does. Written as text (not through the YAML
 * library) so the comments sit where an administrator reads them; a test keeps it valid against the schema.
 */
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { PAKKET_VERSIE } from '../pakket.js';

export type Rol = 'gemeente' | 'aanbieder';
export const ROLLEN: readonly Rol[] = ['gemeente', 'aanbieder'];

export interface Sjabloonopties {
  rol: Rol;
  /** 4-digit gemeentecode or 8-digit AGB code */
  code: string;
  /** folder of the database and the quarantine, relative to the configuration file or absolute (default `.`) */
  data?: string;
  /** TCP port of the sidecar (default 8443) */
  poort?: number;
}

/** The code a role has: a gemeente a 4-digit gemeentecode, an aanbieder an 8-digit AGB code. */
export const CODEVORM: Record<Rol, RegExp> = { gemeente: /^[0-9]{4}$/, aanbieder: /^[0-9]{8}$/ };

/** A path in the file: `./x` for a relative folder, quoted as a YAML (JSON) string. */
function pad(map: string, naam: string): string {
  const basis = map.replace(/\/+$/, '') || '/';
  const p = basis === '.' ? `./${naam}` : basis.endsWith('/') ? `${basis}${naam}` : `${basis}/${naam}`;
  return JSON.stringify(p.startsWith('/') || p.startsWith('./') || p.startsWith('../') ? p : `./${p}`);
}

export function starterConfig(o: Sjabloonopties): string {
  const gemeente = o.rol === 'gemeente';
  const data = o.data ?? '.';
  const voorbeeldTegenpartij = gemeente ? '"12345678"' : '"0344"';
  const objecten = INFORMATIEOBJECTEN.map(
    (obj) => `  # ${obj.naam}: its sleutelVanaf and einddatum (none: inactief); bewaartermijnMaanden: months a record is kept after its end (default nalooptijdMaanden + 12)\n  ${obj.naam}: {}`,
  ).join('\n');
  return `# netwerkbrug configuration for ${o.rol} ${o.code}, written by \`netwerkbrug init\` (netwerkbrug ${PAKKET_VERSIE}).
# Relative paths are relative to this file. Every key is described in docs/convert.md and docs/serve.md and in the package's
# schema/netwerkbrug.config.schema.json. Check this file and the files it names with:
#   netwerkbrug config controleer --config <this file>

# who this installation is in the network
deelnemer:
  # this installation's participant code: ${gemeente ? 'the 4-digit gemeentecode' : 'the 8-digit AGB code'}
  code: "${o.code}"

# the bronregistratie: where this owner's records, versions, outbox, audit log and delivery state are kept
bronregistratie:
  # the SQLite file; its identity secret is kept beside it as <database>.geheim (mode 0600; back it up apart)
  database: ${pad(data, 'netwerkbrug.db')}
  # the base URL under which others reach this bronregistratie's API (used in the links of notifications)
  basisUrl: "https://127.0.0.1:${o.poort ?? 8443}"
  # a sidecar for several owners keeps each one's records in a database with its own secret
  # (docs/bronregistratie.md); commands then name the owner with --eigenaar:
  # eigenaren:
  #   "0344": { database: "./eigenaren/0344.db" }
  #   "0599": { database: "./eigenaren/0599.db", poort: 8444 }

# doelbinding: who may fetch a record, and how long
toegang:
  # months after a toewijzing's einddatum (or the day a record ended for the counterpart) during which it keeps
  # grounds; 24 covers Wmo/Jeugdwet declaration corrections up to the end of the following year
  # toegang.doelen narrows the purposes (X-Doel) per counterpart, e.g. doelen: { "12345678": { relatie: [zorglevering] } }
  nalooptijdMaanden: 24
  # a message that still carries an object's data after its einddatum: strict refuses it, lenient passes and counts it
  einddatumHandhaving: strict

# retention of the audit log (netwerkbrug opschonen; docs/bronregistratie.md, Retention): uncomment to change it
# audit:
#   bewaartermijnMaanden: 60

# owner code -> where its bronregistratie API is, to resolve its Sleutels${gemeente ? ' and, with notificaties.adresboekPad, to notify it' : ''}.
# One entry per counterpart; ca is the PEM file of the CA to trust for it. Replace {} by entries such as:
#   ${voorbeeldTegenpartij}: { basisUrl: "https://${gemeente ? 'aanbieder' : 'gemeente'}.example:8443", ca: ./tls/ca.pem }
${gemeente ? '# alleenNotificatie: true in an entry: a key-only 301 to that aanbieder is not answered by POST /berichten/uitgaand\n# (202): it travels as the notification nl.netwerkbrug.bericht.wmo301 alone (docs/notificaties.md).\n' : ''}adresboek: {}

# netwerkbrug serve: the HTTPS API over mutual TLS
server:
  # the address to listen on (0.0.0.0: every interface)
  adres: 127.0.0.1
  # the TCP port
  poort: ${o.poort ?? 8443}
  # the folder for refused messages and their reasons; they hold personal data, keep it private
  quarantaine: ${pad(data, 'quarantaine')}
  # log level of the JSON log lines on stdout: fatal, error, warn, info, debug, trace or silent
  logniveau: info
  # TLS: this sidecar's certificate and key, and the CA whose client certificates it accepts
  tls:
    # PEM certificate (chain) of this sidecar; also its client certificate towards other owners
    certificaat: ./tls/server.pem
    # PEM private key of that certificate (mode 0600)
    sleutel: ./tls/server.key
    # PEM file of the CA(s) whose client certificates are accepted
    ca: ./tls/ca.pem
  # identity: participant code -> the SHA-256 fingerprints of its client certificates
  # (openssl x509 -noout -fingerprint -sha256 -in CERT). Replace {} by entries such as:
  #   "${o.code}": { certificaten: ["3F:A2:...:9C"] }                     # this ${o.rol}'s own software
  #   ${voorbeeldTegenpartij}: { certificaten: ["..."], scopes: [bronregistratie:lezen] }   # a counterpart
  deelnemers: {}
  # bearer tokens (JWT) as a second identity mode: uncomment and fill in
  # tokens:
  #   uitgever: https://auth.example.nl           # the required iss
  #   publiek: https://bron.example.nl            # the required aud: this sidecar
  #   publiekeSleutel: ./tls/token-uitgever.pem   # PEM key of the issuer (or jwks: a JWK set file)

# informatie-arme notificaties: sent by \`serve --notificaties\` or \`notificaties bezorg\`
notificaties:
  # CloudEvents source, a URN; {eigenaar} becomes the owner's code
  bron: "urn:nld:${gemeente ? 'gemeente' : 'agb'}:{eigenaar}:netwerkbrug"
  # default wire shape: cloudevents (CloudEvents 1.0, NL GOV profile) or iwlz (zendNotificatie)
  vorm: cloudevents
  # the path added to a counterpart's adresboek basisUrl to reach its notification endpoint
  adresboekPad: /notificaties
  # participant code -> its own notification endpoint, for a counterpart not reached through the adresboek
  ontvangers: {}
  # recipients delivered to at the same time (each recipient's own order is kept)
  gelijktijdig: 16
  # seconds allowed for one delivery
  timeoutSeconden: 10
  # seconds between looks at the outbox
  intervalSeconden: 1
  # days a finished delivery (geleverd, vervallen, dood) is kept before netwerkbrug opschonen removes it
  bewaartermijnDagen: 30
  # true allows plain http sinks on loopback only (tests, a developer's machine)
  ontwikkeling: false
  # networks (CIDR) of this network's inside that a counterpart's endpoint may be in, e.g. ["10.20.0.0/16"];
  # without it private and loopback addresses are refused as sinks
  # interneSinks: []
${gemeente ? '' : `
# receiving notifications (serve): a key-only 301 announced by the gemeente's sidecar is fetched, rebuilt to the
# full 3.2 message and handed to this aanbieder's software, in a folder or over HTTP (docs/serve.md). Uncomment:
# ontvangst:
#   aflevering: { map: ./legacy-in }             # or { url: "https://legacy.example/berichten" }
`}
# per informatieobject its cutover dates, decided by a message's Dagtekening; without dates an object is inactief
# and messages pass unchanged. ${gemeente ? 'Set them' : 'Set them as the gemeente announces them'} with:
#   netwerkbrug cutover set relatie --sleutel-vanaf 2027-01-01 --einddatum 2027-07-01 --config <this file>
informatieobjecten:
${objecten}
`;
}
