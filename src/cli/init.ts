/**
 * `netwerkbrug init [FILE] --rol gemeente|aanbieder --code CODE`: writes a commented starter configuration.
 * It never overwrites: an existing file is refused (exit 2) and left as it was.
 */
import { Command, Option } from 'commander';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';
import { STANDAARD_CONFIG } from '../config/standaard.js';
import { CODEVORM, ROLLEN, starterConfig, type Rol } from '../config/sjabloon.js';

interface Opties {
  rol: Rol;
  code: string;
  data?: string;
  poort: string;
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented starter configuration for a gemeente or an aanbieder (never overwrites)')
    .argument('[file]', 'the configuration file to write', STANDAARD_CONFIG)
    .addOption(new Option('--rol <rol>', 'who this installation is').choices(ROLLEN).makeOptionMandatory())
    .requiredOption('--code <code>', 'its participant code: a 4-digit gemeentecode or an 8-digit AGB code')
    .option('--data <dir>', 'folder of the database and the quarantine, relative to the file or absolute (default: the file\'s folder)')
    .option('--poort <port>', 'TCP port of the sidecar', '8443')
    .action((bestand: string, opties: Opties) => {
      if (!CODEVORM[opties.rol].test(opties.code)) {
        throw new NetwerkbrugFout('GEBRUIK', opties.rol === 'gemeente' ? 'a gemeente\'s code is a 4-digit gemeentecode' : 'an aanbieder\'s code is an 8-digit AGB code', { bestand: '--code' });
      }
      const poort = Number(opties.poort);
      if (!/^[0-9]+$/.test(opties.poort) || poort < 1 || poort > 65535) throw new NetwerkbrugFout('GEBRUIK', '--poort: expected a port number from 1 to 65535', { bestand: '--poort' });
      if (existsSync(bestand)) throw new NetwerkbrugFout('GEBRUIK', 'the file exists already; init never overwrites a configuration (choose another name or remove it)', { bestand });
      const map = dirname(bestand);
      if (!existsSync(map) || !statSync(map).isDirectory()) throw new NetwerkbrugFout('GEBRUIK', 'the folder for the configuration does not exist', { bestand });
      if (!schrijfNieuw(bestand, starterConfig({ rol: opties.rol, code: opties.code, poort, ...(opties.data !== undefined ? { data: opties.data } : {}) }))) {
        throw new NetwerkbrugFout('GEBRUIK', 'the file exists already; init never overwrites a configuration (choose another name or remove it)', { bestand });
      }
      process.stdout.write(`${bestand}: starter configuration for ${opties.rol} ${opties.code} written; fill in the TLS files, deelnemers and adresboek, then run: netwerkbrug config controleer --config ${bestand}\n`);
    });
}

/**
 * Writes a new file atomically and never over an existing one: a temporary file is written and synced, then
 * hard-linked to its name (which fails if the name exists, even when another process made it a moment ago).
 * Mode 0640: the service's group reads it. Returns false when the name exists.
 */
function schrijfNieuw(pad: string, inhoud: string): boolean {
  const tmp = join(dirname(pad), `.${basename(pad)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o640);
  try {
    try {
      writeSync(fd, inhoud);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, pad);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}
