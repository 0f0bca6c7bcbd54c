import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genereerArchief, genereerBericht } from '../../scripts/fixtures/generator.js';
import { Random } from '../../scripts/fixtures/random.js';
import { veiligPad } from '../../src/archief/uitvoer.js';
import { Bronregistratie } from '../../src/bronregistratie/store.js';
import { CLI, maakZip, netwerkbrug, zipInhoud } from '../helpers/cli.js';
import { PLAN, werkmap } from '../helpers/omzetten.js';

function bestanden(map: string): string[] {
  return readdirSync(map, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => relative(map, join(d.parentPath, d.name)))
    .sort();
}

describe('convert: zip archives', () => {
  it('a zip in gives a zip out with the same entry names; a bad entry goes to quarantine', async () => {
    const w = werkmap();
    const goed = genereerBericht('ijw', '301', 3, { dagtekening: '2027-02-01', relaties: 1 });
    await maakZip(join(w.in, 'partij.zip'), { 'map/a.xml': goed, 'map/b.xml': goed.replace('<jw301:Bsn>', '<jw301:Bsn>X'), 'notitie.txt': 'hallo' });
    const r = await w.converteer(PLAN, [join(w.in, 'partij.zip')]);
    expect(r.omgezet).toBe(1);
    expect(r.quarantaine).toBe(1);
    const zip = await zipInhoud(join(w.uit, 'partij.zip'));
    expect([...zip.keys()].sort()).toEqual(['map/a.xml', 'notitie.txt']);
    expect(zip.get('map/a.xml')).toMatch(/<jw301:Sleutel>/);
    expect(zip.get('notitie.txt')).toBe('hallo');
    expect(readFileSync(join(w.uit, 'quarantaine', 'partij.zip', 'map', 'b.xml.reden.txt'), 'utf8')).toMatch(/partij\.zip!map\/b\.xml/);
    // a second run writes the same archive, byte for byte
    const eerst = readFileSync(join(w.uit, 'partij.zip'));
    await w.converteer(PLAN, [join(w.in, 'partij.zip')]);
    expect(readFileSync(join(w.uit, 'partij.zip')).equals(eerst)).toBe(true);
  });

  it('a zip with an entry that climbs out of the output folder is quarantined whole, with its reason, and nothing is written', async () => {
    const w = werkmap();
    const goed = genereerBericht('ijw', '301', 3, { dagtekening: '2027-02-01' });
    await maakZip(join(w.in, 'slip.zip'), { 'ok.xml': goed, 'ander.xml': goed });
    const zip = readFileSync(join(w.in, 'slip.zip'));
    // yazl refuses `..` in names, so rename the entry in the archive bytes (same length). yauzl refuses such an
    // archive whole (it checks every entry name, before our own check, veiligPad, below, could see it)
    writeFileSync(join(w.in, 'slip.zip'), Buffer.from(zip.toString('latin1').replaceAll('ok.xml', '../x.x'), 'latin1'));
    const r = await w.converteer(PLAN, [join(w.in, 'slip.zip')]);
    expect(bestanden(w.map).filter((f) => f.endsWith('x.x'))).toEqual([]);
    expect(r.quarantaine).toBe(1);
    expect(r.gequarantaineerd).toEqual([{ bestand: join(w.in, 'slip.zip'), redenen: [expect.stringMatching(/\[INVOER_ONLEESBAAR\] zip archive is damaged: invalid relative path/)] }]);
    // the archive is kept as it came, beside its reason: nothing is lost
    expect(readFileSync(join(w.uit, 'quarantaine', 'slip.zip')).equals(readFileSync(join(w.in, 'slip.zip')))).toBe(true);
    expect(readFileSync(join(w.uit, 'quarantaine', 'slip.zip.reden.txt'), 'utf8')).toMatch(/invalid relative path/);
    expect(existsSync(join(w.uit, 'slip.zip'))).toBe(false);
  });

  it('our own check of a relative path (an entry name, below the output or quarantine folder) refuses one that climbs out', () => {
    const uit = join(tmpdir(), 'uit');
    for (const naam of ['../x.xml', 'a/../../x.xml', '..', 'a\\..\\..\\x.xml', '/etc/x.xml']) {
      expect(() => veiligPad(uit, naam), naam).toThrow(expect.objectContaining({ code: 'INVOER_ONLEESBAAR', message: `path ${naam} leaves the output folder` }));
    }
    expect(veiligPad(uit, 'a/../b/x.xml')).toBe(join(uit, 'b', 'x.xml'));
    expect(veiligPad(uit, 'a\\x.xml')).toBe(join(uit, 'a', 'x.xml'));
  });
});

describe('convert: the real CLI', () => {
  it('exits 0 when all converted, 1 when any input was quarantined, 2 for a usage or configuration error', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-cli-'));
    const config = join(map, 'netwerkbrug.yaml');
    writeFileSync(config, 'bronregistratie:\n  database: ./bron.db\ninformatieobjecten:\n  relatie:\n    sleutelVanaf: 2027-01-01\n');
    writeFileSync(join(map, 'a.xml'), genereerBericht('iwmo', '301', 1, { dagtekening: '2027-03-01', relaties: 1 }));
    const r = netwerkbrug(['convert', join(map, 'a.xml'), '--out', join(map, 'uit'), '--config', config, '--report', join(map, 'rapport.json')]);
    expect(r.status).toBe(0);
    // correct plurals; the phase is named as the plan's term
    expect(r.stderr).toMatch(/^1 message: 1 rewritten, 0 unchanged, 0 quarantined$/m);
    expect(r.stderr).toMatch(/^bronregistratie: 1 Sleutel created, 1 version created$/m);
    expect(r.stderr).toMatch(/^relatie: 1 object in phase naast$/m);
    expect(r.stderr).toMatch(/^contactgegevens: 1 object in phase inactief$/m);
    const rapport = JSON.parse(readFileSync(join(map, 'rapport.json'), 'utf8'));
    expect(rapport).toMatchObject({ omgezet: 1, sleutelsAangemaakt: 1, perObject: { relatie: { naast: 1 } } });
    // the database lives beside the configuration file
    expect(readdirSync(map)).toContain('bron.db');
    writeFileSync(join(map, 'b.xml'), '<niet');
    expect(netwerkbrug(['convert', join(map, 'b.xml'), '--out', join(map, 'uit'), '--config', config]).status).toBe(1);
    expect(netwerkbrug(['convert', join(map, 'a.xml'), '--out', join(map, 'uit'), '--config', join(map, 'bestaat-niet.yaml')]).status).toBe(2);
    expect(netwerkbrug(['convert', join(map, 'a.xml')]).status).toBe(2);
    const bronToon = netwerkbrug(['bron', 'toon', /<wmo301:Sleutel>([^<]*)</.exec(readFileSync(join(map, 'uit', 'a.xml'), 'utf8'))![1]!, '--config', config]);
    expect(bronToon.status).toBe(0);
    expect(JSON.parse(bronToon.stdout)).toMatchObject({ object: 'relatie', nummer: 1, versies: [1] });
  });

  it('killed with SIGKILL at random moments and started again, ends in the state of an uninterrupted run', async () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-kill-'));
    const invoer = join(map, 'in');
    for (const b of genereerArchief(1200, 77, { aandeel301: 0.7, vanaf: '2026-10-01', dagen: 400 })) {
      mkdirSync(dirname(join(invoer, b.naam)), { recursive: true });
      writeFileSync(join(invoer, b.naam), b.xml);
    }
    const config = join(map, 'plan.yaml');
    writeFileSync(config, JSON.stringify(PLAN));
    const run = (uit: string, db: string, dodenNa?: number) =>
      new Promise<number | null>((ok) => {
        const p = spawn(process.execPath, [...CLI, 'convert', invoer, '--out', uit, '--config', config, '--db', db, '--report', `${uit}.rapport.json`], { stdio: 'ignore' });
        const timer = dodenNa === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), dodenNa);
        p.on('exit', (code) => {
          clearTimeout(timer);
          ok(code);
        });
      });
    const t0 = Date.now();
    expect(await run(join(map, 'ref'), join(map, 'ref.db'))).toBe(0);
    const duur = Date.now() - t0;
    // kill moments spread over the length of an uninterrupted run (start-up included)
    const rng = new Random(Date.now() >>> 0);
    let gedood = 0;
    for (let i = 0; i < 4; i++) if ((await run(join(map, 'uit'), join(map, 'uit.db'), rng.int(Math.round(duur * 0.15), Math.round(duur * 0.9)))) === null) gedood++;
    expect(gedood).toBeGreaterThan(0);
    expect(await run(join(map, 'uit'), join(map, 'uit.db'))).toBe(0);

    // outputs: the same files; equal after numbering the Sleutels in order of appearance
    const ref = bestanden(join(map, 'ref'));
    expect(bestanden(join(map, 'uit'))).toEqual(ref);
    const nummering = (wortel: string) => {
      const nrs = new Map<string, number>();
      return ref.map((f) => readFileSync(join(wortel, f), 'utf8').replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, (u) => `S${nrs.get(u) ?? (nrs.set(u, nrs.size), nrs.size - 1)}`));
    };
    expect(nummering(join(map, 'uit'))).toEqual(nummering(join(map, 'ref')));
    const zonderRun = (p: string) => ({ ...JSON.parse(readFileSync(p, 'utf8')), run: undefined });
    expect(zonderRun(join(map, 'uit.rapport.json'))).toEqual(zonderRun(join(map, 'ref.rapport.json')));
    const a = new Bronregistratie(join(map, 'ref.db'));
    const b = new Bronregistratie(join(map, 'uit.db'));
    expect(b.telling()).toEqual(a.telling());
    a.sluit();
    b.sluit();
  }, 300_000);
});
