import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leesConfig, parseConfigTekst } from '../../src/config/laden.js';
import { netwerkbrug } from '../helpers/cli.js';

const mappen: string[] = [];
const nieuweMap = () => {
  const m = mkdtempSync(join(tmpdir(), 'nb-init-'));
  mappen.push(m);
  return m;
};
afterAll(() => {
  for (const m of mappen) rmSync(m, { recursive: true, force: true });
});

const SECTIES = ['deelnemer', 'bronregistratie', 'toegang', 'adresboek', 'server', 'notificaties', 'informatieobjecten'];

describe('netwerkbrug init', () => {
  it.each([
    ['gemeente', '0344'],
    ['aanbieder', '12345678'],
  ])('writes a commented starter configuration for a %s that validates against the schema', (rol, code) => {
    const map = nieuweMap();
    const r = netwerkbrug(['init', '--rol', rol, '--code', code, '--poort', '9443'], map);
    expect(r.status, r.stderr).toBe(0);
    const tekst = readFileSync(join(map, 'netwerkbrug.yaml'), 'utf8');
    const data = parseConfigTekst(tekst, 'netwerkbrug.yaml') as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual([...SECTIES].sort());
    const config = leesConfig(data, 'netwerkbrug.yaml'); // throws on any schema error
    expect(config.deelnemer?.code).toBe(code);
    expect(config.server?.poort).toBe(9443);
    expect(Object.keys(config.server?.tls ?? {}).sort()).toEqual(['ca', 'certificaat', 'sleutel']);
    expect(Object.keys(config.informatieobjecten).sort()).toEqual(['client', 'contactgegevens', 'levering', 'relatie', 'toewijzing']);
    // a comment line above every key
    const regels = tekst.split('\n');
    regels.forEach((regel, i) => {
      if (/^\s*[A-Za-z]+:/.test(regel)) expect(regels[i - 1], `no comment above line ${i + 1}: ${regel}`).toMatch(/^\s*#/);
    });
    expect(tekst).toContain(rol === 'gemeente' ? 'the 4-digit gemeentecode' : 'the 8-digit AGB code');
    // the file is usable by the other commands
    const lijst = netwerkbrug(['cutover', 'list', '--json', '--config', join(map, 'netwerkbrug.yaml')]);
    expect(lijst.status, lijst.stderr).toBe(0);
  });

  it('puts the database and the quarantine in the --data folder', () => {
    const map = nieuweMap();
    expect(netwerkbrug(['init', 'nb.yaml', '--rol', 'gemeente', '--code', '0344', '--data', '/var/lib/netwerkbrug'], map).status).toBe(0);
    const config = leesConfig(parseConfigTekst(readFileSync(join(map, 'nb.yaml'), 'utf8'), 'nb.yaml'));
    expect(config.bronregistratie.database).toBe('/var/lib/netwerkbrug/netwerkbrug.db');
    expect(config.server?.quarantaine).toBe('/var/lib/netwerkbrug/quarantaine');
  });

  it('refuses to overwrite an existing file, in one sentence with exit 2, and leaves it as it was', () => {
    const map = nieuweMap();
    writeFileSync(join(map, 'netwerkbrug.yaml'), '# mine\n');
    const r = netwerkbrug(['init', '--rol', 'gemeente', '--code', '0344'], map);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/exists already/);
    expect(r.stderr).not.toMatch(/\bat\b.*\.js:\d+/);
    expect(readFileSync(join(map, 'netwerkbrug.yaml'), 'utf8')).toBe('# mine\n');
    expect(readdirSync(map)).toEqual(['netwerkbrug.yaml']);
  });

  it('refuses a code that does not fit the role, and a missing role', () => {
    const map = nieuweMap();
    const r = netwerkbrug(['init', '--rol', 'aanbieder', '--code', '0344'], map);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/8-digit AGB code/);
    expect(netwerkbrug(['init', '--code', '0344'], map).status).toBe(2);
    expect(netwerkbrug(['init', '--rol', 'gemeente', '--code', '0344', '--poort', '70000'], map).status).toBe(2);
    expect(readdirSync(map)).toEqual([]);
  });
});
