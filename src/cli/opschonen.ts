/**
 * `netwerkbrug opschonen [--uitvoeren]`: what retention removes from the bronregistratie (a dry run: counts
 * per informatieobject and per table, nothing created or changed) and, with `--uitvoeren`, removing it
 * (bronregistratie/bewaring.ts). Only counts are printed, never a Sleutel or personal data.
 */
import { Command } from 'commander';
import { bewaartermijnen, schoonOp, type Opschoonuitslag } from '../bronregistratie/bewaring.js';
import { isKalenderdatum } from '../plan/datum.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';
import { NetwerkbrugFout } from '../fout.js';

/** Today as `serve` judges grounds: the date in the Netherlands, not in UTC. */
const AMSTERDAM = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

export function opschonenCommand(): Command {
  return new Command('opschonen')
    .description('show what is past its retention (dry run), or remove it with --uitvoeren: records and all that hangs from them, finished deliveries, old audit entries')
    .option('--uitvoeren', 'remove it (one transaction; freed pages are overwritten and the WAL emptied)')
    .option('--peildatum <datum>', 'the day to judge retention on, YYYY-MM-DD (default: today in the Netherlands)', (v) => {
      if (!isKalenderdatum(v)) throw new NetwerkbrugFout('GEBRUIK', `--peildatum ${v}: expected a calendar date YYYY-MM-DD`, { bestand: '--peildatum' });
      return v;
    })
    .option('--config <file>', 'configuration file with the retention periods (default: ./netwerkbrug.yaml)')
    .option('--db <file>', 'bronregistratie database (overrides bronregistratie.database)')
    .addOption(eigenaarOptie())
    .option('--json', 'one JSON object')
    .addHelpText('after', '\nExit codes: 0 done, 2 usage, configuration or environment error (nothing removed).')
    .action((opties: { uitvoeren?: boolean; peildatum?: string; config?: string; db?: string; json?: boolean }) => {
      // the periods come from the configuration, always: never remove by defaults the operator did not see
      const config = laadConfig(opties.config);
      const database = kiesDatabase(config, opties).pad;
      const peildatum = opties.peildatum ?? AMSTERDAM.format(new Date());
      const u = schoonOp(database, bewaartermijnen(config), peildatum, opties.uitvoeren === true);
      process.stdout.write(opties.json ? JSON.stringify(u) + '\n' : tekst(u));
    });
}

function tekst(u: Opschoonuitslag): string {
  const t = u.termijnen;
  const regels = [
    `${u.uitgevoerd ? 'removed' : 'dry run: would remove'} (peildatum ${u.peildatum}; retention after a record's end: ${Object.entries(t.objecten)
      .map(([o, m]) => `${o} ${m} months`)
      .join(', ')}; finished deliveries ${t.notificatieDagen} days; audit entries ${t.auditMaanden} months)`,
  ];
  const objecten = Object.entries(u.perObject);
  if (!objecten.length) regels.push('  no record is past its retention');
  for (const [object, telling] of objecten) regels.push(`  ${object}: ${telling.record ?? 0} records (${rij(telling, ['record'])})`);
  regels.push(`  per table: ${rij(u.perTabel, [])}`);
  if (u.auditTot > 0) regels.push(`  audit entries up to ${u.auditTot}${u.uitgevoerd ? '; audit verifieer starts from the anchor left there' : ''}`);
  if (u.walGeleegd === false) regels.push('  the WAL could not be emptied while another process reads the database; its next checkpoint empties it');
  if (!u.uitgevoerd) regels.push('nothing was changed; run with --uitvoeren to remove it');
  return regels.join('\n') + '\n';
}

const rij = (t: Record<string, number>, zonder: string[]) =>
  Object.entries(t)
    .filter(([k]) => !zonder.includes(k))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
