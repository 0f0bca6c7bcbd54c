/**
 * Hardened reading of a message's bytes: size limit (OP179), UTF-8 only, no DTD (and so no entity
 * declarations, external entities or network loads). A UTF-8 BOM and CR/LF line ends are accepted.
 */
import { NetwerkbrugFout } from '../fout.js';
import { beschrijfEncoding } from './foutteksten.js';
import { regelEnKolom, ScanFout, scanTags } from './scanner.js';

/** OP179: a message file is at most 25 MB. */
export const MAX_BERICHT_BYTES = 25 * 1024 * 1024;

export interface GelezenBericht {
  bestand: string;
  /** the bytes as received, BOM included */
  bytes: Buffer;
  /** the decoded text, BOM removed */
  tekst: string;
  bom: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Throws BERICHT_ONLEESBAAR for a message above the limit; callers may check a stated size before reading. */
export function controleerGrootte(grootte: number, bestand: string): void {
  if (grootte > MAX_BERICHT_BYTES) {
    throw new NetwerkbrugFout('BERICHT_ONLEESBAAR', `message is ${(grootte / 1048576).toFixed(1)} MB; the limit is 25 MB (OP179)`, { bestand });
  }
}

/** Whether the bytes start with a UTF-8 byte order mark. */
export const heeftBom = (bytes: Uint8Array) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** The bytes without their UTF-8 byte order mark (what libxml2 is given: it is told the encoding). */
export const zonderBom = (bytes: Buffer): Buffer => (heeftBom(bytes) ? bytes.subarray(3) : bytes);

/** Bytes made from a message's text (a rewrite), given the byte order mark the message came with, if any. */
export const metBomVan = (gelezen: Pick<GelezenBericht, 'bom' | 'bytes'>, bytes: Buffer): Buffer =>
  gelezen.bom ? Buffer.concat([gelezen.bytes.subarray(0, 3), bytes]) : bytes;

export function leesBericht(bytes: Buffer, bestand: string): GelezenBericht {
  const fout = (message: string, offset?: number, tekst?: string) =>
    new NetwerkbrugFout('BERICHT_ONLEESBAAR', message, {
      bestand,
      ...(offset !== undefined && tekst !== undefined ? regelEnKolom(tekst, offset) : {}),
    });
  controleerGrootte(bytes.length, bestand);
  if (bytes.length === 0) throw fout('file is empty');
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw fout('file is UTF-16 (byte order mark FF FE or FE FF); only UTF-8 is accepted');
  }
  const bom = heeftBom(bytes);
  let tekst: string;
  try {
    tekst = decoder.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    const at = eersteOngeldigeUtf8(bytes);
    const ervoor = decoder.decode(bytes.subarray(bom ? 3 : 0, at));
    const { regel, kolom } = regelEnKolom(ervoor, ervoor.length);
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    throw new NetwerkbrugFout('BERICHT_ONLEESBAAR', `byte 0x${byte} at offset ${at} is not UTF-8; only UTF-8 is accepted`, {
      bestand,
      regel,
      kolom,
    });
  }
  const decl = /^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/.exec(tekst);
  if (decl && !/^utf-?8$/i.test(decl[1]!)) {
    throw fout(`the XML declaration names ${beschrijfEncoding(decl[1]!)}; only UTF-8 is accepted`, 0, tekst);
  }
  const doctype = tekst.indexOf('<!DOCTYPE');
  if (doctype >= 0 && buitenCommentaar(tekst, doctype)) {
    throw fout('a DTD (<!DOCTYPE …>) is not allowed: entity declarations and external loads are refused', doctype, tekst);
  }
  return { bestand, bytes, tekst, bom };
}

/** True when the offset is not inside a comment or CDATA section: the scanner refuses a DOCTYPE it meets. */
function buitenCommentaar(tekst: string, offset: number): boolean {
  try {
    for (const tag of scanTags(tekst)) if (tag.begin > offset) return false;
    return false;
  } catch (e) {
    return e instanceof ScanFout && e.offset === offset;
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function eersteOngeldigeUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let extra: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = c & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += extra + 1;
  }
  return b.length;
}
