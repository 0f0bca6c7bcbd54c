/**
 * `netwerkbrug backup FILE`: a consistent copy of the bronregistratie, also while `serve` runs; never the
 * identity secret, which must be kept apart.
 */
import { Command } from 'commander';
import { maakBackup } from '../bronregistratie/kopie.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';

export function backupCommand(): Command {
  return new Command('backup')
    .description('write a consistent copy of the bronregistratie to FILE (also while serve runs); the identity secret is not in it')
    .argument('<file>', 'the backup file to write (must not exist)')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database (overrides bronregistratie.database)')
    .addOption(eigenaarOptie())
    .addHelpText('after', '\nExit codes: 0 written, 2 usage, configuration or environment error (nothing written).')
    .action(async (bestand: string, opties: { config?: string; db?: string }) => {
      const db = opties.db ?? kiesDatabase(laadConfig(opties.config), opties).pad;
      const u = await maakBackup(db, bestand);
      process.stderr.write(
        `backup written: ${bestand} (${u.records} records)\n` +
          `the identity secret is not in it: it is ${u.geheim === 'NETWERKBRUG_IDENTITEITSGEHEIM' ? 'the environment variable NETWERKBRUG_IDENTITEITSGEHEIM' : u.geheim}; ` +
          'keep a copy of the secret apart from the backup (without it the backup cannot be restored)\n',
      );
    });
}
