/**
 * The error vocabulary: every error the program can give is declared once here, with the HTTP status of the
 * sidecar's problem+json answer, the exit code of a command, and its title (as fastify's `lib/errors.js`
 * declares `FST_ERR_*`). Every thrown error a user can act on is a `NetwerkbrugFout` with one of these codes;
 * the CLI (cli/main.ts) and the HTTP layer (server/probleem.ts) read status, exit code and title from here.
 * `plaats` names the file and, where known, the line, column and element path — never bytes of a message.
 *
 * Exit codes: 1 for an input found wanting (quarantined, invalid); 2 for a usage, configuration or
 * environment error; 3 for an internal failure.
 */
interface Foutsoort {
  /** HTTP status of the problem+json answer */
  status: number;
  /** exit code of a command that stops on it */
  exit: 1 | 2 | 3;
  /** the problem's title: what kind of error, in a few words */
  titel: string;
}

export const FOUTEN = {
  // a message (input)
  BERICHT_ONLEESBAAR: { status: 422, exit: 1, titel: 'The message cannot be read' }, // not UTF-8, too large, DTD, not well-formed
  BERICHT_ONBEKEND: { status: 422, exit: 1, titel: 'Not a known message' }, // a root namespace or BerichtCode that names no message we know
  BERICHT_RELEASE: { status: 422, exit: 1, titel: 'A message of another release' },
  BERICHT_ONGELDIG: { status: 422, exit: 1, titel: 'The message is not valid' }, // breaks its schema
  SLEUTEL_ONOPGELOST: { status: 422, exit: 1, titel: 'A Sleutel is not resolved' }, // unknown or refused by its owner
  EINDDATUM_OVERSCHREDEN: { status: 422, exit: 1, titel: 'Data after the einddatum' }, // strict einddatum enforcement
  EIGENAAR_NIET_BEDIEND: { status: 422, exit: 1, titel: 'An owner this installation does not serve' }, // owners separated: none of its databases is this owner's
  EIGENAAR_ONBEREIKBAAR: { status: 502, exit: 1, titel: 'Bad gateway' }, // the owner of a Sleutel cannot be asked now: try again later
  // the installation
  SCHEMA_ONTBREEKT: { status: 500, exit: 2, titel: 'No schema for the message' },
  SCHEMA_ONGELDIG: { status: 500, exit: 2, titel: 'A schema cannot be compiled' },
  INVOER_ONLEESBAAR: { status: 400, exit: 2, titel: 'An input cannot be read' }, // a path, directory or zip
  GEBRUIK: { status: 500, exit: 2, titel: 'Usage or configuration error' }, // command line, configuration, database, secret, files
  // the HTTP API
  NIET_GEAUTHENTICEERD: { status: 401, exit: 2, titel: 'Not authenticated' },
  GEEN_TOEGANG: { status: 403, exit: 2, titel: 'Forbidden' },
  NIET_GEVONDEN: { status: 404, exit: 2, titel: 'Not found' },
  ABONNEMENT_ONGELDIG: { status: 422, exit: 2, titel: 'The subscription cannot be made' }, // a sink that may not be used
  ONGELDIG_VERZOEK: { status: 400, exit: 2, titel: 'Bad request' },
  TE_GROOT: { status: 413, exit: 1, titel: 'Payload too large' },
  MEDIATYPE: { status: 415, exit: 2, titel: 'Unsupported media type' },
  NIET_BESCHIKBAAR: { status: 501, exit: 2, titel: 'Not implemented' },
  NIET_GEREED: { status: 503, exit: 2, titel: 'Service unavailable' },
  BEZET: { status: 503, exit: 2, titel: 'Service unavailable' }, // the database is busy: try again after Retry-After
  INTERNE_FOUT: { status: 500, exit: 3, titel: 'Internal server error' },
} as const satisfies Record<string, Foutsoort>;

export type FoutCode = keyof typeof FOUTEN;

export interface Plaats {
  bestand: string;
  regel?: number;
  kolom?: number;
  pad?: string;
}

export class NetwerkbrugFout extends Error {
  constructor(
    readonly code: FoutCode,
    message: string,
    readonly plaats?: Plaats,
  ) {
    super(message);
    this.name = 'NetwerkbrugFout';
  }

  get status(): number {
    return FOUTEN[this.code].status;
  }

  get exitCode(): 1 | 2 | 3 {
    return FOUTEN[this.code].exit;
  }

  get titel(): string {
    return FOUTEN[this.code].titel;
  }
}

/** The stable problem type of a code: `urn:netwerkbrug:probleem:geen-toegang` for GEEN_TOEGANG. */
const probleemType = (code: FoutCode) => `urn:netwerkbrug:probleem:${code.toLowerCase().replaceAll('_', '-')}`;

/** An RFC 9457 problem details body of a code; it names no request-specific value unless `extra` does. */
export function probleemBody(code: FoutCode, detail: string, extra: Record<string, unknown> = {}, status: number = FOUTEN[code].status): Record<string, unknown> {
  return { type: probleemType(code), title: FOUTEN[code].titel, status, detail, ...extra };
}

/** "file:line:column" for a place, leaving out what is unknown. */
export function formatPlaats(p: Plaats): string {
  let s = p.bestand;
  if (p.regel !== undefined) s += `:${p.regel}`;
  if (p.regel !== undefined && p.kolom !== undefined) s += `:${p.kolom}`;
  return s;
}
