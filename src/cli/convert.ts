/** `netwerkbrug convert <input...> --out DIR`: keyed messages out, objects into the bronregistratie. */
import { Command } from 'commander';
import { SchemaRegister } from '../bericht/schemas.js';
import { Runpool } from '../runs/pool.js';
import { Eigenaarregistraties } from '../bronregistratie/eigenaren.js';
import { controleerMappen } from '../archief/mappen.js';
import { laadConfig } from '../config/laden.js';
import { schrijfRapport, sluitRapport, type Rapport } from '../omzetten/rapport.js';
import { converteer } from '../runs/convert.js';
import { controleerInvoer, voortgang } from './voortgang.js';
import { werkersOptie } from './werkers.js';
import { aantal } from './tellen.js';
import { wetscheidingTekst } from '../bronregistratie/wetscheiding.js';

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
    .option('--db <file>', 'bronregistratie database (overrides bronregistratie.database; with bronregistratie.eigenaren it holds the run journal, each owner\'s records are in its own)')
    .option('--report <file>', 'write a JSON report')
    .addOption(werkersOptie())
    .addHelpText('after', '\nExit codes: 0 all converted, 1 any input quarantined, 2 usage or configuration error.')
    .action(async (invoer: string[], opties: Opties) => {
      controleerInvoer(invoer);
      controleerMappen(invoer.map((pad) => ({ naam: 'the input', pad })), [{ naam: '--out', pad: opties.out }]);
      const config = laadConfig(opties.config);
      // with owners separated (bronregistratie.eigenaren), each owner's database besides the default one
      const bronregistratie = Eigenaarregistraties.open(config, { db: opties.db });
      // a migration on open says what it did (counts only, never a Sleutel or personal data)
      for (const b of bronregistratie.alle) if (b.migratie?.wetscheiding) process.stderr.write(`${b.eigenaar ? `owner ${b.eigenaar}: ` : ''}${wetscheidingTekst(b.migratie.wetscheiding)}\n`);
      const register = SchemaRegister.laad();
      const balk = await voortgang('convert', invoer);
      const pool = opties.werkers > 0 ? new Runpool(register, opties.werkers, config, bronregistratie.identiteitsgeheimen()) : undefined;
      let rapport: Rapport;
      try {
        rapport = await converteer({ invoer, uit: opties.out, config, register, bronregistratie, ...(pool ? { pool } : {}), ...(balk.bij ? { voortgang: balk.bij } : {}), waarschuwing: (t) => process.stderr.write(`warning: ${t}\n`) });
      } finally {
        balk.stop();
        bronregistratie.sluit();
        await pool?.sluit();
      }
      // every warning in the file; the run kept the first ones in memory and the rest aside
      if (opties.report) schrijfRapport(opties.report, rapport);
      else sluitRapport(rapport);
      process.stderr.write(samenvatting(rapport));
      process.exitCode = rapport.quarantaine ? 1 : 0;
    });
}

const TOON = 20;

/** The first TOON lines, and a line saying how many more the report (`--report`) holds. */
function eerste(regels: string[], wat: string, totaal = regels.length): string[] {
  return totaal <= TOON ? regels : [...regels.slice(0, TOON), `… and ${totaal - TOON} more ${wat} (all of them in --report)`];
}

export function samenvatting(r: Rapport): string {
  const regels = [
    `${aantal(r.berichten, 'message')}: ${r.omgezet} rewritten, ${r.ongewijzigd} unchanged, ${r.quarantaine} quarantined` +
      (r.doorgegeven ? `; ${aantal(r.doorgegeven, 'other file')} passed through` : ''),
    `bronregistratie: ${aantal(r.sleutelsAangemaakt, 'Sleutel')} created, ${aantal(r.versiesAangemaakt, 'version')} created`,
  ];
  // the phase is a term of the plan (inactief, voor, naast, na): named as it is, not translated
  for (const [object, fasen] of Object.entries(r.perObject)) {
    regels.push(`${object}: ${Object.entries(fasen).map(([f, n]) => `${aantal(n, 'object')} in phase ${f}`).join(', ')}`);
  }
  if (r.alleenSleutels) regels.push(`${aantal(r.alleenSleutels, 'message')} became key-only: the Bsn and, per informatieobject, what identifies it and its Sleutel (in effect a notification)`);
  if (r.onbekendeEchos) regels.push(`${aantal(r.onbekendeEchos, 'echoed object')} had no Sleutel in the bronregistratie and ${r.onbekendeEchos === 1 ? 'was' : 'were'} left as ${r.onbekendeEchos === 1 ? 'it was' : 'they were'}`);
  // a large archive can have thousands of either: the first ones here, all of them in the report
  regels.push(...eerste(r.waarschuwingen.map((w) => `warning: ${w.bestand}: ${w.object} at ${w.plaats}: ${w.melding} (registered all the same)`), 'warnings', r.aantalWaarschuwingen));
  regels.push(...eerste(r.gequarantaineerd.map((q) => `quarantined: ${q.bestand}: ${q.redenen[0] ?? ''}`), 'quarantined inputs'));
  return regels.join('\n') + '\n';
}
