/**
 * One error type for every failure a user can act on. `code` is stable (scripts and the HTTP layer map it);
 * `plaats` names the file and, where known, the line, column and element path.
 */
export type FoutCode =
  | 'BERICHT_ONLEESBAAR' // bytes that are not a readable XML message: not UTF-8, too large, DTD, not well-formed
  | 'BERICHT_ONBEKEND' // a root namespace or BerichtCode that names no message we know
  | 'BERICHT_RELEASE' // a message of another release than the one we have schemas for
  | 'BERICHT_ONGELDIG' // a message that breaks its schema
  | 'SCHEMA_ONTBREEKT' // no schema for a message in the chosen schema set
  | 'SCHEMA_ONGELDIG' // a schema file that libxml2 cannot compile
  | 'INVOER_ONLEESBAAR' // a path, directory or zip that cannot be read
  | 'SLEUTEL_ONOPGELOST' // a Sleutel its owner's bronregistratie does not resolve (unknown, refused or unreachable)
  | 'EINDDATUM_OVERSCHREDEN' // a message that still carries an object's data after that object's einddatum (strict)
  | 'GEBRUIK'; // wrong command-line usage

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
}

/** "file:line:column" for a place, leaving out what is unknown. */
export function formatPlaats(p: Plaats): string {
  let s = p.bestand;
  if (p.regel !== undefined) s += `:${p.regel}`;
  if (p.regel !== undefined && p.kolom !== undefined) s += `:${p.kolom}`;
  return s;
}
