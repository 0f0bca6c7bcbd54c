import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valideerBericht } from '../../src/bericht/validatie.js';
import type { Bronregistratie } from '../../src/bronregistratie/store.js';
import type { Config } from '../../src/config/typen.js';
import { LokaleOplosser } from '../../src/rehydreren/lokaal.js';
import { rehydreerBericht, type RehydratieUitkomst } from '../../src/rehydreren/bericht.js';
import type { SleutelOplosser } from '../../src/rehydreren/oplosser.js';
import { register } from './omzetten.js';

const map = mkdtempSync(join(tmpdir(), 'nb-c14n-'));
let n = 0;

/** Canonical XML (C14N 1.0) by libxml2's xmllint, the reference for "equal after canonicalisation". */
export function c14n(tekst: string): string {
  const pad = join(map, `${n++}.xml`);
  writeFileSync(pad, tekst);
  return execFileSync('xmllint', ['--c14n', pad], { encoding: 'utf8' });
}

/** Validates the message and rehydrates it against `bron` (or another resolver). */
export async function rehydreer(tekst: string, config: Config, bronregistratie: Bronregistratie | SleutelOplosser): Promise<RehydratieUitkomst> {
  const v = valideerBericht(Buffer.from(tekst), 'test.xml', register);
  if (!v.geldig) throw new Error(`input not valid: ${JSON.stringify(v.fouten)}`);
  const oplosser = 'los' in bronregistratie ? bronregistratie : new LokaleOplosser(bronregistratie);
  return rehydreerBericht(v.gelezen.tekst, v.bericht, v.kop, { config, register, oplosser, bestand: 'test.xml' });
}
