/**
 * `netwerkbrug rehydrate <input...> --out DIR`: keyed messages in, full 3.2 messages out.
 * `netwerkbrug verschillen <input...>`: the naast comparison only, as a report; nothing written.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { controleerMappen } from '../archief/mappen.js';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { SchemaRegister } from '../bericht/schemas.js';
import { Bronregistratie } from '../bronregistratie/store.js';
import { laadConfig } from '../config/laden.js';
import { kiesDatabase } from '../bronregistratie/eigenaren.js';
import { eigenaarOptie } from './eigenaar.js';
import { EigenaarOplosser } from '../rehydreren/eigenaaroplosser.js';
import type { Leesmelder } from '../rehydreren/lokaal.js';
import { Cliaudit } from './leesaudit.js';
import { BERICHTVERKEER } from '../informatieobject/type.js';
import type { Rehydratierapport } from '../rehydreren/rapport.js';
import { rehydreer } from '../runs/rehydrate.js';
import { controleerInvoer, voortgang } from './voortgang.js';
import { aantal } from './tellen.js';

/** the purpose of a local read by rehydration, as its reads through the network give it */
const DOEL_REHYDRATIE = BERICHTVERKEER;

interface Opties {
  out?: string;
  config?: string;
  db?: string;
  report?: string;
}

async function run(naam: string, invoer: string[], opties: Opties): Promise<Rehydratierapport> {
  controleerInvoer(invoer);
  if (opties.out) controleerMappen(invoer.map((pad) => ({ naam: 'the input', pad })), [{ naam: '--out', pad: opties.out }]);
  const config = laadConfig(opties.config);
  const db = kiesDatabase(config, opties).pad;
  // owners in the address book through their API when this installation has a client certificate (server.tls)
  const viaNetwerk = config.server?.tls !== undefined && Object.keys(config.adresboek).length > 0;
  // rehydration only reads: the local database is opened read-only and never made; an installation that resolves
  // through the network and has no database of its own knows none of its own Sleutels (an empty one in memory)
  const bronregistratie = viaNetwerk && !existsSync(db) ? new Bronregistratie(':memory:') : new Bronregistratie(db, { alleenLezen: true });
  // every local read writes its audit entry (a database in memory holds no records to read)
  let audit: Cliaudit | undefined;
  try {
    audit = bronregistratie.pad === ':memory:' ? undefined : new Cliaudit(bronregistratie, config.deelnemer?.code ?? null, config.toegang.nalooptijdMaanden);
  } catch (e) {
    bronregistratie.sluit();
    throw e;
  }
  const gelezen: Leesmelder | undefined = audit && ((v, versie) => audit.schrijf({ object: v.object, sleutel: versie !== undefined ? v.sleutel : null, versie: versie ?? null, doel: DOEL_REHYDRATIE, gevonden: versie !== undefined }));
  const netwerk = config.server?.tls ? (await import('../netwerk/api-oplosser.js')).maakOplosser(config, bronregistratie, {}, gelezen) : undefined;
  const balk = await voortgang(naam, invoer);
  try {
    return await rehydreer({
      invoer,
      ...(opties.out ? { uit: opties.out } : {}),
      config,
      register: SchemaRegister.laad(),
      oplosser: netwerk ?? new EigenaarOplosser(config, bronregistratie, undefined, gelezen),
      ...(balk.bij ? { voortgang: balk.bij } : {}),
    });
  } finally {
    balk.stop();
    await netwerk?.sluit();
    audit?.sluit();
    bronregistratie.sluit();
  }
}

const gedeeld = (c: Command) =>
  c
    .argument('<input...>', 'files, directories or .zip archives')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml; required)')
    .option('--db <file>', 'bronregistratie database for Sleutels of this installation (overrides bronregistratie.database)')
    .option('--report <file>', 'write a JSON report')
    .addOption(eigenaarOptie());

export function rehydrateCommand(): Command {
  return gedeeld(new Command('rehydrate').description('turn keyed messages back into the full 3.2 messages legacy software expects'))
    .requiredOption('--out <dir>', 'output folder (relative paths and names kept; a zip in gives a zip out)')
    .addHelpText('after', '\nExit codes: 0 all handled, 1 any input quarantined, 2 usage or configuration error.')
    .action(async (invoer: string[], opties: Opties) => {
      const r = await run('rehydrate', invoer, opties);
      if (opties.report) schrijfAtomisch(opties.report, JSON.stringify(r, null, 2) + '\n');
      process.stderr.write(samenvatting(r));
      process.exitCode = r.quarantaine ? 1 : 0;
    });
}

export function verschillenCommand(): Command {
  return gedeeld(new Command('verschillen').description('compare the data keyed messages carry (naast phase) with the bronregistratie, per field'))
    .addHelpText('after', '\nPrints field names and counts, never values. Exit codes: 0 no differences, 1 differences or inputs that could not be read, 2 usage error.')
    .action(async (invoer: string[], opties: Opties) => {
      const r = await run('verschillen', invoer, opties);
      if (opties.report) schrijfAtomisch(opties.report, JSON.stringify(r, null, 2) + '\n');
      process.stdout.write(verschillenTabel(r));
      process.exitCode = r.quarantaine || Object.keys(r.verschillen).length || r.onvergelijkbaar ? 1 : 0;
    });
}

function samenvatting(r: Rehydratierapport): string {
  const regels = [
    `${aantal(r.berichten, 'message')}: ${r.gerehydrateerd} rehydrated, ${r.ongewijzigd} unchanged, ${r.quarantaine} quarantined` +
      (r.doorgegeven ? `; ${aantal(r.doorgegeven, 'other file')} passed through` : ''),
  ];
  // the form is a term of the report (sleutel, naast, data): named as it is, not translated
  for (const [object, vormen] of Object.entries(r.perObject)) regels.push(`${object}: ${Object.entries(vormen).map(([v, n]) => `${aantal(n, 'object')} as ${v}`).join(', ')}`);
  const verschillen = Object.values(r.verschillen).reduce((n, v) => n + Object.values(v).reduce((a, b) => a + b, 0), 0);
  if (verschillen) regels.push(`${aantal(verschillen, 'field difference')} between messages and the bronregistratie (netwerkbrug verschillen for the table)`);
  if (r.naEinddatum) regels.push(`${aantal(r.naEinddatum, 'object')} still carried ${r.naEinddatum === 1 ? 'its' : 'their'} data after ${r.naEinddatum === 1 ? 'its' : 'their'} einddatum (lenient: passed)`);
  for (const q of r.gequarantaineerd) regels.push(`quarantined: ${q.bestand}: ${q.redenen[0] ?? ''}`);
  return regels.join('\n') + '\n';
}

function verschillenTabel(r: Rehydratierapport): string {
  const rijen = Object.entries(r.verschillen).flatMap(([object, velden]) => Object.entries(velden).map(([veld, n]) => [object, veld, String(n)]));
  const vergeleken = Object.values(r.perObject).reduce((n, v) => n + (v.naast ?? 0), 0);
  const kop = `${vergeleken} objects compared (data and Sleutel); ${r.onvergelijkbaar} could not be compared (Sleutel not resolved)\n`;
  if (!rijen.length) return `${kop}no differences\n`;
  const breedte = [0, 1].map((i) => Math.max(...rijen.map((x) => x[i]!.length), i ? 5 : 6));
  const regel = (x: string[]) => `${x[0]!.padEnd(breedte[0]!)}  ${x[1]!.padEnd(breedte[1]!)}  ${x[2]}`;
  return `${kop}${[regel(['object', 'field', 'messages']), ...rijen.map(regel)].join('\n')}\n`;
}
