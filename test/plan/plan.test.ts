import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laadConfig, leesConfig } from '../../src/config/laden.js';
import { wijzigPlan } from '../../src/plan/cutover.js';
import { fase } from '../../src/plan/fase.js';
import { NetwerkbrugFout } from '../../src/fout.js';
import { netwerkbrug } from '../helpers/cli.js';

const config = leesConfig({
  informatieobjecten: {
    relatie: { sleutelVanaf: '2027-01-01', einddatum: '2027-07-01', afwijkend: { '11112222': { sleutelVanaf: '2027-01-01', einddatum: '2028-01-01' } } },
  },
});

function foutVan(data: unknown): string {
  try {
    leesConfig(data, 'plan.yaml');
  } catch (e) {
    if (e instanceof NetwerkbrugFout) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('the phase of an object on a Dagtekening', () => {
  it.each([
    ['2026-12-31', 'voor'],
    ['2027-01-01', 'naast'],
    ['2027-01-02', 'naast'],
    ['2027-06-30', 'naast'],
    ['2027-07-01', 'na'],
    ['2027-07-02', 'na'],
  ])('relatie on %s is %s', (dag, verwacht) => {
    expect(fase(config, 'relatie', '99998888', dag)).toBe(verwacht);
  });

  it('a counterpart override moves the einddatum for that counterpart only', () => {
    expect(fase(config, 'relatie', '11112222', '2027-07-01')).toBe('naast');
    expect(fase(config, 'relatie', '11112222', '2027-12-31')).toBe('naast');
    expect(fase(config, 'relatie', '11112222', '2028-01-01')).toBe('na');
    expect(fase(config, 'relatie', '22223333', '2027-07-01')).toBe('na');
  });

  it('an object without dates is inactive', () => {
    expect(fase(config, 'contactgegevens', '99998888', '2030-01-01')).toBe('inactief');
  });

  it('sleutelVanaf alone keeps the object in the naast phase', () => {
    const c = leesConfig({ informatieobjecten: { relatie: { sleutelVanaf: '2027-01-01' } } });
    expect(fase(c, 'relatie', 'x', '2099-01-01')).toBe('naast');
  });
});

describe('configuration errors name the key and what was expected', () => {
  it('an unknown key', () => {
    expect(foutVan({ bronregistratie: { databank: 'x' } })).toMatch(/bronregistratie\.databank: is not a known key/);
  });
  it('a date that is not YYYY-MM-DD, or not a calendar date', () => {
    expect(foutVan({ informatieobjecten: { relatie: { sleutelVanaf: '1-1-2027' } } })).toMatch(/informatieobjecten\.relatie\.sleutelVanaf: expected a date YYYY-MM-DD/);
    expect(foutVan({ informatieobjecten: { relatie: { sleutelVanaf: '2027-02-30' } } })).toMatch(/2027-02-30 is not a calendar date/);
  });
  it('an einddatum before sleutelVanaf, also through an override', () => {
    expect(foutVan({ informatieobjecten: { relatie: { sleutelVanaf: '2027-07-01', einddatum: '2027-01-01' } } })).toMatch(/relatie: einddatum 2027-01-01 is before sleutelVanaf 2027-07-01/);
    expect(foutVan({ informatieobjecten: { relatie: { sleutelVanaf: '2027-07-01', afwijkend: { '1234': { einddatum: '2027-01-01' } } } } })).toMatch(/afwijkend\.1234: einddatum/);
  });
  it('an unknown informatieobject and a counterpart code of the wrong shape', () => {
    expect(foutVan({ informatieobjecten: { clienten: { sleutelVanaf: '2027-01-01' } } })).toMatch(/informatieobjecten\.clienten: is not a known informatieobject \(known: relatie, contactgegevens, client, toewijzing, levering\)/);
    expect(foutVan({ informatieobjecten: { relatie: { sleutelVanaf: '2027-01-01', afwijkend: { abc: {} } } } })).toMatch(/afwijkend\.abc: is not a counterpart code/);
  });
  it('a YAML syntax error names line and column', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-plan-'));
    writeFileSync(join(map, 'p.yaml'), 'informatieobjecten:\n  relatie: [\n');
    try {
      laadConfig(join(map, 'p.yaml'));
      expect.unreachable();
    } catch (e) {
      expect((e as NetwerkbrugFout).plaats?.regel).toBeGreaterThan(0);
    }
  });
});

describe('cutover set', () => {
  const plan = '# plan\ninformatieobjecten:\n  relatie:   # the contactpersoon\n    sleutelVanaf: 2027-01-01 # start\n';

  it('changes the file, keeping its comments, and cutover list shows it', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-plan-'));
    const pad = join(map, 'netwerkbrug.yaml');
    writeFileSync(pad, plan);
    wijzigPlan(pad, { object: 'relatie', einddatum: '2027-07-01' });
    wijzigPlan(pad, { object: 'relatie', einddatum: '2028-01-01', voor: '11112222' });
    const tekst = readFileSync(pad, 'utf8');
    expect(tekst).toContain('# plan');
    expect(tekst).toContain('# the contactpersoon');
    expect(tekst).toContain('# start');
    const c = laadConfig(pad);
    expect(c.informatieobjecten.relatie).toEqual({ sleutelVanaf: '2027-01-01', einddatum: '2027-07-01', afwijkend: { '11112222': { einddatum: '2028-01-01' } } });
    const lijst = netwerkbrug(['cutover', 'list', '--config', pad]);
    expect(lijst.status).toBe(0);
    expect(lijst.stdout).toMatch(/relatie\s+\(default\)\s+2027-01-01\s+2027-07-01/);
    expect(lijst.stdout).toMatch(/relatie\s+11112222\s+2027-01-01\s+2028-01-01/);
  });

  it('refuses an einddatum before sleutelVanaf and leaves the file as it was', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-plan-'));
    const pad = join(map, 'netwerkbrug.yaml');
    writeFileSync(pad, plan);
    const r = netwerkbrug(['cutover', 'set', 'relatie', '--einddatum', '2026-01-01', '--config', pad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/einddatum 2026-01-01 is before sleutelVanaf 2027-01-01/);
    expect(readFileSync(pad, 'utf8')).toBe(plan);
  });
});
