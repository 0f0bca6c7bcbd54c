import { Ajv, type AnySchema } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { configSchemaTekst } from '../../scripts/config-schema.js';
import { leesConfig } from '../../src/config/laden.js';
import { CONFIG_SCHEMA, CONFIG_SCHEMA_BESTAND } from '../../src/config/schema.js';
import { STANDAARD_DATABASE, STANDAARD_TOEGANG } from '../../src/config/standaard.js';
import type { Config, ConfigBestand, ServerTokens, Toegang } from '../../src/config/typen.js';
import { ROOT } from '../helpers/paden.js';

describe('the configuration schema, written once in src/config/schema.ts', () => {
  it('the shipped schema/netwerkbrug.config.schema.json equals it (npm run config:schema, do not hand-edit)', () => {
    expect(CONFIG_SCHEMA_BESTAND).toBe(join(ROOT, 'schema', 'netwerkbrug.config.schema.json'));
    expect(readFileSync(CONFIG_SCHEMA_BESTAND, 'utf8')).toBe(configSchemaTekst());
  });

  it('is a valid draft-07 schema that ajv compiles without unknown keywords or type mistakes', () => {
    const ajv = new Ajv({ strictSchema: true, strictTypes: true, strictTuples: true, allErrors: true });
    expect(ajv.validateSchema(CONFIG_SCHEMA as AnySchema)).toBe(true);
    expect(() => ajv.compile(CONFIG_SCHEMA as AnySchema)).not.toThrow();
  });

  it.each([
    {},
    { bronregistratie: { basisUrl: 'https://bron.example.nl' } },
    { toegang: { nalooptijdMaanden: 12 } },
    { toegang: { einddatumHandhaving: 'lenient' }, adresboek: { '0363': { basisUrl: 'https://bron.example' } } },
    { informatieobjecten: { relatie: { sleutelVanaf: '2027-01-01' } }, bronregistratie: { database: 'x.db' } },
  ])('its defaults are exactly the ones leesConfig fills in: %j', (data) => {
    const metStandaard = structuredClone(data) as Record<string, unknown>;
    expect(new Ajv({ useDefaults: true }).compile(CONFIG_SCHEMA as AnySchema)(metStandaard)).toBe(true);
    expect(leesConfig(structuredClone(data))).toEqual(metStandaard);
  });

  it('toegang.doelen narrows per counterpart only to purposes the objects declare', () => {
    expect(leesConfig({ toegang: { doelen: { '12345678': { relatie: ['zorglevering'], contactgegevens: [] } } } }).toegang.doelen).toEqual({ '12345678': { relatie: ['zorglevering'], contactgegevens: [] } });
    expect(() => leesConfig({ toegang: { doelen: { '12345678': { relatie: ['marketing'] } } } })).toThrow(/toegang\.doelen\.12345678\.relatie: marketing is not a purpose of relatie \(declared: berichtverkeer, zorglevering\)/);
    expect(() => leesConfig({ toegang: { doelen: { '12345678': { zorgverlener: ['zorglevering'] } } } })).toThrow(/zorgverlener: is not a known informatieobject/);
    expect(() => leesConfig({ toegang: { doelen: { abc: { relatie: ['zorglevering'] } } } })).toThrow();
  });

  it('the default constants come from it', () => {
    expect(STANDAARD_DATABASE).toBe('./netwerkbrug.db');
    expect(STANDAARD_TOEGANG).toEqual({ nalooptijdMaanden: 24, einddatumHandhaving: 'strict' });
  });

  it('the types are derived from it', () => {
    // a loaded configuration has the defaulted keys; the file need not
    expectTypeOf<Config['bronregistratie']['database']>().toEqualTypeOf<string>();
    type Doelen = { [code: string]: { [object: string]: string[] } };
    expectTypeOf<Toegang>().toEqualTypeOf<{ nalooptijdMaanden: number; doelen?: Doelen; einddatumHandhaving: 'strict' | 'lenient' }>();
    expectTypeOf<ConfigBestand['toegang']>().toEqualTypeOf<{ nalooptijdMaanden?: number; doelen?: Doelen; einddatumHandhaving?: 'strict' | 'lenient' } | undefined>();
    // oneOf: a verification key or a JWK set
    expectTypeOf<{ uitgever: string; publiek: string; jwks: string }>().toExtend<ServerTokens>();
    expectTypeOf<{ uitgever: string; publiek: string }>().not.toExtend<ServerTokens>();
    // additionalProperties: false: no other keys
    expectTypeOf<{ bronregistratie: { databank: string } }>().not.toExtend<ConfigBestand>();
  });
});
