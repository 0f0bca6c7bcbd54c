/**
 * `netwerkbrug serve [--config FILE]`: the sidecar. With a `server` section: the HTTPS API (mTLS, tokens,
 * bronregistratie, messages). With `--in DIR --out DIR`: folder mode for legacy software. Both may run in
 * one process. Stops cleanly on SIGINT or SIGTERM (requests and the file in hand are finished first).
 */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { SchemaRegister } from '../bericht/schemas.js';
import { controleerMappen } from '../archief/mappen.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { NetwerkbrugFout } from '../fout.js';
import type { Mapverwerker } from '../runs/map.js';
import { Notificatiestore } from '../bronregistratie/notificatiestore.js';
import { instellingen } from '../notificaties/instellingen.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';
import { wetscheidingTekst } from '../bronregistratie/wetscheiding.js';

interface Opties {
  config?: string;
  db?: string;
  eigenaar?: string;
  in?: string;
  out?: string;
  quarantaine?: string;
  richting: 'uitgaand' | 'inkomend';
  interval: string;
  notificaties?: boolean;
}

/** One JSON log line, pino-shaped, for folder mode without a server. */
const log = (level: number, velden: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ level, time: Date.now(), ...velden })}\n`);

/** The bronregistratie; a file that is not (or no longer) an SQLite database is one sentence, exit 2. */
function openBron(pad: string, eigenaar: string | undefined): Bronregistratie {
  try {
    return new Bronregistratie(pad, { eigenaar });
  } catch (e) {
    if (e instanceof NetwerkbrugFout) throw e;
    throw new NetwerkbrugFout('GEBRUIK', `the bronregistratie database cannot be used: ${(e as Error).message.split('\n')[0]}`, { bestand: pad });
  }
}

/** Why the server cannot listen, in one sentence (a port in use, an address not on this machine, no permission). */
function luisterFout(e: NodeJS.ErrnoException, host: string, port: number, bestand?: string, instelling = 'server.poort'): Error {
  const waar = { bestand: bestand ?? '(configuration)' };
  if (e.code === 'EADDRINUSE') return new NetwerkbrugFout('GEBRUIK', `${instelling}: port ${port} on ${host} is already in use`, waar);
  if (e.code === 'EACCES') return new NetwerkbrugFout('GEBRUIK', `${instelling}: no permission to listen on port ${port} on ${host}`, waar);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return new NetwerkbrugFout('GEBRUIK', `server.adres: ${host} is not an address of this machine`, waar);
  return e;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the sidecar: the HTTPS API of the configuration\'s server section, and/or folder mode (--in, --out)')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml; required)')
    .option('--db <file>', 'bronregistratie database (overrides bronregistratie.database)')
    .addOption(eigenaarOptie())
    .option('--in <dir>', 'folder mode: the folder legacy software drops messages into')
    .option('--out <dir>', 'folder mode: where results appear (atomically, same names)')
    .option('--quarantaine <dir>', 'folder mode: where bad files go with their reason (default: <in>/quarantaine)')
    .addOption(new Option('--richting <richting>', 'folder mode: direction').choices(['uitgaand', 'inkomend']).default('uitgaand'))
    .addHelpText('after', '\nFolder mode: uitgaand converts (registers, keys); inkomend rehydrates (resolves Sleutels, locally or at the owner over mTLS).')
    .option('--interval <ms>', 'folder mode: time between scans', '500')
    .option('--notificaties', 'also run the notification delivery worker in this process (its metrics at /metrics)')
    .action(async (opties: Opties) => {
      if ((opties.in === undefined) !== (opties.out === undefined)) throw new NetwerkbrugFout('GEBRUIK', 'folder mode needs both --in and --out', { bestand: '--in' });
      if (!/^[1-9][0-9]*$/.test(opties.interval)) throw new NetwerkbrugFout('GEBRUIK', `--interval ${opties.interval}: expected a positive whole number of milliseconds`, { bestand: '--interval' });
      if (opties.in !== undefined && opties.out !== undefined) {
        // the quarantine folder may lie inside --in (its default), since only files directly in --in are read
        controleerMappen([{ naam: '--in', pad: opties.in }], [{ naam: '--out', pad: opties.out }, { naam: '--quarantaine', pad: opties.quarantaine ?? resolve(opties.in, 'quarantaine') }], [['--quarantaine', '--in']]);
      }
      const gelezen = laadConfig(opties.config);
      // owners separated (bronregistratie.eigenaren): one serve process per owner, on its database, acting as that owner
      const keuze = kiesDatabase(gelezen, opties);
      const config = keuze.eigenaar ? { ...gelezen, deelnemer: { code: keuze.eigenaar } } : gelezen;
      // the server and network modules load only here, so the other commands start without them
      const [{ bouwServer }, { maakOplosser }, { Mapverwerker }, { EigenaarOplosser }, { Bezorger }] = await Promise.all([
        import('../server/app.js'),
        import('../netwerk/api-oplosser.js'),
        import('../runs/map.js'),
        import('../rehydreren/eigenaaroplosser.js'),
        import('../notificaties/bezorging.js'),
      ]);
      if (!config.server && !opties.in) throw new NetwerkbrugFout('GEBRUIK', 'nothing to serve: the configuration has no server section and --in/--out are not given', { bestand: config.bestand ?? '(configuration)' });
      const bronregistratie = openBron(keuze.pad, keuze.eigenaar);
      // a migration on open (counts only, never a Sleutel or personal data) is logged once
      if (bronregistratie.migratie) log(30, { migratie: bronregistratie.migratie, msg: bronregistratie.migratie.wetscheiding ? wetscheidingTekst(bronregistratie.migratie.wetscheiding) : `bronregistratie schema ${bronregistratie.migratie.van} → ${bronregistratie.migratie.naar}` });
      const register = SchemaRegister.laad();
      // the delivery worker checks its catalogue when it is made: an unsound one stops serve before it listens
      const opslag = opties.notificaties ? new Notificatiestore(bronregistratie.pad) : undefined;
      let logNotificatie: ((regel: object) => void) | undefined;
      const bezorger = opslag ? new Bezorger(bronregistratie, opslag, instellingen(config), { log: (regel) => logNotificatie?.(regel) }) : undefined;
      const app = config.server ? await bouwServer({ config, register, bronregistratie, ...(bezorger ? { metriekregisters: [bezorger.metrieken.registry] } : {}) }) : undefined;
      let bezorging: Promise<void> | undefined;
      let map: Mapverwerker | undefined;
      // incoming: Sleutels of owners in the address book through their API (this instance's certificate), the rest locally
      const netwerk = opties.richting === 'inkomend' && config.server ? maakOplosser(config, bronregistratie) : undefined;
      try {
        if (app) {
          const host = config.server!.adres ?? '127.0.0.1';
          const eigenPoort = keuze.eigenaar ? config.bronregistratie.eigenaren?.[keuze.eigenaar]?.poort : undefined;
          const port = eigenPoort ?? config.server!.poort ?? 8443;
          const adres = await app.listen({ host, port }).catch((e: NodeJS.ErrnoException) => {
            throw luisterFout(e, host, port, config.bestand, eigenPoort !== undefined ? `bronregistratie.eigenaren.${keuze.eigenaar}.poort` : 'server.poort');
          });
          app.log.info({ adres }, 'netwerkbrug serve luistert');
        }
        if (opties.in && opties.out) {
          const melding = app ? (m: object) => app.log.info({ map: true, ...m }, 'bestand') : (m: object) => log(30, { map: true, ...m, msg: 'bestand' });
          map = new Mapverwerker({
            in: opties.in,
            uit: opties.out,
            quarantaine: opties.quarantaine ?? resolve(opties.in, 'quarantaine'),
            config,
            register,
            bronregistratie,
            richting: opties.richting,
            oplosser: netwerk ?? new EigenaarOplosser(config, bronregistratie),
            intervalMs: Number(opties.interval),
            melding,
          });
          map.start((e) => (app ? app.log.error({ fout: (e as Error).message }, 'mapmodus') : log(50, { msg: 'mapmodus', fout: (e as Error).message })));
          (app ? app.log.info.bind(app.log) : (o: object, m: string) => log(30, { ...o, msg: m }))({ in: resolve(opties.in), uit: resolve(opties.out) }, 'mapmodus actief');
        }
        if (bezorger) {
          logNotificatie = app ? (regel) => app.log.info({ notificatie: true, ...regel }, 'notificatie') : (regel) => log(30, { notificatie: true, ...regel, msg: 'notificatie' });
          bezorging = bezorger.draai().catch((e: unknown) => {
            (app ? app.log.error.bind(app.log) : (o: object, m: string) => log(50, { ...o, msg: m }))({ fout: (e as Error).message }, 'notificaties');
          });
        }
        await new Promise<void>((ok) => {
          process.once('SIGINT', ok);
          process.once('SIGTERM', ok);
        });
      } finally {
        bezorger?.stop();
        await bezorging;
        await bezorger?.sluit();
        opslag?.sluit();
        await map?.stop();
        await netwerk?.sluit();
        await app?.close();
        bronregistratie.sluit();
      }
    });
}
