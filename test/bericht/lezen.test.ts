import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leesBericht, MAX_BERICHT_BYTES, eersteOngeldigeUtf8 } from '../../src/bericht/lezen.js';
import { NetwerkbrugFout } from '../../src/fout.js';
import { referentie } from '../helpers/paden.js';

const WMO301 = readFileSync(referentie('WMO301_toewijzing'));

function fout(bytes: Buffer): NetwerkbrugFout {
  try {
    leesBericht(bytes, 'x.xml');
  } catch (e) {
    if (e instanceof NetwerkbrugFout) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('hardened reading', () => {
  it('accepts a UTF-8 message, with or without BOM, with LF or CR/LF line ends', () => {
    expect(leesBericht(WMO301, 'a.xml').bom).toBe(false);
    const metBom = leesBericht(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), WMO301]), 'b.xml');
    expect(metBom.bom).toBe(true);
    expect(metBom.tekst.startsWith('<?xml')).toBe(true);
    const crlf = Buffer.from(WMO301.toString('utf8').replace(/\r?\n/g, '\r\n'));
    expect(leesBericht(crlf, 'c.xml').tekst).toContain('\r\n');
  });

  it('refuses a message above 25 MB, naming the limit', () => {
    const e = fout(Buffer.alloc(MAX_BERICHT_BYTES + 1, 0x20));
    expect(e.code).toBe('BERICHT_ONLEESBAAR');
    expect(e.message).toMatch(/25 MB \(OP179\)/);
  });

  it('refuses an empty file and UTF-16', () => {
    expect(fout(Buffer.alloc(0)).message).toMatch(/empty/);
    expect(fout(Buffer.from('\ufeff<a/>', 'utf16le')).message).toMatch(/UTF-16/);
  });

  it('reports bytes that are not UTF-8 with their offset, line and column', () => {
    const tekst = '<?xml version="1.0"?>\n<a>\n  caf\xe9</a>';
    const e = fout(Buffer.from(tekst, 'latin1'));
    expect(e.message).toMatch(/byte 0xE9 at offset 31 is not UTF-8/);
    expect(e.plaats).toMatchObject({ bestand: 'x.xml', regel: 3, kolom: 6 });
  });

  it('refuses an encoding declaration other than UTF-8', () => {
    expect(fout(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')).message).toMatch(/encoding ISO-8859-1/);
  });

  it('refuses an external entity (XXE) without loading it', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE Bericht [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Bericht>&x;</Bericht>`;
    const e = fout(Buffer.from(xxe));
    expect(e.message).toMatch(/DTD .* not allowed/);
    expect(e.plaats).toMatchObject({ regel: 2, kolom: 1 });
    expect(e.message).not.toContain('root:');
  });

  it('refuses a billion-laughs document without expanding it', () => {
    let dtd = '<!ENTITY l0 "ha">';
    for (let i = 1; i < 10; i++) dtd += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
    const e = fout(Buffer.from(`<?xml version="1.0"?><!DOCTYPE a [${dtd}]><a>&l9;</a>`));
    expect(e.message).toMatch(/DTD/);
  });

  it('does not mistake a DOCTYPE inside a comment for a DTD', () => {
    expect(() => leesBericht(Buffer.from('<?xml version="1.0"?><!-- <!DOCTYPE x> --><a/>'), 'x.xml')).not.toThrow();
  });

  it('finds the first invalid UTF-8 sequence, including overlong and surrogate forms', () => {
    expect(eersteOngeldigeUtf8(Buffer.from('aé€😀'))).toBe(Buffer.byteLength('aé€😀'));
    expect(eersteOngeldigeUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(eersteOngeldigeUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(eersteOngeldigeUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});
