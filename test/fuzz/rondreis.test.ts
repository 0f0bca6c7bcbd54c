/**
 * Property-based: for generated valid messages in every phase (voor, naast, na, and mixes per object), both
 * standards, prefixed and default-namespace documents, LF and CR/LF, `rehydrate(convert(x))` is C14N-equal to
 * `x`. A 302 echo is converted after the 301 it echoes, so its Sleutels are known.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { valideerBericht } from '../../src/bericht/validatie.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { leesConfig } from '../../src/config/laden.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { verwerkInkomend } from '../../src/rehydreren/inkomend.js';
import { PLAN, register } from '../helpers/omzetten.js';
import { c14n } from '../helpers/rehydreren.js';
import { DAGTEKENINGEN, fcOpties, gezaaid } from './opzet.js';

const config = leesConfig(PLAN);
const map = mkdtempSync(join(tmpdir(), 'nb-fuzz-rondreis-'));
const bronregistratie = new Bronregistratie(join(map, 'bron.db'));
const oplosser = new LokaleOplosser(bronregistratie);
afterAll(() => {
  bronregistratie.sluit();
  rmSync(map, { recursive: true, force: true });
});

function zetOm(xml: string): string {
  const bytes = Buffer.from(xml);
  expect(valideerBericht(bytes, 'in.xml', register).fouten).toEqual([]);
  const u = verwerkUitgaand(bytes, { config, register, bronregistratie, bestand: 'in.xml' });
  if (u.soort === 'quarantaine') throw new Error(u.redenen.join('\n'));
  return u.uitvoer.toString('utf8');
}

async function rehydreer(tekst: string): Promise<string> {
  const u = await verwerkInkomend(Buffer.from(tekst), { config, register, oplosser, bestand: 'uit.xml' });
  if (u.soort === 'quarantaine') throw new Error(u.redenen.join('\n'));
  return Buffer.from(u.uitvoer).toString('utf8');
}

const opmaak = fc.record({
  stijl: fc.constantFrom('prefix' as const, 'standaardnamespace' as const),
  regeleinde: fc.constantFrom('\n' as const, '\r\n' as const),
});

describe('fuzz: rehydrate(convert(x)) is C14N-equal to x', () => {
  it('for 301s in every phase', async () => {
    const arb = fc.record({
      standaard: fc.constantFrom('iwmo' as const, 'ijw' as const),
      seed: fc.nat(100_000),
      dagtekening: fc.oneof(fc.constantFrom(...DAGTEKENINGEN), fc.date({ min: new Date('2026-06-01'), max: new Date('2028-06-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
      relaties: fc.integer({ min: 0, max: 3 }),
      opmaak,
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ standaard, seed, dagtekening, relaties, opmaak }) => {
        const xml = gezaaid(standaard, '301', seed, { dagtekening, relaties, ...opmaak });
        const uit = zetOm(xml);
        expect(c14n(await rehydreer(uit))).toBe(c14n(xml));
      }),
      fcOpties(10),
    );
  });

  it('for 302 echoes after their 301, and for other messages (those with a levering have none planned here)', async () => {
    const arb = fc.record({
      standaard: fc.constantFrom('iwmo' as const, 'ijw' as const),
      seed: fc.nat(100_000),
      dagtekening: fc.constantFrom(...DAGTEKENINGEN),
      relaties: fc.integer({ min: 0, max: 3 }),
      ander: fc.constantFrom('305' as const, '307' as const, '315' as const, '317' as const, '323' as const),
      opmaak,
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ standaard, seed, dagtekening, relaties, ander, opmaak }) => {
        const basis = { relaties, clientSeed: seed, ...opmaak };
        zetOm(gezaaid(standaard, '301', seed, { ...basis, dagtekening: '2026-12-01' }));
        const echo = gezaaid(standaard, '302', seed + 1, { ...basis, dagtekening, echo: true });
        expect(c14n(await rehydreer(zetOm(echo)))).toBe(c14n(echo));
        const overig = gezaaid(standaard, ander, seed, { dagtekening, ...opmaak });
        expect(c14n(await rehydreer(zetOm(overig)))).toBe(c14n(overig));
      }),
      fcOpties(6),
    );
  });
});
