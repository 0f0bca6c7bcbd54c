/**
 * The configuration's defaults: the file looked for without `--config`, and the values `leesConfig` fills in,
 * read from the schema's `default` keywords so they are written once.
 */
import { CONFIG_SCHEMA } from './schema.js';
import type { Toegang } from './typen.js';

export const STANDAARD_CONFIG = 'netwerkbrug.yaml';
export const STANDAARD_DATABASE: string = CONFIG_SCHEMA.properties.bronregistratie.properties.database.default;
/** the iWlz keeps contactpersonen available until the toewijzing's einddatum + 2 years */
export const STANDAARD_TOEGANG: Toegang = {
  nalooptijdMaanden: CONFIG_SCHEMA.properties.toegang.properties.nalooptijdMaanden.default,
  einddatumHandhaving: CONFIG_SCHEMA.properties.toegang.properties.einddatumHandhaving.default,
};
