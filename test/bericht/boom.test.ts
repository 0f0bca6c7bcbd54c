/** The element tree over a message's text (bericht/boom.ts): paths and text content as an XML parser reads them. */
import { describe, expect, it } from 'vitest';
import { bouwBoom, tekstVan, zoekPad } from '../../src/bericht/boom.js';

const tekst = [
  '<a:Bericht xmlns:a="urn:x">',
  '<a:Client><a:Naam>Jansen</a:Naam><a:Relaties><a:Relatie><a:Nr>1</a:Nr></a:Relatie><a:Relatie><a:Nr>2</a:Nr></a:Relatie></a:Relaties></a:Client>',
  '<a:Client><a:Naam>de Vries &amp; Zn &#233;&#xE9; &lt;b&gt;</a:Naam><a:Relaties><a:Relatie><a:Nr>3</a:Nr></a:Relatie></a:Relaties></a:Client>',
  '<a:Client><a:Naam>regel\r\neen\rtwee<!-- weg --><![CDATA[<&>]]></a:Naam><a:Leeg/></a:Client>',
  '</a:Bericht>',
].join('\n');

describe('the element tree', () => {
  const root = bouwBoom(tekst);

  it('finds every node at a path, in document order, across several parents', () => {
    const nrs = zoekPad(root, ['Client', 'Relaties', 'Relatie', 'Nr']).map((k) => tekstVan(tekst, k));
    expect(nrs).toEqual(['1', '2', '3']);
    expect(zoekPad(root, ['Client', 'Onbekend'])).toEqual([]);
    expect(zoekPad(root, [])).toEqual([root]);
  });

  it('reads text as a parser does: plain text as it is, entities and character references decoded, line ends normalised, comments dropped, CDATA unwrapped', () => {
    const namen = zoekPad(root, ['Client', 'Naam']).map((k) => tekstVan(tekst, k));
    expect(namen).toEqual(['Jansen', 'de Vries & Zn éé <b>', 'regel\neen\ntwee<&>']);
    expect(tekstVan(tekst, zoekPad(root, ['Client', 'Leeg'])[0]!)).toBe('');
  });
});
