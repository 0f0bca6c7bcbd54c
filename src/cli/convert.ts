/** `netwerkbrug convert <input...> --out DIR`: keyed messages out, objects into the bronregistratie. */
import { Command } from 'commander';
import { SchemaRegister } from '../bericht/schemas.js';
import { Werkpool } from '../werkers/pool.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { controleerMappen } from '../archief/mappen.js';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { laadConfig } from '../plan/config.js';
import type { Rapport } from '../omzetten/rapport.js';
import { converteer } from '../omzetten/run.js';
import { controleerInvoer, voortgang } from './voortgang.js';
import { werkersOptie } from './werkers.js';

interface Opties {
  out: string;
  config?: string;
  db?: string;
  report?: string;
  werkers: number;
}

export function convertCommand(): Command {
  return new Command('convert')
    .description('convert messages: register informatieobjecten, rewrite messages to carry Sleutels per the cutover plan')
    .argument('<input...>', 'files, directories or .zip archives')
    .requiredOption('--out <dir>', 'output folder (relative paths and names kept; a zip in gives a zip out)')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml; required)')
    .option('--db <file>', 'bronregistratie database (overrides bronregistratie.database)')
    .option('--report <file>', 'write a JSON report')
    .addOption(werkersOptie())
    .addHelpText('after', '\nExit codes: 0 all converted, 1 any input quarantined, 2 usage or configuration error.')
    .action(async (invoer: string[], opties: Opties) => {
      controleerInvoer(invoer);
      controleerMappen(invoer.map((pad) => ({ naam: 'the input', pad })), [{ naam: '--out', pad: opties.out }]);
      const config = laadConfig(opties.config);
      const bron = new Bronregistratie(opties.db ?? config.bronregistratie.database);
      const register = SchemaRegister.laad();
      const balk = await voortgang('convert', invoer);
      const pool = opties.werkers > 0 ? new Werkpool(register, opties.werkers, config) : undefined;
      let rapport: Rapport;
      try {
        rapport = await converteer({ invoer, uit: opties.out, config, register, bron, ...(pool ? { pool } : {}), ...(balk.bij ? { voortgang: balk.bij } : {}) });
      } finally {
        balk.stop();
        bron.sluit();
        await pool?.sluit();
      }
      if (opties.report) schrijfAtomisch(opties.report, JSON.stringify(rapport, null, 2) + '\n');
      process.stderr.write(samenvatting(rapport));
      process.exitCode = rapport.quarantaine ? 1 : 0;
    });
}

function samenvatting(r: Rapport): string {
  const regels = [
    `${r.berichten} messages: ${r.omgezet} rewritten, ${r.ongewijzigd} unchanged, ${r.quarantaine} quarantined` + (r.doorgegeven ? `; ${r.doorgegeven} other files passed through` : ''),
    `bronregistratie: ${r.sleutelsAangemaakt} Sleutels created, ${r.versiesAangemaakt} versions created`,
  ];
  for (const [object, fasen] of Object.entries(r.perObject)) {
    regels.push(`${object}: ${Object.entries(fasen).map(([f, n]) => `${n} ${f}`).join(', ')}`);
  }
  if (r.alleenSleutels) regels.push(`${r.alleenSleutels} messages carry only Sleutels for their informatieobjecten (in effect notifications)`);
  if (r.onbekendeEchos) regels.push(`${r.onbekendeEchos} echoed objects had no Sleutel in the bronregistratie and were left as they were`);
  for (const q of r.gequarantaineerd) regels.push(`quarantined: ${q.bestand}: ${q.redenen[0] ?? ''}`);
  return regels.join('\n') + '\n';
}
