import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBsn, isGeldigBsn } from '../scripts/fixtures/bsn.js';
import { BERICHT_NUMMERS, genereerArchief, genereerBericht } from '../scripts/fixtures/generator.js';
import { Random } from '../scripts/fixtures/random.js';
import { voorbeeldarchief } from '../scripts/genereer-voorbeeldarchief.js';
import { SchemaRegister } from '../src/bericht/schemas.js';
import { valideerBericht } from '../src/bericht/validatie.js';
import { ROOT } from './helpers/paden.js';

const register = SchemaRegister.laad();

function bestanden(map: string): string[] {
  return readdirSync(map, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? bestanden(join(map, d.name)) : [join(map, d.name)]));
}

describe('the fixture generator', () => {
  it('is deterministic: the same seed gives the same text, another seed other text', () => {
    expect(genereerBericht('iwmo', '301', 7)).toBe(genereerBericht('iwmo', '301', 7));
    expect(genereerBericht('iwmo', '301', 7)).not.toBe(genereerBericht('iwmo', '301', 8));
  });

  it('makes BSNs that pass the 11-proef, in the test range; a tampered one fails', () => {
    const rng = new Random(1);
    for (let i = 0; i < 500; i++) {
      const bsn = genereerBsn(rng);
      expect(isGeldigBsn(bsn), bsn).toBe(true);
      expect(bsn >= '999900006' && bsn <= '999999990').toBe(true);
      const fout = bsn.slice(0, 8) + String((Number(bsn[8]) + 1) % 10);
      expect(isGeldigBsn(fout)).toBe(false);
    }
    expect(isGeldigBsn('999912343')).toBe(true);
  });

  it('honours 0, 1 and 3 Relaties', () => {
    for (const n of [0, 1, 3]) {
      const xml = genereerBericht('ijw', '301', 3, { relaties: n });
      expect(xml.match(/<jw301:Relatie>/g)?.length ?? 0).toBe(n);
    }
  });

  it('makes valid messages of all 28 types, prefixed or default-namespace, CR/LF or LF', () => {
    for (const standaard of ['iwmo', 'ijw'] as const) {
      for (const nummer of BERICHT_NUMMERS) {
        for (const [seed, stijl, regeleinde] of [[1, 'prefix', '\r\n'], [2, 'standaardnamespace', '\n']] as const) {
          const xml = genereerBericht(standaard, nummer, seed, { stijl, regeleinde, relaties: 3, echo: true });
          const r = valideerBericht(Buffer.from(xml), `${standaard}${nummer}`, register);
          expect(r.fouten, `${standaard} ${nummer} ${stijl}`).toEqual([]);
          expect(r.bericht?.type.nummer).toBe(nummer);
          expect(xml.includes('\r\n')).toBe(regeleinde === '\r\n');
        }
      }
    }
  });

  it('writes non-ASCII names', () => {
    const alle = [...genereerArchief(60, 5)].map((b) => b.xml).join('');
    expect(alle).toMatch(/[À-ỳ]/);
  });

  it('re-sends the same client: an archive has 301s with equal Relaties', () => {
    const relaties = [...genereerArchief(200, 9, { nummers: ['301'] })].map((b) => b.xml.match(/<(\w+:)?Relaties>[\s\S]*<\/(\w+:)?Relaties>/)?.[0]).filter(Boolean);
    expect(new Set(relaties).size).toBeLessThan(relaties.length);
  });

  it('the committed example archive is exactly what the generator makes', () => {
    const map = join(ROOT, 'fixtures', 'voorbeeldarchief');
    const verwacht = new Map(voorbeeldarchief().map((b) => [b.naam, b.xml]));
    const gevonden = bestanden(map).map((p) => relative(map, p).split('\\').join('/'));
    expect(gevonden.sort()).toEqual([...verwacht.keys()].sort());
    for (const naam of gevonden) expect(readFileSync(join(map, naam), 'utf8'), naam).toBe(verwacht.get(naam));
  });
});
