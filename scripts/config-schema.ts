/**
 * Writes `schema/netwerkbrug.config.schema.json`, the JSON Schema of the configuration that ships with the
 * package, from `src/config/schema.ts` (the one place it is written). Run after changing the schema:
 * `npm run build && npm run config:schema`. test/config/schema.test.ts checks that the committed file equals
 * this output.
 */
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA, CONFIG_SCHEMA_BESTAND } from '../src/config/schema.js';
import { isHoofdprogramma } from './hoofdprogramma.js';

/** The file's text: the schema object as JSON, two spaces, a final newline. */
export function configSchemaTekst(): string {
  return `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
}

const isMain = isHoofdprogramma(import.meta.url);

if (isMain) {
  writeFileSync(CONFIG_SCHEMA_BESTAND, configSchemaTekst());
  console.log(`wrote ${CONFIG_SCHEMA_BESTAND}`);
}
