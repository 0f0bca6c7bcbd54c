import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Runpool } from '../../src/runs/pool.js';
import { Eigenaarregistraties } from '../../src/bronregistratie/eigenaren.js';
import { ROOT } from '../helpers/paden.js';
import { leesConfig } from '../../src/config/laden.js';
import { PLAN, register, werkmap, type Werkmap } from '../helpers/omzetten.js';

/** Every file below the output folder, its Sleutels numbered by first appearance and the run's folder taken out. */
function uitvoer(w: Werkmap): Map<string, string> {
  const sleutels = new Map<string, string>();
  const uit = new Map<string, string>();
  for (const f of readdirSync(w.uit, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())) {
    const pad = join(f.parentPath, f.name);
    const tekst = readFileSync(pad, 'utf8')
      .replaceAll(w.map, '<map>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (s) => sleutels.get(s) ?? (sleutels.set(s, `S${sleutels.size + 1}`), `S${sleutels.size}`));
    uit.set(relative(w.uit, pad), tekst);
  }
  return uit;
}

function vulInvoer(w: Werkmap): void {
  cpSync(join(ROOT, 'fixtures', 'voorbeeldarchief'), w.in, { recursive: true });
  const goed = genereerBericht('iwmo', '301', 11, { dagtekening: '2027-02-01', relaties: 2, clientSeed: 5, afzender: '0344', ontvanger: '12345678' });
  w.schrijf('slecht/kapot.xml', goed.replace('</wmo301:Client>', '</wmo301:Klant>'));
  w.schrijf('slecht/schema.xml', goed.replace(/<wmo301:Geslacht>\d</, '<wmo301:Geslacht>7<'));
  w.schrijf('slecht/dtd.xml', goed.replace('<wmo301:Bericht', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><wmo301:Bericht'));
  w.schrijf('slecht/leeg.xml', '');
  // a BOM and non-ASCII text before the Sleutels: the workers hand the output over as bytes, placed by byte offset
  const bom = genereerBericht('iwmo', '301', 12, { dagtekening: '2027-05-01', relaties: 3, clientSeed: 6, afzender: '0344', ontvanger: '12345678' });
  w.schrijf('bom/a.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bom.replace('<wmo301:Client>', '<!-- cliënt: Zoë -->\n<wmo301:Client>'))]));
}

describe('convert: validation worker threads', () => {
  it('change nothing: outputs, quarantine reasons and the report (Sleutels and versions made) equal a run without them', async () => {
    const zonder = werkmap();
    const met = werkmap();
    vulInvoer(zonder);
    vulInvoer(met);
    const a = await zonder.converteer();
    // as the CLI makes it: the workers also make the identity hashes, with the store's secret
    const b = await met.converteer(undefined, undefined, (store) => new Runpool(register, 2, leesConfig(PLAN), Eigenaarregistraties.enkel(store).identiteitsgeheimen()));
    expect(a.berichten).toBeGreaterThan(200);
    expect(a.quarantaine).toBe(4);
    expect(a.sleutelsAangemaakt).toBeGreaterThan(0);
    const { run: _a, ...restA } = a;
    const { run: _b, ...restB } = b;
    expect(JSON.parse(JSON.stringify(restB).replaceAll(met.map, '<map>'))).toEqual(JSON.parse(JSON.stringify(restA).replaceAll(zonder.map, '<map>')));
    const ua = uitvoer(zonder);
    const ub = uitvoer(met);
    expect([...ub.keys()].sort()).toEqual([...ua.keys()].sort());
    for (const [pad, tekst] of ua) expect(ub.get(pad), pad).toBe(tekst);
  });
});
