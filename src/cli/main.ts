/**
 * The `netwerkbrug` command: one file per subcommand under src/cli/; each parses its options, calls the
 * library and maps the result to output and an exit code. User errors print one sentence, bugs a stack.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { NetwerkbrugFout, formatPlaats } from '../fout.js';
import { validateCommand } from './validate.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export const EXIT = { ok: 0, afgekeurd: 1, gebruik: 2, fout: 3 } as const;

const program = new Command()
  .name('netwerkbrug')
  .description('Migration adapter for iWmo/iJw 3.2 messages: from the estafettemodel to the network model')
  .version(pkg.version)
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

for (const command of [validateCommand()]) {
  // exitOverride is not inherited through addCommand: every usage error must reach the handler below
  program.addCommand(command.exitOverride().configureOutput({ outputError: (s, write) => write(s) }));
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.gebruik;
  } else if (e instanceof NetwerkbrugFout) {
    process.stderr.write(`netwerkbrug: ${e.plaats ? `${formatPlaats(e.plaats)}: ` : ''}${e.message}\n`);
    process.exitCode = e.code === 'GEBRUIK' || e.code === 'INVOER_ONLEESBAAR' || e.code.startsWith('SCHEMA_') ? EXIT.gebruik : EXIT.fout;
  } else {
    throw e;
  }
}
