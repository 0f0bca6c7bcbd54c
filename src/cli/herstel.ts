/**
 * `netwerkbrug herstel FILE`: restores a backup as the bronregistratie, after checking its integrity and that it
 * belongs to the configured identity secret.
 */
import { Command } from 'commander';
import { herstel } from '../bronregistratie/kopie.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';

export function herstelCommand(): Command {
  return new Command('herstel')
    .description('restore a backup as the bronregistratie (checked: integrity, and its identity secret)')
    .argument('<file>', 'the backup file')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database to restore (overrides bronregistratie.database)')
    .addOption(eigenaarOptie())
    .option('--overschrijven', 'replace an existing database (stop serve and other commands on it first)')
    .addHelpText('after', '\nThe identity secret must be in place first: <database>.geheim or NETWERKBRUG_IDENTITEITSGEHEIM.\nExit codes: 0 restored, 2 usage, configuration or environment error (nothing changed).')
    .action((bestand: string, opties: { config?: string; db?: string; overschrijven?: boolean }) => {
      const db = opties.db ?? kiesDatabase(laadConfig(opties.config), opties).pad;
      const u = herstel(bestand, db, { overschrijven: opties.overschrijven === true });
      if (u.ongecontroleerd) process.stderr.write('the backup was made before verifiers: it could not be checked against the identity secret, and is tied to it from now on\n');
      process.stderr.write(`restored: ${db} (${u.records} records)\n`);
    });
}
