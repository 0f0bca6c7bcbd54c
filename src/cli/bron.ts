/** `netwerkbrug bron toon SLEUTEL [--versie N]`: a record of the bronregistratie, with its history. */
import { Command } from 'commander';
import { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';
import { wetbronUitArchief } from '../bronregistratie/wetbron.js';
import { wetscheidingTekst } from '../bronregistratie/wetscheiding.js';
import { Cliaudit } from './leesaudit.js';
import { SLEUTEL } from '../server/routes/bronregistraties.js';

/** A purpose is a code or URI of a processing activity, never free text (it is logged), as serve's X-Doel. */
export const DOEL = (v: string) => {
  if (!/^[A-Za-z0-9._:/-]{1,200}$/.test(v)) throw new NetwerkbrugFout('GEBRUIK', '--doel must be the code or URI of a processing activity (letters, digits, . _ : / -; at most 200)', { bestand: '--doel' });
  return v;
};

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
    .addOption(eigenaarOptie())
    .option('--doel <code>', 'the purpose of this read (a processing activity), for the audit log', DOEL, 'beheer')
    .addHelpText('after', '\nEvery read writes an audit entry (kanaal cli) before the record is printed. Exit codes: 0 shown, 2 not found or usage error.')
    .action((sleutel: string, opties: { versie?: number; config?: string; db?: string; doel: string }) => {
      // only reads the records: a mistyped --db is an error, never a new database; the audit entry is written
      const config = opties.db && !opties.config ? undefined : laadConfig(opties.config);
      const db = new Bronregistratie(opties.db ?? kiesDatabase(config!, opties).pad, { alleenLezen: true });
      let audit: Cliaudit | undefined;
      try {
        audit = new Cliaudit(db, config?.deelnemer?.code ?? null, config?.toegang.nalooptijdMaanden);
        const v = db.versie(sleutel, opties.versie);
        audit.schrijf({ object: v?.object ?? null, sleutel: v ? sleutel : null, versie: v?.nummer ?? null, doel: opties.doel, gevonden: v !== undefined });
        if (!v) {
          // what was typed is repeated only when it is a Sleutel (a random UUID): it could be a BSN
          const naam = SLEUTEL.test(sleutel) ? `Sleutel ${sleutel}` : 'the argument, which is not a Sleutel (a UUID v4 in lower case),';
          throw new NetwerkbrugFout('GEBRUIK', opties.versie ? `${naam} has no version ${opties.versie}` : `${naam} is not in the bronregistratie`, { bestand: db.pad });
        }
        process.stdout.write(JSON.stringify({ ...v, versies: db.versienummers(sleutel) }, null, 2) + '\n');
      } finally {
        audit?.sluit();
        db.sluit();
      }
    });
  bron
    .command('wetscheiding')
    .description('migrate a database of before the law separation (schema v3), taking the law of each message it registered from the archive it was built from; run it before any other command opens the database')
    .argument('<archief...>', 'the messages the database registered (files, folders or .zip; plain or keyed)')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .addOption(eigenaarOptie())
    .action(async (archief: string[], opties: { config?: string; db?: string }) => {
      const pad = opties.db ?? kiesDatabase(laadConfig(opties.config), opties).pad;
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
