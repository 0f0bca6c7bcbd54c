/**
 * Property-based: mutated messages (random bytes, and structure-aware: elements dropped, duplicated, swapped,
 * DOCTYPE, entities, CDATA, odd encodings, truncation, …) through reading, detection, validation, conversion
 * and rehydration. Each input ends within a time bound in a verdict (an invalid verdict with its reasons, a
 * NetwerkbrugFout with a place) or a valid output, never a crash, and no error text carries the known BSN, name
 * or street the messages are seeded with.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { valideerBericht, type GeldigBericht, type Validatieresultaat } from '../../src/bericht/validatie.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { verwerkUitgaand } from '../../src/omzetten/uitgaand.js';
import { leesConfig } from '../../src/config/laden.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { verwerkInkomend } from '../../src/rehydreren/inkomend.js';
import { PLAN, register } from '../helpers/omzetten.js';
import { c14n } from '../helpers/rehydreren.js';
import { alsVerdict, berichtArb, byteMutatieArb, fcOpties, geheimIn, gezaaid, muteerBytes, pasToe, structuurArb, TIJDSLIMIET_MS } from './opzet.js';

const config = leesConfig(PLAN);
const map = mkdtempSync(join(tmpdir(), 'nb-fuzz-'));
const bronregistratie = new Bronregistratie(join(map, 'bron.db'));
const oplosser = new LokaleOplosser(bronregistratie);
afterAll(() => {
  bronregistratie.sluit();
  rmSync(map, { recursive: true, force: true });
});

function binnenTijd<T>(stap: string, f: () => T): T {
  const begin = performance.now();
  const uit = f();
  const duur = performance.now() - begin;
  if (duur > TIJDSLIMIET_MS) throw new Error(`${stap} took ${Math.round(duur)} ms`);
  return uit;
}

function zonderGeheim(waar: string, tekst: string): void {
  const g = geheimIn(tekst);
  if (g) throw new Error(`${waar} carries ${g}: ${tekst.slice(0, 500)}`);
}

/** The verdict of validation: valid, or invalid with reasons that have a rule and no personal data. */
function controleerValidatie(r: Validatieresultaat): void {
  if (r.geldig) return;
  expect(r.fouten.length).toBeGreaterThan(0);
  for (const f of r.fouten) {
    expect(f.omschrijving.length).toBeGreaterThan(0);
    // readable bytes: each reason says where (line or element path), except "the file holds no element"
    if (r.gelezen && f.omschrijving !== 'no root element: the file holds no XML element') expect(f.regel ?? f.pad, f.omschrijving).toBeDefined();
  }
  zonderGeheim('validation errors', JSON.stringify(r.fouten));
}

/** Conversion then rehydration of a valid message: a valid output or a verdict, and back to the input (C14N). */
async function controleerOmzetting(bytes: Buffer, r: GeldigBericht): Promise<void> {
  let u;
  try {
    u = binnenTijd('convert', () => verwerkUitgaand(bytes, { config, register, bronregistratie, bestand: 'fuzz.xml', gevalideerd: r }));
  } catch (e) {
    const f = alsVerdict(e);
    return zonderGeheim('convert error', f.message + JSON.stringify(f.plaats));
  }
  if (u.soort === 'quarantaine') return zonderGeheim('convert output errors', JSON.stringify(u.fouten));
  const uitvoer = u.uitvoer;
  const v = valideerBericht(uitvoer, 'uit.xml', register);
  expect(v.fouten).toEqual([]);
  const terug = await verwerkInkomend(uitvoer, { config, register, oplosser, bestand: 'uit.xml' });
  if (terug.soort === 'quarantaine') {
    zonderGeheim('rehydrate reasons', terug.redenen.join('\n'));
    throw new Error(`a converted message did not rehydrate: ${terug.redenen.join('; ')}`);
  }
  expect(c14n(Buffer.from(terug.uitvoer).toString('utf8'))).toBe(c14n(r.gelezen.tekst));
}

async function eenInvoer(bytes: Buffer): Promise<void> {
  const r = binnenTijd('validate', () => valideerBericht(bytes, 'fuzz.xml', register));
  controleerValidatie(r);
  if (r.geldig) {
    if (r.bericht.schema.variant === 'sleutel') await controleerInkomend(bytes);
    else await controleerOmzetting(bytes, r);
  }
}

/** Rehydration of any input: a valid output or quarantine with reasons that carry no personal data. */
async function controleerInkomend(bytes: Buffer): Promise<void> {
  const begin = performance.now();
  let u;
  try {
    u = await verwerkInkomend(bytes, { config, register, oplosser, bestand: 'fuzz.xml' });
  } catch (e) {
    const f = alsVerdict(e);
    return zonderGeheim('rehydrate error', f.message);
  }
  expect(performance.now() - begin).toBeLessThan(TIJDSLIMIET_MS);
  if (u.soort === 'quarantaine') {
    zonderGeheim('rehydrate reasons', u.redenen.join('\n'));
    zonderGeheim('rehydrate error', u.detail);
  } else {
    expect(valideerBericht(Buffer.from(u.uitvoer), 'terug.xml', register).fouten).toEqual([]);
  }
}

describe('fuzz: mutated messages end in a verdict or a valid output, never a crash, never an echo', () => {
  it('structure-aware mutations (drop, duplicate, swap, DOCTYPE, entities, CDATA, encodings, truncation, …)', async () => {
    await fc.assert(
      fc.asyncProperty(berichtArb, structuurArb, async (xml, stappen) => {
        // the message before mutation is valid: what is refused, the mutation broke
        expect(valideerBericht(Buffer.from(xml), 'basis.xml', register).fouten).toEqual([]);
        await eenInvoer(pasToe(xml, stappen));
      }),
      fcOpties(60),
    );
  });

  it('random byte mutations', async () => {
    await fc.assert(fc.asyncProperty(berichtArb, byteMutatieArb, async (xml, mutaties) => eenInvoer(muteerBytes(Buffer.from(xml), mutaties))), fcOpties(60));
  });

  it('mutated keyed messages through rehydration', async () => {
    // keyed messages to mutate: 301s converted in every phase
    const gesleuteld: string[] = [];
    for (const [i, dagtekening] of ['2027-02-01', '2027-05-01', '2027-08-01', '2027-11-01'].entries()) {
      const xml = gezaaid(i % 2 ? 'ijw' : 'iwmo', '301', 100 + i, { dagtekening, relaties: 2, ...(i === 3 ? { regeleinde: '\r\n' as const } : {}) });
      const u = verwerkUitgaand(Buffer.from(xml), { config, register, bronregistratie, bestand: 'a.xml' });
      if (u.soort === 'quarantaine') throw new Error(u.redenen.join('\n'));
      gesleuteld.push(u.uitvoer.toString('utf8'));
    }
    const mutatie = fc.oneof(
      structuurArb.map((s) => (t: string) => pasToe(t, s)),
      byteMutatieArb.map((m) => (t: string) => muteerBytes(Buffer.from(t), m)),
    );
    await fc.assert(fc.asyncProperty(fc.constantFrom(...gesleuteld), mutatie, async (xml, muteer) => controleerInkomend(muteer(xml))), fcOpties(40));
  });
});
