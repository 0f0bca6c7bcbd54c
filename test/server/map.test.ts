import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { Mapverwerker, VERWERKT } from '../../src/runs/map.js';
import { leesConfig } from '../../src/config/laden.js';
import { EigenaarOplosser } from '../../src/rehydreren/eigenaaroplosser.js';
import { c14n } from '../helpers/rehydreren.js';
import { PLAN, register } from '../helpers/omzetten.js';
import { CLI } from '../helpers/cli.js';

const bericht = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-02-01', relaties: 2, clientSeed: seed, afzender: '0344', ontvanger: '12345678' });
const ONGELDIG = bericht(3).replace(/<wmo301:Geslacht>\d<\/wmo301:Geslacht>/, '<wmo301:Geslacht>7</wmo301:Geslacht>');

function opzet() {
  const map = mkdtempSync(join(tmpdir(), 'nb-map-'));
  const w = { map, in: join(map, 'in'), uit: join(map, 'uit'), q: join(map, 'q'), db: join(map, 'bron.db') };
  mkdirSync(w.in, { recursive: true });
  return w;
}

function verwerker(w: ReturnType<typeof opzet>, bronregistratie: Bronregistratie, naUitvoer?: (naam: string) => void) {
  return new Mapverwerker({ in: w.in, uit: w.uit, quarantaine: w.q, config: leesConfig(PLAN), register, bronregistratie, rustMs: 0, ...(naUitvoer ? { naUitvoer } : {}) });
}

const bestanden = (map: string) => (existsSync(map) ? readdirSync(map, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort() : []);

describe('serve folder mode', () => {
  it('writes results under the same name, moves inputs to verwerkt/, quarantines bad files with a reason', async () => {
    const w = opzet();
    writeFileSync(join(w.in, 'a.xml'), bericht(1));
    writeFileSync(join(w.in, 'b.xml'), bericht(2));
    writeFileSync(join(w.in, 'c.xml'), ONGELDIG);
    writeFileSync(join(w.in, 'd.xml.tmp'), 'half geschreven');
    const bronregistratie = new Bronregistratie(w.db);
    try {
      expect(await verwerker(w, bronregistratie).scan()).toBe(3);
      expect(bestanden(w.uit)).toEqual(['a.xml', 'b.xml']);
      expect(readFileSync(join(w.uit, 'a.xml'), 'utf8')).toContain('<wmo301:Sleutel>');
      expect(bestanden(join(w.in, VERWERKT))).toEqual(['a.xml', 'b.xml']);
      expect(bestanden(w.in)).toEqual(['d.xml.tmp']);
      expect(bestanden(w.q)).toEqual(['c.xml', 'c.xml.reden.txt']);
      expect(readFileSync(join(w.q, 'c.xml'), 'utf8')).toBe(ONGELDIG);
      expect(readFileSync(join(w.q, 'c.xml.reden.txt'), 'utf8')).toMatch(/c\.xml:\d+:\d+ \/Bericht\/Client\/Geslacht \[BERICHT_ONGELDIG\]/);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('after a crash between writing the output and moving the input, a restart ends as an uninterrupted run would', async () => {
    const schoon = opzet();
    const gecrasht = opzet();
    for (const w of [schoon, gecrasht]) for (const i of [1, 2, 3]) writeFileSync(join(w.in, `m${i}.xml`), bericht(i));
    const bronSchoon = new Bronregistratie(schoon.db);
    await verwerker(schoon, bronSchoon).scan();
    const verwacht = bronSchoon.telling();
    bronSchoon.sluit();

    let bronregistratie = new Bronregistratie(gecrasht.db);
    const crash = verwerker(gecrasht, bronregistratie, (naam) => {
      if (naam === 'm2.xml') throw new Error('killed');
    });
    await expect(crash.scan()).rejects.toThrow('killed');
    bronregistratie.sluit();
    expect(bestanden(gecrasht.in)).toEqual(['m2.xml', 'm3.xml']);
    const eerste = readFileSync(join(gecrasht.uit, 'm2.xml'));

    bronregistratie = new Bronregistratie(gecrasht.db);
    try {
      expect(await verwerker(gecrasht, bronregistratie).scan()).toBe(2);
      expect(bronregistratie.telling()).toEqual(verwacht);
      expect(bestanden(gecrasht.in)).toEqual([]);
      expect(bestanden(join(gecrasht.in, VERWERKT))).toEqual(['m1.xml', 'm2.xml', 'm3.xml']);
      expect(readFileSync(join(gecrasht.uit, 'm2.xml')).equals(eerste)).toBe(true);
      // nothing is handled twice: a third start finds nothing to do and rewrites nothing
      const mtime = statSync(join(gecrasht.uit, 'm1.xml')).mtimeMs;
      expect(await verwerker(gecrasht, bronregistratie).scan()).toBe(0);
      expect(statSync(join(gecrasht.uit, 'm1.xml')).mtimeMs).toBe(mtime);
    } finally {
      bronregistratie.sluit();
    }
  });

  it('rehydrates in the inkomend direction: keyed messages in, full messages out, an unknown Sleutel quarantined', async () => {
    const w = opzet();
    const bronregistratie = new Bronregistratie(w.db);
    try {
      // convert first (uitgaand, after the einddatum: key-only), then feed the results back in as incoming messages
      const origineel = genereerBericht('iwmo', '301', 4, { dagtekening: '2027-11-01', relaties: 2, clientSeed: 4, afzender: '0344', ontvanger: '12345678' });
      writeFileSync(join(w.in, 'a.xml'), origineel);
      await verwerker(w, bronregistratie).scan();
      const gesleuteld = readFileSync(join(w.uit, 'a.xml'), 'utf8');
      expect(gesleuteld).toContain('<wmo301:Sleutel>');
      const terug = { ...opzet(), db: w.db };
      writeFileSync(join(terug.in, 'a.xml'), gesleuteld);
      writeFileSync(join(terug.in, 'b.xml'), gesleuteld.replace(/<wmo301:Sleutel>[^<]+</, '<wmo301:Sleutel>0b0e7c43-2c4c-4b59-a1f4-7a3c7f2b9d10<'));
      const config = leesConfig(PLAN);
      const inkomend = new Mapverwerker({ in: terug.in, uit: terug.uit, quarantaine: terug.q, config, register, bronregistratie, rustMs: 0, richting: 'inkomend', oplosser: new EigenaarOplosser(config, bronregistratie) });
      expect(await inkomend.scan()).toBe(2);
      expect(c14n(readFileSync(join(terug.uit, 'a.xml'), 'utf8'))).toBe(c14n(origineel));
      expect(bestanden(terug.q)).toEqual(['b.xml', 'b.xml.reden.txt']);
      expect(readFileSync(join(terug.q, 'b.xml.reden.txt'), 'utf8')).toContain('SLEUTEL_ONOPGELOST');
    } finally {
      bronregistratie.sluit();
    }
  });

  it('runs as `netwerkbrug serve --in --out`, picks up dropped files, and stops on SIGTERM', async () => {
    const w = opzet();
    const config = join(w.map, 'netwerkbrug.yaml');
    writeFileSync(config, JSON.stringify({ ...PLAN, bronregistratie: { database: './bron.db' } }));
    const p = spawn(process.execPath, [...CLI, 'serve', '--config', config, '--in', w.in, '--out', w.uit, '--quarantaine', w.q, '--interval', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let uit = '';
    p.stdout.on('data', (d: Buffer) => (uit += d.toString()));
    p.stderr.on('data', (d: Buffer) => (uit += d.toString()));
    try {
      writeFileSync(join(w.in, 'x.xml'), bericht(5));
      const t0 = Date.now();
      while (!existsSync(join(w.in, VERWERKT, 'x.xml')) && Date.now() - t0 < 20_000) await new Promise((ok) => setTimeout(ok, 50));
      expect(readFileSync(join(w.uit, 'x.xml'), 'utf8')).toContain('<wmo301:Sleutel>');
    } finally {
      p.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((ok) => p.on('exit', ok));
    expect(code, uit).toBe(0);
    expect(uit).toMatch(/"uitkomst":"omgezet"/);
    expect(uit).not.toContain('x.xml');
    expect(existsSync(join(w.map, 'bron.db'))).toBe(true);
  });
});
