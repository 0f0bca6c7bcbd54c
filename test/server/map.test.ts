import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerBericht } from '../../scripts/fixtures/generator.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { Mapverwerker, VERWERKT } from '../../src/omzetten/map.js';
import { leesConfig } from '../../src/plan/config.js';
import { BIN } from '../helpers/paden.js';
import { PLAN, register } from '../helpers/omzetten.js';

const bericht = (seed: number) => genereerBericht('iwmo', '301', seed, { dagtekening: '2027-02-01', relaties: 2, clientSeed: seed, afzender: '0344', ontvanger: '12345678' });
const ONGELDIG = bericht(3).replace(/<wmo301:Geslacht>\d<\/wmo301:Geslacht>/, '<wmo301:Geslacht>7</wmo301:Geslacht>');

function opzet() {
  const map = mkdtempSync(join(tmpdir(), 'nb-map-'));
  const w = { map, in: join(map, 'in'), uit: join(map, 'uit'), q: join(map, 'q'), db: join(map, 'bron.db') };
  mkdirSync(w.in, { recursive: true });
  return w;
}

function verwerker(w: ReturnType<typeof opzet>, bron: Bronregistratie, naUitvoer?: (naam: string) => void) {
  return new Mapverwerker({ in: w.in, uit: w.uit, quarantaine: w.q, config: leesConfig(PLAN), register, bron, rustMs: 0, ...(naUitvoer ? { naUitvoer } : {}) });
}

const bestanden = (map: string) => (existsSync(map) ? readdirSync(map, { withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort() : []);

describe('serve folder mode', () => {
  it('writes results under the same name, moves inputs to verwerkt/, quarantines bad files with a reason', () => {
    const w = opzet();
    writeFileSync(join(w.in, 'a.xml'), bericht(1));
    writeFileSync(join(w.in, 'b.xml'), bericht(2));
    writeFileSync(join(w.in, 'c.xml'), ONGELDIG);
    writeFileSync(join(w.in, 'd.xml.tmp'), 'half geschreven');
    const bron = new Bronregistratie(w.db);
    try {
      expect(verwerker(w, bron).scan()).toBe(3);
      expect(bestanden(w.uit)).toEqual(['a.xml', 'b.xml']);
      expect(readFileSync(join(w.uit, 'a.xml'), 'utf8')).toContain('<wmo301:Sleutel>');
      expect(bestanden(join(w.in, VERWERKT))).toEqual(['a.xml', 'b.xml']);
      expect(bestanden(w.in)).toEqual(['d.xml.tmp']);
      expect(bestanden(w.q)).toEqual(['c.xml', 'c.xml.reden.txt']);
      expect(readFileSync(join(w.q, 'c.xml'), 'utf8')).toBe(ONGELDIG);
      expect(readFileSync(join(w.q, 'c.xml.reden.txt'), 'utf8')).toMatch(/c\.xml:\d+:\d+ \/Bericht\/Client\/Geslacht \[BERICHT_ONGELDIG\]/);
    } finally {
      bron.sluit();
    }
  });

  it('after a crash between writing the output and moving the input, a restart ends as an uninterrupted run would', () => {
    const schoon = opzet();
    const gecrasht = opzet();
    for (const w of [schoon, gecrasht]) for (const i of [1, 2, 3]) writeFileSync(join(w.in, `m${i}.xml`), bericht(i));
    const bronSchoon = new Bronregistratie(schoon.db);
    verwerker(schoon, bronSchoon).scan();
    const verwacht = bronSchoon.telling();
    bronSchoon.sluit();

    let bron = new Bronregistratie(gecrasht.db);
    const crash = verwerker(gecrasht, bron, (naam) => {
      if (naam === 'm2.xml') throw new Error('killed');
    });
    expect(() => crash.scan()).toThrow('killed');
    bron.sluit();
    expect(bestanden(gecrasht.in)).toEqual(['m2.xml', 'm3.xml']);
    const eerste = readFileSync(join(gecrasht.uit, 'm2.xml'));

    bron = new Bronregistratie(gecrasht.db);
    try {
      expect(verwerker(gecrasht, bron).scan()).toBe(2);
      expect(bron.telling()).toEqual(verwacht);
      expect(bestanden(gecrasht.in)).toEqual([]);
      expect(bestanden(join(gecrasht.in, VERWERKT))).toEqual(['m1.xml', 'm2.xml', 'm3.xml']);
      expect(readFileSync(join(gecrasht.uit, 'm2.xml')).equals(eerste)).toBe(true);
      // nothing is handled twice: a third start finds nothing to do and rewrites nothing
      const mtime = statSync(join(gecrasht.uit, 'm1.xml')).mtimeMs;
      expect(verwerker(gecrasht, bron).scan()).toBe(0);
      expect(statSync(join(gecrasht.uit, 'm1.xml')).mtimeMs).toBe(mtime);
    } finally {
      bron.sluit();
    }
  });

  it('runs as `netwerkbrug serve --in --out`, picks up dropped files, and stops on SIGTERM', async () => {
    const w = opzet();
    const config = join(w.map, 'netwerkbrug.yaml');
    writeFileSync(config, JSON.stringify({ ...PLAN, bronregistratie: { database: './bron.db' } }));
    const p = spawn(process.execPath, [BIN, 'serve', '--config', config, '--in', w.in, '--out', w.uit, '--quarantaine', w.q, '--interval', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
