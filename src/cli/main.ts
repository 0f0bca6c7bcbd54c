/**
 * The `netwerkbrug` command: one file per subcommand under src/cli/; each parses its options, calls the
 * library and maps the result to output and an exit code. User errors print one sentence, bugs a stack.
 */
import { Command, CommanderError } from 'commander';
import { NetwerkbrugFout, formatPlaats } from '../fout.js';
import { PAKKET_VERSIE } from '../pakket.js';
import { auditCommand } from './audit.js';
import { backupCommand } from './backup.js';
import { bronCommand } from './bron.js';
import { configCommand } from './config.js';
import { convertCommand } from './convert.js';
import { cutoverCommand } from './cutover.js';
import { initCommand } from './init.js';
import { serveCommand } from './serve.js';
import { notificatiesCommand } from './notificaties.js';
import { herstelCommand } from './herstel.js';
import { rehydrateCommand, verschillenCommand } from './rehydrate.js';
import { validateCommand } from './validate.js';

// a usage error found by commander; every other exit code comes from the error vocabulary (src/fout.ts)
const EXIT = { ok: 0, gebruik: 2 } as const;

const program = new Command()
  .name('netwerkbrug')
  .description('Migration adapter for iWmo/iJw 3.2 messages: from the estafettemodel to the network model')
  .version(PAKKET_VERSIE)
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

// exitOverride is not inherited through addCommand: every usage error must reach the handler below
const overal = (c: Command): Command => {
  c.exitOverride().configureOutput({ outputError: (s, write) => write(s) });
  c.commands.forEach(overal);
  return c;
};
for (const command of [initCommand(), configCommand(), validateCommand(), convertCommand(), rehydrateCommand(), verschillenCommand(), cutoverCommand(), bronCommand(), notificatiesCommand(), serveCommand(), backupCommand(), herstelCommand(), auditCommand()]) program.addCommand(overal(command));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.gebruik;
  } else if (e instanceof NetwerkbrugFout) {
    process.stderr.write(`netwerkbrug: ${e.plaats ? `${formatPlaats(e.plaats)}: ` : ''}${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    throw e;
  }
}
