/** The package root, found from this module's location: works from `src/` (tests) and `dist/src/` (bin). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function zoekRoot(): string {
  let map = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(map, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'netwerkbrug') return map;
    const ouder = dirname(map);
    if (ouder === map) throw new Error('netwerkbrug package root not found');
    map = ouder;
  }
}

export const PAKKET_ROOT = zoekRoot();
export const PAKKET_VERSIE = (JSON.parse(readFileSync(join(PAKKET_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
