/** `netwerkbrug bron toon SLEUTEL [--versie N]`: a record of the bronregistratie, with its history. */
import { Command } from 'commander';
import { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import { laadConfig } from '../config/laden.js';
import { wetbronUitArchief } from '../bronregistratie/wetbron.js';
import { wetscheidingTekst } from '../bronregistratie/wetscheiding.js';

export function bronCommand(): Command {
  const bron = new Command('bron').description('query the bronregistratie');
  bron
    .command('toon')
    .description('print a record (current version, or --versie N) as JSON, with its versions in message order')
    .argument('<sleutel>', 'the Sleutel (UUID)')
    .option('--versie <n>', 'this version instead of the current one', (v) => {
      if (!/^[1-9]\d*$/.test(v)) throw new NetwerkbrugFout('GEBRUIK', `--versie ${v}: expected a positive whole number`, { bestand: '--versie' });
      return Number(v);
    })
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .action((sleutel: string, opties: { versie?: number; config?: string; db?: string }) => {
      // only reads: a mistyped --db is an error, never a new database
      const db = new Bronregistratie(opties.db ?? laadConfig(opties.config).bronregistratie.database, { alleenLezen: true });
      try {
        const v = db.versie(sleutel, opties.versie);
        if (!v) {
          throw new NetwerkbrugFout('GEBRUIK', opties.versie ? `Sleutel ${sleutel} has no version ${opties.versie}` : `Sleutel ${sleutel} is not in the bronregistratie`, { bestand: db.pad });
        }
        process.stdout.write(JSON.stringify({ ...v, versies: db.versienummers(sleutel) }, null, 2) + '\n');
      } finally {
        db.sluit();
      }
    });
  bron
    .command('wetscheiding')
    .description('migrate a database of before the law separation (schema v3), taking the law of each message it registered from the archive it was built from; run it before any other command opens the database')
    .argument('<archief...>', 'the messages the database registered (files, folders or .zip; plain or keyed)')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .action(async (archief: string[], opties: { config?: string; db?: string }) => {
      const pad = opties.db ?? laadConfig(opties.config).bronregistratie.database;
      const wetten = await wetbronUitArchief(archief);
      const db = new Bronregistratie(pad, { moetBestaan: true, wetbron: wetten.wetbron });
      try {
        const w = db.migratie?.wetscheiding;
        process.stderr.write(
          w
            ? `${wetten.berichten} message(s) read from the archive${wetten.tegenstrijdig ? ` (${wetten.tegenstrijdig} identification(s) under both laws left unknown)` : ''}\n${wetscheidingTekst(w)}\n`
            : 'the database is already separated by law: nothing to do\n',
        );
      } finally {
        db.sluit();
      }
    });
  return bron;
}
