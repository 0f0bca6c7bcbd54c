/**
 * `npm run fixtures:generate`: writes fixtures/voorbeeldarchief/ (about 200 messages of mixed types, both
 * standards, half of them 301s with 0–3 Relaties, Dagtekeningen 2026-07-01..2027-12-31). The folder is
 * exactly the output: earlier files are removed first.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genereerArchief, type GegenereerdBericht } from './fixtures/generator.js';

export const VOORBEELDARCHIEF_SEED = 20261128;
export const VOORBEELDARCHIEF_AANTAL = 200;

export function voorbeeldarchief(): GegenereerdBericht[] {
  return [...genereerArchief(VOORBEELDARCHIEF_AANTAL, VOORBEELDARCHIEF_SEED, { aandeel301: 0.5, vanaf: '2026-07-01', dagen: 549 })];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const map = join(root, 'fixtures', 'voorbeeldarchief');
  rmSync(map, { recursive: true, force: true });
  for (const b of voorbeeldarchief()) {
    const pad = join(map, b.naam);
    mkdirSync(dirname(pad), { recursive: true });
    writeFileSync(pad, b.xml);
  }
  console.log(`wrote ${VOORBEELDARCHIEF_AANTAL} messages to ${map}`);
}
