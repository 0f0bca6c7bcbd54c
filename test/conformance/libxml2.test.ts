import { describe, expect, it } from 'vitest';
import { BERICHT_TYPES } from '../../src/bericht/catalogus.js';
import { gevallen, gepubliceerdeXsd, onzeXsd } from './gevallen.js';
import { libxml2Geldig } from './orakels.js';
import { ORAKEL, voorbeeld } from '../helpers/paden.js';
import { readFileSync } from 'node:fs';

describe.skipIf(!ORAKEL)('our XSDs judge like the published ones under libxml2', () => {
  for (const t of BERICHT_TYPES) {
    it(`${t.naam}: examples, fixtures and mutations get the published verdict`, () => {
      const lijst = gevallen(t);
      expect(lijst.filter((g) => g.naam.startsWith('mutation')).length).toBeGreaterThanOrEqual(20);
      const verschillen = lijst
        .map((g) => ({ naam: g.naam, ons: libxml2Geldig(g.ons, g.tekst), orakel: libxml2Geldig(g.orakel, g.orakelTekst) }))
        .filter((v) => v.ons !== v.orakel);
      expect(verschillen).toEqual([]);
      // the test can fail: valid documents and invalid mutations are both present
      const verdicts = new Set(lijst.map((g) => libxml2Geldig(g.ons, g.tekst)));
      expect(verdicts).toEqual(new Set([true, false]));
    });
  }

  it('the published JW315 and JW318 are rejected by both schema sets', () => {
    for (const naam of ['JW315', 'JW318']) {
      const t = BERICHT_TYPES.find((x) => x.naam === naam)!;
      const tekst = readFileSync(voorbeeld('ijw', naam), 'utf8');
      expect(libxml2Geldig(onzeXsd(t), tekst), `${naam} ours`).toBe(false);
      expect(libxml2Geldig(gepubliceerdeXsd(t), tekst), `${naam} published`).toBe(false);
    }
  });
});
