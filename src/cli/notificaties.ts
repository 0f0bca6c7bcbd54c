/**
 * `netwerkbrug notificaties status|opnieuw|bezorg`: the delivery state per recipient, resending, and the
 * delivery worker.
 */
import { Command } from 'commander';
import { Notificatiestore } from '../bronregistratie/notificatiestore.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Bezorger } from '../notificaties/bezorging.js';
import { instellingen } from '../notificaties/instellingen.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';

interface Opties {
  config?: string;
  db?: string;
}

/** The database must exist (notifications come from its outbox); `alleenLezen` for `status`: nothing is written. */
function open(opties: Opties, alleenLezen = false) {
  const config = laadConfig(opties.config);
  const i = instellingen(config);
  const bronregistratie = new Bronregistratie(kiesDatabase(config, opties).pad, alleenLezen ? { alleenLezen } : { moetBestaan: true });
  let opslag: Notificatiestore;
  try {
    opslag = new Notificatiestore(bronregistratie.pad, { alleenLezen });
  } catch (e) {
    bronregistratie.sluit();
    throw e;
  }
  return {
    i,
    bronregistratie,
    opslag,
    sluit: () => {
      opslag.sluit();
      bronregistratie.sluit();
    },
  };
}

const gemeenschappelijk = (c: Command) =>
  c.option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)').option('--db <file>', 'bronregistratie database').addOption(eigenaarOptie());

export function notificatiesCommand(): Command {
  const notificaties = new Command('notificaties').description('informatie-arme notificaties: delivery state, resending, the delivery worker');

  gemeenschappelijk(notificaties.command('status'))
    .description('waiting, failed, dead and dropped deliveries per recipient')
    .option('--json', 'one JSON object')
    .action((opties: Opties & { json?: boolean }) => {
      const o = open(opties, true);
      try {
        const rijen = o.opslag.status();
        const onverdeeld = o.opslag.onverdeeld();
        if (opties.json) {
          process.stdout.write(JSON.stringify({ onverdeeld, wachtrijen: rijen }, null, 2) + '\n');
          return;
        }
        const kop = ['recipient', 'queue', 'pending', 'failed', 'dead', 'dropped', 'delivered'];
        const tabel = [kop, ...rijen.map((r) => [r.ontvanger, r.wachtrij, r.wachtend, r.mislukt, r.dood, r.vervallen, r.geleverd].map(String))];
        const breedte = kop.map((_, k) => Math.max(...tabel.map((r) => r[k]!.length)));
        for (const r of tabel) process.stdout.write(r.map((c, k) => c.padEnd(breedte[k]!)).join('  ').trimEnd() + '\n');
        process.stdout.write(`\nnot yet distributed: ${onverdeeld}\n`);
      } finally {
        o.sluit();
      }
    });

  gemeenschappelijk(notificaties.command('opnieuw'))
    .description('send a notification again (same id), or with --alle every dead-lettered delivery')
    .argument('[id]', 'the notification id (the CloudEvents id)')
    .option('--alle', 'every dead-lettered delivery')
    .action((id: string | undefined, opties: Opties & { alle?: boolean }) => {
      if (!id === !opties.alle) throw new NetwerkbrugFout('GEBRUIK', 'give a notification id or --alle (not both)', { bestand: 'notificaties opnieuw' });
      const o = open(opties);
      try {
        if (opties.alle) {
          process.stdout.write(`${o.opslag.opnieuwDood(Date.now())} dead deliveries wait again\n`);
          return;
        }
        const r = o.opslag.opnieuw(id!, Date.now());
        if (!r.bekend) throw new NetwerkbrugFout('GEBRUIK', `notification ${id} is not in the outbox`, { bestand: o.bronregistratie.pad });
        process.stdout.write(`${r.bezorgingen} deliveries of ${id} wait again\n`);
      } finally {
        o.sluit();
      }
    });

  gemeenschappelijk(notificaties.command('bezorg'))
    .description('run the delivery worker (until SIGTERM/SIGINT, or with --eenmalig until nothing is due)')
    .option('--eenmalig', 'deliver what is due now, then stop')
    .action(async (opties: Opties & { eenmalig?: boolean }) => {
      const { Bezorger } = await import('../notificaties/bezorging.js');
      const o = open(opties);
      let bezorger: Bezorger;
      try {
        // checks the catalogue first: a worker with an unsound catalogue does not start
        bezorger = new Bezorger(o.bronregistratie, o.opslag, o.i, {
          log: (regel) => process.stderr.write(JSON.stringify({ tijd: new Date().toISOString(), ...regel }) + '\n'),
        });
      } catch (e) {
        o.sluit();
        throw e;
      }
      const stop = () => bezorger.stop();
      process.once('SIGTERM', stop).once('SIGINT', stop);
      try {
        await (opties.eenmalig ? bezorger.totNietsMeer() : bezorger.draai());
      } finally {
        process.off('SIGTERM', stop).off('SIGINT', stop);
        await bezorger.sluit();
        o.sluit();
      }
    });

  return notificaties;
}
