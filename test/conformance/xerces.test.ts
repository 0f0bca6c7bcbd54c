import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BERICHT_TYPES } from '../../src/bericht/catalogus.js';
import { ORAKEL, voorbeeld } from '../helpers/paden.js';
import { gepubliceerdeXsd, gevallen, onzeXsd } from './gevallen.js';
import { xercesGeldig } from './orakels.js';

// Xerces (Java) is the second, independent validator: one JVM per document, so this file takes minutes.
describe.skipIf(!ORAKEL)('our XSDs judge like the published ones under Xerces', () => {
  for (const t of BERICHT_TYPES) {
    it(`${t.naam}: examples, fixtures and mutations get the published verdict`, async () => {
      const lijst = gevallen(t);
      const uitkomsten = await Promise.all(
        lijst.map(async (g) => ({ naam: g.naam, ons: await xercesGeldig(g.ons, g.tekst), orakel: await xercesGeldig(g.orakel, g.orakelTekst) })),
      );
      expect(uitkomsten.filter((u) => u.ons !== u.orakel)).toEqual([]);
      expect(new Set(uitkomsten.map((u) => u.ons))).toEqual(new Set([true, false]));
    }, 600_000);
  }

  it('the published JW315 and JW318 are rejected by both schema sets', async () => {
    for (const naam of ['JW315', 'JW318']) {
      const t = BERICHT_TYPES.find((x) => x.naam === naam)!;
      const tekst = readFileSync(voorbeeld('ijw', naam), 'utf8');
      expect(await xercesGeldig(onzeXsd(t), tekst), `${naam} ours`).toBe(false);
      expect(await xercesGeldig(gepubliceerdeXsd(t), tekst), `${naam} published`).toBe(false);
    }
  }, 120_000);
});
