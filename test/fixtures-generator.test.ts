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

  it('with `verwijzend`, a 305/307 names a ToewijzingNummer an earlier 301 of its standaard sent to its client, gemeente and aanbieder', () => {
    const sleutel = (standaard: string, gemeente: string, aanbieder: string, bsn: string, nummer: string) => [standaard, gemeente, aanbieder, bsn, nummer].join('|');
    const veld = (xml: string, naam: string) => [...xml.matchAll(new RegExp(`<(?:\\w+:)?${naam}>([^<]+)<`, 'g'))].map((m) => m[1]!);
    const archief = [...genereerArchief(400, 11, { nummers: ['301', '305', '307'], vanaf: '2026-07-01', dagen: 549, verwijzend: 1 })];
    // name order, as a walk registers them: within a standaard every 301 comes before every 305 and 307
    archief.sort((a, b) => (a.naam < b.naam ? -1 : 1));
    const gezonden = new Set<string>();
    let bekend = 0;
    let onbekend = 0;
    for (const b of archief) {
      const [afzender] = veld(b.xml, 'Afzender');
      const [ontvanger] = veld(b.xml, 'Ontvanger');
      const [bsn] = veld(b.xml, 'Bsn');
      const nummers = veld(b.xml, 'ToewijzingNummer');
      if (b.nummer === '301') for (const n of nummers) gezonden.add(sleutel(b.standaard, afzender!, ontvanger!, bsn!, n));
      else for (const n of nummers) (gezonden.has(sleutel(b.standaard, ontvanger!, afzender!, bsn!, n)) ? bekend++ : onbekend++);
    }
    // a 305 with more products than its 301 names one twice; only the first 305s of a standaard find no 301
    expect(bekend).toBeGreaterThan(0.9 * (bekend + onbekend));
    // without the option, as before: a 305/307 names numbers of its own
    const zonder = [...genereerArchief(400, 11, { nummers: ['301', '305', '307'], vanaf: '2026-07-01', dagen: 549 })];
    expect(zonder.filter((b) => b.nummer !== '301').some((b) => veld(b.xml, 'ToewijzingNummer').some((n) => [...gezonden].some((g) => g.endsWith(`|${n}`))))).toBe(false);
  });

  it('the committed example archive is exactly what the generator makes', () => {
    const map = join(ROOT, 'fixtures', 'voorbeeldarchief');
    const verwacht = new Map(voorbeeldarchief().map((b) => [b.naam, b.xml]));
    const gevonden = bestanden(map).map((p) => relative(map, p).split('\\').join('/'));
    expect(gevonden.sort()).toEqual([...verwacht.keys()].sort());
    for (const naam of gevonden) expect(readFileSync(join(map, naam), 'utf8'), naam).toBe(verwacht.get(naam));
  });
});
