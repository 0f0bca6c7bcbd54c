import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { maakZip, netwerkbrug } from '../helpers/cli.js';
import { GEPUBLICEERD, ORAKEL, ROOT, referentie } from '../helpers/paden.js';

let map: string;
const WMO301 = readFileSync(referentie('WMO301_toewijzing'), 'utf8');
const ONGELDIG = WMO301.replace(/<wmo301:Geslacht>\d</, '<wmo301:Geslacht>7<');

beforeAll(async () => {
  map = mkdtempSync(join(tmpdir(), 'nb-validate-'));
  mkdirSync(join(map, 'goed', 'sub'), { recursive: true });
  copyFileSync(referentie('WMO301_toewijzing'), join(map, 'goed', 'WMO301.xml'));
  copyFileSync(join(ROOT, 'fixtures', 'voorbeeldarchief', 'ijw', 'JW305_000070.xml'), join(map, 'goed', 'sub', 'JW305.xml'));
  writeFileSync(join(map, 'goed', 'LEESMIJ.txt'), 'geen bericht');
  writeFileSync(join(map, 'ongeldig.xml'), ONGELDIG);
  await maakZip(join(map, 'archief.zip'), { 'map/WMO301.xml': WMO301, 'map/fout.xml': ONGELDIG, 'notitie.txt': 'x' });
  writeFileSync(join(map, 'kapot.zip'), 'PK\u0003\u0004 dit is geen zip');
});

describe('netwerkbrug validate', () => {
  it('exits 0 when every message in a directory is valid, naming each message', () => {
    const r = netwerkbrug(['validate', join(map, 'goed')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/valid {3}.*goed\/WMO301\.xml {2}WMO301 Toewijzing \(iwmo 3\.2\)/);
    expect(r.stdout).toMatch(/goed\/sub\/JW305\.xml {2}JW305 Start \(ijw 3\.2\)/);
    expect(r.stderr).toMatch(/2 messages: 2 valid, 0 invalid; 1 other file skipped/);
  });

  it('exits 1 when a message is invalid, with file, line, column, path and rule', () => {
    const r = netwerkbrug(['validate', join(map, 'ongeldig.xml')]);
    expect(r.status).toBe(1);
    const regel = ONGELDIG.split('\n').findIndex((l) => l.includes('<wmo301:Geslacht>7<')) + 1;
    expect(r.stdout).toContain('INVALID');
    expect(r.stdout).toMatch(new RegExp(`ongeldig\\.xml:${regel}:\\d+ {2}/Bericht/Client/Geslacht {2}value of Geslacht is not in its code list`));
  });

  it('reads zip archives and mixes them with files and directories', () => {
    const r = netwerkbrug(['validate', '--json', join(map, 'goed'), join(map, 'archief.zip'), join(map, 'ongeldig.xml')]);
    expect(r.status).toBe(1);
    const regels = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const perBestand = Object.fromEntries(regels.filter((x) => x.bestand).map((x) => [x.bestand.slice(map.length + 1), x]));
    expect(Object.keys(perBestand).sort()).toEqual(['archief.zip!map/WMO301.xml', 'archief.zip!map/fout.xml', 'goed/WMO301.xml', 'goed/sub/JW305.xml', 'ongeldig.xml']);
    expect(perBestand['archief.zip!map/WMO301.xml']).toMatchObject({ geldig: true, bericht: { bericht: 'WMO301', berichtCode: '414', standaard: 'iwmo' } });
    const fout = perBestand['archief.zip!map/fout.xml'];
    expect(fout.geldig).toBe(false);
    expect(fout.fouten[0]).toMatchObject({ bestand: join(map, 'archief.zip!map/fout.xml'), pad: '/Bericht/Client/Geslacht', code: 'BERICHT_ONGELDIG' });
    expect(regels.at(-1)).toEqual({ samenvatting: { berichten: 5, geldig: 3, ongeldig: 2, overgeslagen: 2, onleesbaar: 0 } });
  });

  it('exits 2 for a path that does not exist or a damaged zip, and still reports the rest', () => {
    const r = netwerkbrug(['validate', join(map, 'bestaat-niet.xml'), join(map, 'kapot.zip'), join(map, 'goed')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bestaat-niet\.xml: cannot be read: no such file or directory/);
    expect(r.stderr).toMatch(/kapot\.zip: zip archive cannot be read/);
    expect(r.stdout).toMatch(/goed\/WMO301\.xml/);
  });

  it('exits 2 for a usage error', () => {
    expect(netwerkbrug(['validate']).status).toBe(2);
    expect(netwerkbrug(['validate', '--onbekend', 'x']).status).toBe(2);
  });

  it.skipIf(!ORAKEL)('validates against another schema set (the published XSDs) with --schemas, through the same code path', () => {
    const r = netwerkbrug(['validate', '--schemas', GEPUBLICEERD, join(map, 'goed'), join(map, 'ongeldig.xml')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/valid {3}.*WMO301\.xml/);
    expect(r.stdout).toMatch(/value of Geslacht is not in its code list/);
  });

  it('exits 2 for a schema folder that does not exist', () => {
    const r = netwerkbrug(['validate', '--schemas', join(map, 'geen-schemas'), join(map, 'goed')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/schema folder cannot be read/);
  });
});
