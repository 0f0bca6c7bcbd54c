/**
 * `netwerkbrug config controleer [--config FILE]`: checks a configuration and the files it names, one sentence per
 * problem; exit 0 when all is in order, 2 otherwise. Starts nothing and creates nothing.
 */
import { Command } from 'commander';
import { controleerConfig } from './controle.js';

export function configCommand(): Command {
  const config = new Command('config').description('work with the configuration file');
  config
    .command('controleer')
    .description('check the configuration against its schema and the files it names (TLS, database folder, identity secret, adresboek CAs); creates nothing')
    .option('--config <file>', 'configuration file (default: ./netwerkbrug.yaml)')
    .action((opties: { config?: string }) => {
      const c = controleerConfig(opties.config);
      if (c.problemen.length === 0) {
        process.stdout.write(`${c.bestand}: in order (${c.inOrde.join(', ')})\n`);
        return;
      }
      process.stdout.write(c.problemen.map((p) => `${p}\n`).join(''));
      process.stderr.write(`netwerkbrug: ${c.bestand}: ${c.problemen.length} problem${c.problemen.length === 1 ? '' : 's'}\n`);
      process.exitCode = 2;
    });
  return config;
}
