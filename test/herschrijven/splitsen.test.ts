/** The splicing both directions share, on strings: one splice type, removal, namespace swap, prefix lookup. */
import { describe, expect, it } from 'vitest';
import { bouwBoom, kind } from '../../src/bericht/boom.js';
import { pasToe, prefixVoor, verwijder, vervangNamespace, voegIn } from '../../src/herschrijven/splitsen.js';

const XML = '<?xml version="1.0"?>\r\n<a:R xmlns:a="urn:a" xmlns:b=\'urn:b\'>\r\n  <a:K>1</a:K>\r\n  <a:L xmlns="urn:c"><M/></a:L>\r\n</a:R>\r\n';

describe('herschrijven/splitsen', () => {
  it('applies splices from the end, every offset one of the original text', () => {
    expect(pasToe('abcdef', [voegIn(1, 'X'), { begin: 3, einde: 5, door: 'Y' }, voegIn(6, 'Z')])).toBe('aXbcYfZ');
    expect(pasToe('abc', [])).toBe('abc');
  });

  it('at one offset removes before it inserts, so an insertion is not removed with it', () => {
    expect(pasToe('abcdef', [voegIn(2, 'X'), { begin: 2, einde: 4, door: '' }])).toBe('abXef');
    expect(pasToe('abcdef', [{ begin: 2, einde: 4, door: '' }, voegIn(2, 'X')])).toBe('abXef');
  });

  it('removes an element with its line end and indentation, every other byte kept', () => {
    const root = bouwBoom(XML);
    const k = kind(root, 'K')!;
    expect(pasToe(XML, [verwijder(XML, k)])).toBe('<?xml version="1.0"?>\r\n<a:R xmlns:a="urn:a" xmlns:b=\'urn:b\'>\r\n  <a:L xmlns="urn:c"><M/></a:L>\r\n</a:R>\r\n');
  });

  it('swaps a namespace URI in every declaration of it, either quote, nothing else', () => {
    const root = bouwBoom(XML);
    expect(pasToe(XML, vervangNamespace(root, 'urn:b', 'urn:bb'))).toBe(XML.replace("xmlns:b='urn:b'", "xmlns:b='urn:bb'"));
    expect(pasToe(XML, vervangNamespace(root, 'urn:c', 'urn:cc'))).toBe(XML.replace('xmlns="urn:c"', 'xmlns="urn:cc"'));
    expect(vervangNamespace(root, 'urn:x', 'urn:y')).toEqual([]);
  });

  it('finds the prefix bound to a namespace in scope: a declared prefix, the default namespace, or none', () => {
    const root = bouwBoom(XML);
    const l = kind(root, 'L')!;
    const m = kind(l, 'M')!;
    expect(prefixVoor(m, 'urn:a')).toBe('a:');
    expect(prefixVoor(m, 'urn:b')).toBe('b:');
    expect(prefixVoor(m, 'urn:c')).toBe('');
    expect(prefixVoor(root, 'urn:c')).toBeUndefined();
    expect(prefixVoor(undefined, 'urn:a')).toBeUndefined();
  });
});
