/** `netwerkbrug validate <paths...>`: the verdict per message, errors with their place and rule. */
import { Command } from 'commander';
import { SchemaRegister, STANDAARD_SCHEMAS } from '../bericht/schemas.js';
import { valideerInvoer, type ValidatieItem } from '../runs/validate.js';
import { Runpool } from '../runs/pool.js';
import { werkersOptie } from './werkers.js';
import type { Validatieresultaat } from '../bericht/validatie.js';
import { formatPlaats } from '../fout.js';
import { aantal } from './tellen.js';

interface Opties {
  json?: boolean;
  schemas: string;
  alleenFouten?: boolean;
  werkers: number;
}

export function validateCommand(): Command {
  return new Command('validate')
    .description('validate iWmo/iJw 3.2 messages: files, directories (recursive) and .zip archives')
    .argument('<paths...>', 'files, directories or .zip archives')
    .option('--json', 'print one JSON object per message, and a summary object last')
    .option('--schemas <dir>', 'schema set to validate against (same layout as xsd/)', STANDAARD_SCHEMAS)
    .option('--alleen-fouten', 'print only messages that are not valid')
    .addOption(werkersOptie())
    .addHelpText('after', '\nExit codes: 0 all valid, 1 any message invalid, 2 usage error or unreadable input.')
    .action(async (paden: string[], opties: Opties) => {
      const register = SchemaRegister.laad(opties.schemas);
      const telling: Telling = { berichten: 0, geldig: 0, ongeldig: 0, overgeslagen: 0, onleesbaar: 0 };
      const pool = opties.werkers > 0 ? new Runpool(register, opties.werkers) : undefined;
      try {
        await toon(valideerInvoer(paden, register, pool), opties, telling);
      } finally {
        await pool?.sluit();
      }
      const samenvatting = `${aantal(telling.berichten, 'message')}: ${telling.geldig} valid, ${telling.ongeldig} invalid` +
        (telling.overgeslagen ? `; ${aantal(telling.overgeslagen, 'other file')} skipped` : '') +
        (telling.onleesbaar ? `; ${aantal(telling.onleesbaar, 'input')} unreadable` : '');
      if (opties.json) process.stdout.write(JSON.stringify({ samenvatting: telling }) + '\n');
      else process.stderr.write(samenvatting + '\n');
      process.exitCode = telling.onleesbaar ? 2 : telling.ongeldig ? 1 : 0;
    });
}

type Telling = { berichten: number; geldig: number; ongeldig: number; overgeslagen: number; onleesbaar: number };

async function toon(items: AsyncIterable<ValidatieItem>, opties: Opties, telling: Telling): Promise<void> {
  const uit = process.stdout;
  for await (const item of items) {
    if (item.soort === 'fout') {
      telling.onleesbaar++;
      const tekst = `${formatPlaats(item.fout.plaats ?? { bestand: '?' })}: ${item.fout.message}`;
      if (opties.json) uit.write(JSON.stringify({ bestand: item.fout.plaats?.bestand, onleesbaar: item.fout.message }) + '\n');
      else process.stderr.write(`netwerkbrug: ${tekst}\n`);
      continue;
    }
    if (item.soort === 'overgeslagen') {
      telling.overgeslagen++;
      continue;
    }
    const r = item.resultaat;
    telling.berichten++;
    if (r.geldig) telling.geldig++;
    else telling.ongeldig++;
    if (opties.alleenFouten && r.geldig) continue;
    uit.write(opties.json ? JSON.stringify(alsJson(r)) + '\n' : alsTekst(r));
  }
}

function berichtNaam(r: Validatieresultaat): string {
  if (!r.bericht) return 'not recognised';
  const { type: t, release } = r.bericht;
  return `${t.naam} ${t.omschrijving} (${t.standaard} ${release})`;
}

function alsTekst(r: Validatieresultaat): string {
  let s = `${r.geldig ? 'valid  ' : 'INVALID'}  ${r.bestand}  ${berichtNaam(r)}\n`;
  for (const f of r.fouten) {
    s += `    ${formatPlaats({ bestand: r.bestand, ...f })}${f.pad ? `  ${f.pad}` : ''}  ${f.omschrijving}\n`;
  }
  return s;
}

function alsJson(r: Validatieresultaat) {
  const b = r.bericht;
  return {
    bestand: r.bestand,
    geldig: r.geldig,
    bericht: b ? { standaard: b.type.standaard, bericht: b.type.naam, berichtCode: b.type.berichtCode, omschrijving: b.type.omschrijving, release: b.release } : null,
    fouten: r.fouten.map((f) => ({ bestand: r.bestand, ...f })),
  };
}
