/**
 * What a run's worker hands back (runs/taak.ts): bytes in memory of their own (transferable), and a planned text
 * as the bytes to deliver with its placeholders' byte offsets, which the serial step writes the Sleutels over.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { leesConfig } from '../../src/config/laden.js';
import { voerUit, type Sleutelregistratie } from '../../src/omzetten/bericht.js';
import type { Uitslag } from '../../src/runs/pool.js';
import { eigenGeheugen, start } from '../../src/runs/taak.js';
import { PLAN, register } from '../helpers/omzetten.js';

const mappen: string[] = [];
afterEach(() => mappen.splice(0).forEach((m) => rmSync(m, { recursive: true, force: true })));

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A 301 with two Relaties (keyed from 2027-01-01 in PLAN), non-ASCII text before its first placeholder, and a BOM. */
const bericht = () =>
  Buffer.concat([BOM, Buffer.from(genereerBericht('iwmo', '301', 3, { dagtekening: '2027-02-01', relaties: 2, clientSeed: 9 }).replace('<wmo301:Client>', '<!-- cliënt: Zoë, Ålesund -->\n<wmo301:Client>'))]);

async function valideerInWerker(bytes: Buffer) {
  const map = mkdtempSync(join(tmpdir(), 'nb-taak-'));
  mappen.push(map);
  const bestand = join(map, 'a.xml');
  writeFileSync(bestand, bytes);
  const taak = start({ schemas: register.map, config: leesConfig(PLAN) });
  const { uitslag, overdracht } = await taak({ soort: 'valideer', berichten: [{ bestand }] });
  return { uitslag: uitslag.uitslagen![0]! as Extract<Uitslag, { soort: 'geldig' }>, overdracht: overdracht ?? [] };
}

describe("a run's worker hands back", () => {
  it('only memory of its own to transfer: never the shared pool a small file is read into (Node 21+ refuses it; Node 20 copied 8 KB each)', async () => {
    const klein = Buffer.from('<x/>');
    expect(klein.buffer.byteLength).toBeGreaterThan(klein.byteLength);
    const eigen = eigenGeheugen(klein);
    expect([eigen.byteOffset, eigen.buffer.byteLength, eigen.toString()]).toEqual([0, 4, '<x/>']);
    const { uitslag, overdracht } = await valideerInWerker(bericht());
    expect(uitslag.soort).toBe('geldig');
    expect(overdracht).toHaveLength(2);
    for (const ab of overdracht) expect([uitslag.bytes!.buffer, uitslag.gepland!.plan.uitvoer!.bytes.buffer]).toContain(ab);
    for (const v of [uitslag.bytes!, uitslag.gepland!.plan.uitvoer!.bytes]) expect([v.byteOffset, v.buffer.byteLength]).toEqual([0, v.byteLength]);
  });

  it('the planned text as the bytes to deliver: the Sleutels written over its placeholders give the output the text would (BOM and non-ASCII kept)', async () => {
    const invoer = bericht();
    const { uitslag } = await valideerInWerker(invoer);
    const plan = uitslag.gepland!.plan;
    expect(plan.sjabloon).toBeUndefined();
    const { bytes, plaatsen } = plan.uitvoer!;
    expect(plaatsen.length).toBeGreaterThanOrEqual(2);
    const tekst = Buffer.from(bytes).subarray(3).toString('utf8');
    const sleutels = plaatsen.map((_, n) => `${String(n + 1).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`);
    // what the text path gives: each placeholder replaced in the text, then encoded
    const verwacht = Buffer.concat([BOM, Buffer.from(tekst.replace(/00000000-0000-4000-8000-(\d{12})/g, (_, n: string) => sleutels[Number(n)]!))]);
    let i = 0;
    const registratie: Sleutelregistratie = {
      registreer: () => ({ sleutel: sleutels[i++]!, versie: 1, nieuweSleutel: true, nieuweVersie: true }) as ReturnType<Sleutelregistratie['registreer']>,
      zoekSleutel: () => sleutels[i++],
      beeindigOntbrekende: () => undefined as unknown as ReturnType<Sleutelregistratie['beeindigOntbrekende']>,
      bedient: () => true,
    };
    const u = voerUit(plan, registratie, true, () => {
      throw new Error('not rewritten again');
    });
    expect(u.tekst).toBeUndefined();
    expect(u.bytes!.equals(verwacht)).toBe(true);
    expect(u.bytes!.subarray(0, 3).equals(BOM)).toBe(true);
    for (const s of sleutels) expect(u.bytes!.includes(s)).toBe(true);
    expect(u.bytes!.includes('00000000-0000-4000-8000-')).toBe(false);
  });
});
