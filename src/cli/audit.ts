/** `netwerkbrug audit verifieer`: checks the audit log's hash chain and head, read-only. */
import { Command } from 'commander';
import { verifieerAuditlog } from '../bronregistratie/auditketen.js';
import { laadConfig } from '../config/laden.js';

const SOORT = { gewijzigd: 'changed', ontbreekt: 'missing', ingevoegd: 'inserted', kop: 'head mismatch', anker: 'forged anchor' } as const;

export function auditCommand(): Command {
  const audit = new Command('audit').description("the sidecar's audit log");
  audit
    .command('verifieer')
    .description('walk the audit log\'s hash chain and check its head; names the first entry that was changed, removed or inserted')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database')
    .option('--json', 'one JSON object')
    .addHelpText('after', '\nExit codes: 0 intact, 1 broken, 2 usage error (no database, no identity secret).')
    .action((opties: { config?: string; db?: string; json?: boolean }) => {
      const database = opties.db ?? laadConfig(opties.config).bronregistratie.database;
      const u = verifieerAuditlog(database);
      if (opties.json) process.stdout.write(JSON.stringify(u) + '\n');
      else if (u.intact) process.stdout.write(`audit log intact: ${u.regels} entries${u.kop ? `, head at ${u.kop.volgnummer}` : ''}${u.anker ? `, from the retention anchor at ${u.anker.volgnummer}` : ''}\n`);
      else process.stdout.write(`audit log broken at entry ${u.volgnummer}: ${SOORT[u.soort]} (${u.uitleg}); ${u.regels} entries before it are intact\n`);
      process.exitCode = u.intact ? 0 : 1;
    });
  return audit;
}
