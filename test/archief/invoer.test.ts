import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telInvoer, verzamelInvoer, type InvoerItem } from '../../src/archief/invoer.js';

let map: string;
beforeEach(() => {
  map = mkdtempSync(join(tmpdir(), 'nb-invoer-'));
});
afterEach(() => {
  chmodSync(map, 0o700);
  rmSync(map, { recursive: true, force: true });
});

async function alle(paden: string[]): Promise<InvoerItem[]> {
  const items: InvoerItem[] = [];
  for await (const item of verzamelInvoer(paden)) items.push(item);
  return items;
}

const beschrijf = (item: InvoerItem) =>
  item.soort === 'bericht' ? `bericht ${item.invoer.relatief}` : item.soort === 'overgeslagen' ? `overgeslagen ${item.relatief}` : item.soort;

describe('the walk of a folder (archief/invoer.ts)', () => {
  it('gives every entry of nested folders in name order (code units), following symbolic links, skipping what is not .xml', async () => {
    const in_ = join(map, 'in');
    mkdirSync(join(in_, 'b', 'c'), { recursive: true });
    mkdirSync(join(map, 'elders'));
    for (const naam of ['Z.xml', 'a.xml', 'a0.xml', 'b/2.xml', 'b/10.xml', 'b/c/x.XML', 'lees.txt', 'é.xml', 'elders-niet.xml']) writeFileSync(join(in_, naam), '<x/>');
    writeFileSync(join(map, 'elders', 'via-link.xml'), '<x/>');
    symlinkSync(join(map, 'elders'), join(in_, 'link'));
    symlinkSync(join(in_, 'a.xml'), join(in_, 'a1.xml'));

    const items = await alle([in_]);
    expect(items.map(beschrijf)).toEqual([
      'bericht Z.xml',
      'bericht a.xml',
      'bericht a0.xml',
      'bericht a1.xml',
      'bericht b/10.xml',
      'bericht b/2.xml',
      'bericht b/c/x.XML',
      'bericht elders-niet.xml',
      'overgeslagen lees.txt',
      'bericht link/via-link.xml',
      'bericht é.xml',
    ]);
    const eerste = items[0]!;
    expect(eerste.soort === 'bericht' && eerste.invoer.bestand).toBe(join(in_, 'Z.xml'));
    expect(await telInvoer([in_])).toBe(11);
  });

  it('holds a large folder compactly and in order: 2,000 entries', async () => {
    const in_ = join(map, 'groot');
    mkdirSync(in_);
    const namen = Array.from({ length: 2000 }, (_, i) => `JW301_${String((i * 7919) % 2000).padStart(6, '0')}.xml`);
    for (const naam of namen) writeFileSync(join(in_, naam), '');
    const items = await alle([in_]);
    expect(items.map((i) => (i.soort === 'bericht' ? i.invoer.relatief : i.soort))).toEqual([...namen].sort());
  });

  it('names each input as path.join would, however its folder is written (trailing separator, `.`, `..`)', async () => {
    const in_ = join(map, 'in');
    mkdirSync(join(in_, 'sub'), { recursive: true });
    for (const naam of ['a.xml', 'sub/b.xml']) writeFileSync(join(in_, naam), '<x/>');
    const namen = async (pad: string) => (await alle([pad])).map((i) => (i.soort === 'bericht' ? [i.invoer.bestand, i.invoer.relatief] : i.soort));
    const verwacht = (pad: string) => [
      [join(pad, 'a.xml'), 'a.xml'],
      [join(pad, 'sub', 'b.xml'), 'sub/b.xml'],
    ];
    for (const pad of [in_, `${in_}/`, `${in_}//`, join(map, 'in', '..', 'in'), `${map}/./in/`]) expect(await namen(pad)).toEqual(verwacht(pad));
    const cwd = process.cwd();
    try {
      process.chdir(in_);
      for (const pad of ['.', './', 'sub/..', '../in']) expect(await namen(pad)).toEqual(verwacht(pad));
    } finally {
      process.chdir(cwd);
    }
  });

  it('names a folder it cannot read, and goes on with the next path', async () => {
    const dicht = join(map, 'dicht');
    mkdirSync(dicht);
    writeFileSync(join(map, 'los.xml'), '<x/>');
    chmodSync(dicht, 0o000);
    const items = await alle([join(map, 'weg'), dicht, join(map, 'los.xml')]);
    expect(items.map((i) => (i.soort === 'fout' ? `${i.fout.message}` : beschrijf(i)))).toEqual([
      expect.stringContaining('no such file or directory'),
      process.getuid?.() === 0 ? 'bericht los.xml' : expect.stringContaining('permission denied'),
      ...(process.getuid?.() === 0 ? [] : ['bericht los.xml']),
    ]);
    chmodSync(dicht, 0o700);
  });
});
