/** The convert summary on stderr: a large archive's warnings and quarantines are shown up to a limit, all in the report. */
import { describe, expect, it } from 'vitest';
import { samenvatting } from '../../src/cli/convert.js';
import { conversierapportage } from '../../src/omzetten/rapport.js';

describe('convert summary', () => {
  it('shows the first 20 quarantined inputs and says how many more the report holds', () => {
    const r = conversierapportage('r').rapport;
    r.gequarantaineerd = Array.from({ length: 25 }, (_, i) => ({ bestand: `in/${i}.xml`, redenen: ['BERICHT_ONGELDIG'] }));
    const regels = samenvatting(r).trim().split('\n');
    expect(regels.filter((l) => l.startsWith('quarantined: '))).toHaveLength(20);
    expect(regels.at(-1)).toBe('… and 5 more quarantined inputs (all of them in --report)');
  });

  it('shows them all when there are 20 or fewer', () => {
    const r = conversierapportage('r').rapport;
    r.gequarantaineerd = Array.from({ length: 20 }, (_, i) => ({ bestand: `in/${i}.xml`, redenen: ['BERICHT_ONGELDIG'] }));
    expect(samenvatting(r)).not.toMatch(/more quarantined/);
  });
});
