/** The convert summary on stderr: a large archive's warnings and quarantines are shown up to a limit, all in the report. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samenvatting } from '../../src/cli/convert.js';
import { conversierapportage, schrijfRapport, WAARSCHUWINGEN_IN_GEHEUGEN } from '../../src/omzetten/rapport.js';

/** A report that counted `n` inputs, each with one warning. */
function metWaarschuwingen(n: number) {
  const rapportage = conversierapportage('r');
  for (let i = 0; i < n; i++) {
    rapportage.voegToe(`in/${i}.xml`, { uitkomst: 'omgezet', bericht: '305', objecten: [{ object: 'levering', fase: 'voor', waarschuwing: { melding: 'ToewijzingNummer unknown', plaats: '/Bericht/Client/StartProducten/StartProduct[1]' } }] });
  }
  return rapportage.rapport;
}

describe('convert summary', () => {
  it('shows the first 20 quarantined inputs and says how many more the report holds', () => {
    const r = conversierapportage('r').rapport;
    r.gequarantaineerd = Array.from({ length: 25 }, (_, i) => ({ bestand: `in/${i}.xml`, redenen: ['BERICHT_ONGELDIG'] }));
    const regels = samenvatting(r).trim().split('\n');
    expect(regels.filter((l) => l.startsWith('quarantined: '))).toHaveLength(20);
    expect(regels.at(-1)).toBe('… and 5 more quarantined inputs (all of them in --report)');
  });

  it('keeps the first warnings in memory and a count; the report file holds every one, in order, mode 0600', () => {
    const r = metWaarschuwingen(1000);
    expect(r.aantalWaarschuwingen).toBe(1000);
    expect(r.waarschuwingen).toHaveLength(WAARSCHUWINGEN_IN_GEHEUGEN);
    const regels = samenvatting(r).trim().split('\n');
    expect(regels.filter((l) => l.startsWith('warning: '))).toHaveLength(20);
    expect(regels).toContain('… and 980 more warnings (all of them in --report)');
    const map = mkdtempSync(join(tmpdir(), 'nb-rapport-'));
    try {
      const pad = join(map, 'rapport.json');
      schrijfRapport(pad, r);
      const tekst = readFileSync(pad, 'utf8');
      const gelezen = JSON.parse(tekst) as typeof r;
      expect(gelezen.waarschuwingen.map((w) => w.bestand)).toEqual(Array.from({ length: 1000 }, (_, i) => `in/${i}.xml`));
      expect(gelezen.aantalWaarschuwingen).toBe(1000);
      expect(gelezen.omgezet).toBe(1000);
      // the same text JSON.stringify gives for the whole report
      expect(tekst).toBe(JSON.stringify({ ...r, waarschuwingen: gelezen.waarschuwingen }, null, 2) + '\n');
      expect(statSync(pad).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(map, { recursive: true, force: true });
    }
  });

  it('writes a report with few or no warnings as JSON.stringify does', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-rapport-'));
    try {
      for (const n of [0, 1, 20, 21]) {
        const r = metWaarschuwingen(n);
        const pad = join(map, `r${n}.json`);
        const alle = (JSON.parse(JSON.stringify(metWaarschuwingen(Math.min(n, 20)))) as typeof r).waarschuwingen;
        schrijfRapport(pad, r);
        const gelezen = JSON.parse(readFileSync(pad, 'utf8')) as typeof r;
        expect(gelezen.waarschuwingen).toHaveLength(n);
        expect(readFileSync(pad, 'utf8')).toBe(JSON.stringify({ ...r, waarschuwingen: gelezen.waarschuwingen }, null, 2) + '\n');
        expect(gelezen.waarschuwingen.slice(0, 20)).toEqual(alle);
      }
    } finally {
      rmSync(map, { recursive: true, force: true });
    }
  });

  it('shows them all when there are 20 or fewer', () => {
    const r = conversierapportage('r').rapport;
    r.gequarantaineerd = Array.from({ length: 20 }, (_, i) => ({ bestand: `in/${i}.xml`, redenen: ['BERICHT_ONGELDIG'] }));
    expect(samenvatting(r)).not.toMatch(/more quarantined/);
  });
});
