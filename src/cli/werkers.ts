/**
 * `--werkers N`: how many worker threads read and validate the inputs (for `convert` they also plan each
 * conversion and write the outputs); default one per core, 0 does all of it in the main thread.
 */
import { Option } from 'commander';
import { standaardWerkers } from '../werkers/pool.js';
import { NetwerkbrugFout } from '../fout.js';

export function werkersOptie(): Option {
  return new Option('--werkers <n>', 'worker threads that read and validate (convert: also plan and write); 0: all in the main thread')
    .default(standaardWerkers(), 'one per core')
    .argParser((v: string) => {
      if (!/^\d+$/.test(v) || Number(v) > 64) throw new NetwerkbrugFout('GEBRUIK', 'expected a whole number from 0 to 64', { bestand: '--werkers' });
      return Number(v);
    });
}
