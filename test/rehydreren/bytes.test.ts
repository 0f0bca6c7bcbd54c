/**
 * Line ends are kept (issue 12, item 8): for the whole example archive `rehydrate(convert(x))` is not only
 * equal to `x` after canonicalisation but byte for byte, CR/LF documents included.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { leesConfig } from '../../src/config/laden.js';
import { PLAN, werkmap } from '../helpers/omzetten.js';
import { rehydreer } from '../helpers/rehydreren.js';

const config = leesConfig(PLAN);

/** The first place two texts differ, with the bytes around it escaped (for a readable failure). */
function verschil(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const stuk = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 30), i + 30));
  return `offset ${i}: ${stuk(a)} against ${stuk(b)}`;
}

describe('rehydrate(convert(x)) is x byte for byte', () => {
  it('for every message of the example archive, CR/LF and LF', async () => {
    const archief = join(process.cwd(), 'fixtures', 'voorbeeldarchief');
    const w = werkmap();
    const bronregistratie = await w.converteer(PLAN, [archief]).then(() => new Bronregistratie(w.db));
    try {
      const verschillen: string[] = [];
      let crlf = 0;
      for (const std of readdirSync(w.uit).filter((d) => d !== 'quarantaine')) {
        for (const naam of readdirSync(join(w.uit, std))) {
          const origineel = readFileSync(join(archief, std, naam), 'utf8');
          if (origineel.includes('\r\n')) crlf++;
          const r = await rehydreer(w.lees(join(std, naam)), config, bronregistratie);
          const v = verschil(r.tekst, origineel.replace(/^\ufeff/, ''));
          if (v) verschillen.push(`${std}/${naam}: ${v}`);
        }
      }
      expect(crlf).toBeGreaterThan(20);
      // before the fix, five CR/LF messages got LF inside an empty Periode (a whitespace-only value)
      expect(verschillen).toEqual([]);
    } finally {
      bronregistratie.sluit();
      rmSync(w.map, { recursive: true, force: true });
    }
  });
});
