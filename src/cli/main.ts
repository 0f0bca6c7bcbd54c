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
import { inzageCommand } from './inzage.js';
import { serveCommand } from './serve.js';
import { notificatiesCommand } from './notificaties.js';
import { opschonenCommand } from './opschonen.js';
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
for (const command of [initCommand(), configCommand(), validateCommand(), convertCommand(), rehydrateCommand(), verschillenCommand(), cutoverCommand(), bronCommand(), notificatiesCommand(), serveCommand(), backupCommand(), herstelCommand(), auditCommand(), inzageCommand(), opschonenCommand()]) program.addCommand(overal(command));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.gebruik;
  } else if (e instanceof NetwerkbrugFout) {
    process.stderr.write(`netwerkbrug: ${e.plaats ? `${formatPlaats(e.plaats)}: ` : ''}${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    const zin = omgevingsfout(e);
    if (!zin) throw e;
    process.stderr.write(`netwerkbrug: ${zin}\n`);
    process.exitCode = EXIT.gebruik;
  }
}

/**
 * Failures of the machine a user can act on, not bugs: one sentence and exit 2 instead of a stack (a busy or
 * damaged database, a full disk, a read-only or forbidden path). A run stopped by one resumes when run again.
 */
function omgevingsfout(e: unknown): string | undefined {
  const { code, path } = (e ?? {}) as { code?: unknown; path?: unknown };
  const waar = typeof path === 'string' ? `${path}: ` : '';
  switch (code) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'the bronregistratie database is in use by another process and its write lock stayed taken; run the command again when that process is done';
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return `${waar}the disk is full; free space and run the command again (it resumes where it stopped)`;
    case 'SQLITE_READONLY':
    case 'EROFS':
      return `${waar}the file system or the database is read-only; choose a writable place`;
    case 'EACCES':
    case 'EPERM':
      return `${waar}permission denied; run as a user who may write there, or choose another place`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return 'the bronregistratie database is damaged; restore it from a backup (netwerkbrug herstel)';
    default:
      return typeof code === 'string' && code.startsWith('SQLITE_IOERR') ? 'the bronregistratie database cannot be read or written (I/O error); check the disk' : undefined;
  }
}
