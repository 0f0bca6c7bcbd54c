/** `netwerkbrug cutover list|set`: the per-object cutover plan. */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { NetwerkbrugFout } from '../fout.js';
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { laadConfig } from '../config/laden.js';
import { STANDAARD_CONFIG } from '../config/standaard.js';
import { wijzigPlan } from '../plan/cutover.js';

export function cutoverCommand(): Command {
  const cutover = new Command('cutover').description('show or change the cutover plan (sleutelVanaf, einddatum per informatieobject)');
  cutover
    .command('list')
    .description('print the plan as a table')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .option('--json', 'print the plan as JSON')
    .action((opties: { config?: string; json?: boolean }) => {
      const config = laadConfig(opties.config);
      const rijen: string[][] = [];
      for (const o of INFORMATIEOBJECTEN) {
        const plan = config.informatieobjecten[o.naam];
        rijen.push([o.naam, '(default)', plan?.sleutelVanaf ?? '-', plan?.einddatum ?? '-', plan?.sleutelVanaf ? '' : 'inactive']);
        for (const [code, d] of Object.entries(plan?.afwijkend ?? {})) {
          rijen.push([o.naam, code, d.sleutelVanaf ?? plan?.sleutelVanaf ?? '-', d.einddatum ?? plan?.einddatum ?? '-', '']);
        }
      }
      if (opties.json) {
        process.stdout.write(JSON.stringify(config.informatieobjecten, null, 2) + '\n');
        return;
      }
      process.stdout.write(tabel(['object', 'counterpart', 'sleutelVanaf', 'einddatum', ''], rijen));
    });
  cutover
    .command('set')
    .description('change an object\'s dates in the configuration file, keeping its comments')
    .argument('<object>', `informatieobject (${INFORMATIEOBJECTEN.map((o) => o.naam).join(', ')})`)
    .option('--sleutel-vanaf <date>', 'from this Dagtekening on: data + Sleutel')
    .option('--einddatum <date>', 'from this Dagtekening on: only the Sleutel')
    .option('--voor <code>', 'only for this counterpart (AGB code or gemeentecode)')
    .option('--config <file>', 'configuration file', STANDAARD_CONFIG)
    .action((object: string, opties: { sleutelVanaf?: string; einddatum?: string; voor?: string; config: string }) => {
      if (!opties.sleutelVanaf && !opties.einddatum) throw new NetwerkbrugFout('GEBRUIK', 'give --sleutel-vanaf, --einddatum or both', { bestand: opties.config });
      if (!existsSync(opties.config)) throw new NetwerkbrugFout('GEBRUIK', 'configuration file does not exist', { bestand: opties.config });
      wijzigPlan(opties.config, { object, ...opties });
      process.stderr.write(`${opties.config}: ${object}${opties.voor ? ` for ${opties.voor}` : ''} updated\n`);
    });
  return cutover;
}

function tabel(kop: string[], rijen: string[][]): string {
  const breedte = kop.map((k, i) => Math.max(k.length, ...rijen.map((r) => r[i]!.length)));
  const regel = (r: string[]) => r.map((c, i) => c.padEnd(breedte[i]!)).join('  ').trimEnd() + '\n';
  return regel(kop) + regel(breedte.map((b) => '-'.repeat(b))) + rijen.map(regel).join('');
}
