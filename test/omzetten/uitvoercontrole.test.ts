/**
 * The check of a rewritten message (bericht/validatie.ts `valideerHerschreven`): it asks again only what the
 * rewrite can change (size, the keyed namespace's detection, libxml2's verdict) and must give exactly what the
 * whole validation of those bytes (`valideerBericht`) gives, for a good output and for a broken one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleutelNamespace } from '../../src/bericht/catalogus.js';
import { MAX_BERICHT_BYTES } from '../../src/bericht/lezen.js';
import { SchemaRegister } from '../../src/bericht/schemas.js';
import { valideerBericht, valideerHerschreven, type GeldigBericht } from '../../src/bericht/validatie.js';
import { laadConfig } from '../../src/config/laden.js';
import { planBericht } from '../../src/omzetten/bericht.js';
import { planEnControleer } from '../../src/omzetten/uitgaand.js';
import { register } from '../helpers/omzetten.js';

const ARCHIEF = join(import.meta.dirname, '../../fixtures/voorbeeldarchief');
// the example archive's plan: its Dagtekeningen put the five objects in every phase
const config = laadConfig(join(import.meta.dirname, '../../netwerkbrug.yaml'));
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Every valid message of the example archive that its plan rewrites, with its planned text. */
const herschreven = readdirSync(ARCHIEF, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .flatMap((f) => {
    const r = valideerBericht(readFileSync(join(ARCHIEF, f)), f, register);
    if (!r.geldig) return [];
    const tekst = planBericht(r.gelezen.tekst, r.bericht, r.kop, config).sjabloon;
    return tekst === undefined ? [] : [{ f, r, tekst }];
  });

const beide = (bytes: Buffer, r: GeldigBericht, reg: SchemaRegister = register) => ({
  snel: valideerHerschreven(bytes, 'uit.xml', reg, r.kop, sleutelNamespace(r.bericht.type)),
  geheel: valideerBericht(bytes, 'uit.xml', reg).fouten,
});

const mappen: string[] = [];
afterAll(() => mappen.forEach((m) => rmSync(m, { recursive: true, force: true })));

describe('the check of a rewritten message', () => {
  it('finds the example archive rewritten in many messages of several types (the premise of the tests below)', () => {
    expect(herschreven.length).toBeGreaterThan(40);
    expect(new Set(herschreven.map(({ r }) => r.bericht.type.naam)).size).toBeGreaterThan(3);
  });

  it('passes every planned output the whole validation passes, with and without a byte order mark', () => {
    for (const { r, tekst } of herschreven) {
      for (const bytes of [Buffer.from(tekst), Buffer.concat([BOM, Buffer.from(tekst)])]) expect(beide(bytes, r)).toEqual({ snel: [], geheel: [] });
    }
  });

  it('gives the same places and rules as the whole validation for a broken output: schema, well-formedness, namespace', () => {
    const { r, tekst } = herschreven.find(({ r }) => r.bericht.type.naam === 'WMO301')!;
    const kapot = [
      // an element the schema does not allow, in the body
      tekst.replace(/(<\/[\w:]*Client>)/, '<Onbekend>x</Onbekend>$1'),
      // not well-formed
      tekst.replace(/<\/[\w:]*Client>/, ''),
      // a namespace other than the keyed one the check was told
      tekst.replaceAll(sleutelNamespace(r.bericht.type), r.bericht.type.namespace),
    ];
    for (const t of kapot) {
      const { snel, geheel } = beide(Buffer.from(t), r);
      expect(geheel.length).toBeGreaterThan(0);
      expect(snel).toEqual(geheel);
    }
  });

  it('refuses an output above the size limit as the whole validation does, and one whose keyed schema is missing', () => {
    const { r, tekst } = herschreven[0]!;
    const groot = Buffer.alloc(MAX_BERICHT_BYTES + 1, 0x20);
    Buffer.from(tekst).copy(groot);
    const te = beide(groot, r);
    expect(te.geheel[0]!.omschrijving).toMatch(/limit is 25 MB/);
    expect(te.snel).toEqual(te.geheel);
    // a schema folder without the keyed schemas: no schema for the keyed namespace
    const leeg = mkdtempSync(join(tmpdir(), 'nb-xsd-'));
    mappen.push(leeg);
    const zonder = beide(Buffer.from(tekst), r, SchemaRegister.laad(leeg));
    expect(zonder.geheel.length).toBeGreaterThan(0);
    expect(zonder.snel).toEqual(zonder.geheel);
  });

  it('validates the very bytes a worker hands over (planEnControleer with alsBytes) and says the same as for the text', () => {
    const { r } = herschreven.find(({ r }) => r.bericht.type.naam === 'WMO301')!;
    const alsTekst = planEnControleer(r, 'a.xml', config, register);
    const alsBytes = planEnControleer(r, 'a.xml', config, register, true);
    expect(alsBytes.fouten).toEqual(alsTekst.fouten);
    expect(alsBytes.plan.sjabloon).toBeUndefined();
    expect(Buffer.from(alsBytes.plan.uitvoer!.bytes).toString('utf8')).toBe((r.gelezen.bom ? '\ufeff' : '') + alsTekst.plan.sjabloon);
  });
});
