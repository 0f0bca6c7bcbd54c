/** `netwerkbrug bron toon SLEUTEL [--versie N]`: a record of the bronregistratie, with its history. */
import { Command } from 'commander';
import { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import { laadConfig } from '../config/laden.js';

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
  return bron;
}
