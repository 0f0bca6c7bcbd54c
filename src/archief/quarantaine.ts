/**
 * Quarantine: an input that cannot be handled is kept, never rewritten and never lost, in `quarantaine/` below
 * the output folder (relative path kept; a zip entry below its archive's name), beside a reason file naming
 * the input, the place and the rule.
 */
import type { Ziparchief } from './invoer.js';
import { kopieerAtomisch, schrijfAtomisch, veiligPad } from './uitvoer.js';
import type { Validatiefout } from '../bericht/validatie.js';
import { formatPlaats, type NetwerkbrugFout } from '../fout.js';

export const QUARANTAINE = 'quarantaine';

/** One reason line for an error: `file:line:column [CODE] message`. */
export const foutRegel = (fout: NetwerkbrugFout, bestand: string) => `${formatPlaats(fout.plaats ?? { bestand })} [${fout.code}] ${fout.message}`;

/** Reason lines for validation errors: place, element path, rule. */
export function redenTekst(bestand: string, fouten: readonly Validatiefout[]): string[] {
  return fouten.map((f) => {
    const plaats = formatPlaats({ bestand, ...(f.regel ? { regel: f.regel } : {}), ...(f.kolom ? { kolom: f.kolom } : {}) });
    return `${plaats}${f.pad ? ` ${f.pad}` : ''} [${f.code}] ${f.omschrijving}`;
  });
}

/**
 * A message that cannot be handed on, as either direction's core says so: the problem's one-line detail, the
 * reason lines for its quarantine, and its errors with their places (for a problem response).
 */
export interface Afkeuring {
  soort: 'quarantaine';
  detail: string;
  redenen: string[];
  fouten: Validatiefout[];
}

/** The input itself is not a valid message. */
export const ongeldigeInvoer = (bestand: string, fouten: Validatiefout[]): Afkeuring => ({
  soort: 'quarantaine',
  detail: 'the message is not valid',
  redenen: redenTekst(bestand, fouten),
  fouten,
});

/** What the message would become is not valid: `waarom` heads the reason lines, which name the output. */
export const ongeldigeUitvoer = (bestand: string, fouten: Validatiefout[], detail: string, waarom: string): Afkeuring => ({
  soort: 'quarantaine',
  detail,
  redenen: [`${waarom}:`, ...redenTekst(`${bestand} (output)`, fouten)],
  fouten,
});

export interface Quarantaine {
  /** the quarantine folder */
  map: string;
  bestand: string;
  relatief: string;
  zip?: Ziparchief | undefined;
  /** the bytes as read; without them a plain file is copied as it is (a zip entry is named in its reason only) */
  bytes?: Uint8Array | undefined;
  redenen: readonly string[];
}

/** Where a quarantined input is kept. */
export const quarantainePad = (map: string, relatief: string, zip?: Ziparchief) => veiligPad(map, zip ? `${zip.relatief}/${relatief}` : relatief);

/** The reason file beside a quarantined input: a first line naming it, then one indented line per reason. */
export function schrijfReden(doel: string, kop: string, redenen: readonly string[]): void {
  schrijfAtomisch(`${doel}.reden.txt`, `${kop}\n${redenen.map((r) => `  ${r}`).join('\n')}\n`);
}

export async function zetInQuarantaine(q: Quarantaine): Promise<void> {
  const doel = quarantainePad(q.map, q.relatief, q.zip);
  if (q.bytes) schrijfAtomisch(doel, q.bytes);
  else if (!q.zip) await kopieerAtomisch(q.bestand, doel).catch(() => undefined);
  schrijfReden(doel, q.bestand, q.redenen);
}
