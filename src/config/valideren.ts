/**
 * Checking parsed configuration data: the JSON Schema (schema.ts, with ajv), every error naming the key and
 * what was expected, and what JSON Schema cannot say (real calendar dates, einddatum not before sleutelVanaf,
 * known informatieobjecten).
 */
import { Ajv, type AnySchema, type ErrorObject } from 'ajv';
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { CONFIG_SCHEMA } from './schema.js';
import type { Config, Data } from './typen.js';

let validator: ReturnType<Ajv['compile']> | undefined;
/** The schema's errors for `data`; none when it is valid. */
export function schemaFouten(data: unknown): string[] {
  validator ??= new Ajv({ allErrors: true }).compile(CONFIG_SCHEMA as AnySchema);
  return validator(data) ? [] : (validator.errors ?? []).map((e) => `${instellingPad(e)}: ${verwacht(e)}`);
}

function instellingPad(e: ErrorObject): string {
  const pad = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') pad.push(String(e.params.additionalProperty));
  if (e.keyword === 'propertyNames' && e.params.propertyName) pad.push(String(e.params.propertyName));
  return pad.join('.') || '(top level)';
}

function verwacht(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties':
      return 'is not a known key';
    case 'propertyNames':
      return 'is not a counterpart code: expected a 4-digit gemeentecode or an 8-digit AGB code';
    case 'pattern':
      return e.schemaPath.includes('datum') ? 'expected a date YYYY-MM-DD' : `expected text matching ${String(e.params.pattern)}`;
    case 'type':
      return `expected ${String(e.params.type)}`;
    default:
      return e.message ?? 'is not valid';
  }
}

const isDatum = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};

/** Checks what JSON Schema cannot: real calendar dates, einddatum not before sleutelVanaf, purposes the objects declare. */
export function datumFouten(config: Config): string[] {
  const fouten: string[] = [];
  const controleer = (pad: string, d: Data, basis?: Data) => {
    for (const k of ['sleutelVanaf', 'einddatum'] as const) {
      const v = d[k];
      if (v !== undefined && !isDatum(v)) fouten.push(`${pad}.${k}: ${v} is not a calendar date`);
    }
    const vanaf = d.sleutelVanaf ?? basis?.sleutelVanaf;
    const eind = d.einddatum ?? basis?.einddatum;
    if (eind !== undefined && vanaf === undefined) fouten.push(`${pad}: einddatum without sleutelVanaf; expected both, or sleutelVanaf alone`);
    if (eind !== undefined && vanaf !== undefined && eind < vanaf) fouten.push(`${pad}: einddatum ${eind} is before sleutelVanaf ${vanaf}`);
  };
  const bekend = INFORMATIEOBJECTEN.map((o) => o.naam);
  for (const [naam, plan] of Object.entries(config.informatieobjecten)) {
    if (!bekend.includes(naam)) fouten.push(`informatieobjecten.${naam}: is not a known informatieobject (known: ${bekend.join(', ')})`);
    controleer(`informatieobjecten.${naam}`, plan);
    for (const [code, d] of Object.entries(plan.afwijkend ?? {})) controleer(`informatieobjecten.${naam}.afwijkend.${code}`, d, plan);
  }
  // a counterpart's purposes narrow what the object declares: a purpose it does not declare is a mistake
  for (const [code, perObject] of Object.entries(config.toegang.doelen ?? {})) {
    for (const [naam, doelen] of Object.entries(perObject)) {
      const object = INFORMATIEOBJECTEN.find((o) => o.naam === naam);
      if (!object) {
        fouten.push(`toegang.doelen.${code}.${naam}: is not a known informatieobject (known: ${bekend.join(', ')})`);
        continue;
      }
      for (const doel of doelen) {
        if (!Object.hasOwn(object.doelen, doel)) fouten.push(`toegang.doelen.${code}.${naam}: ${doel} is not a purpose of ${naam} (declared: ${Object.keys(object.doelen).join(', ')})`);
      }
    }
  }
  return fouten;
}
