/** `--werkers N`: how many worker threads validate (default one per core; 0 validates in the main thread). */
import { Option } from 'commander';
import { standaardWerkers } from '../werkers/pool.js';
import { NetwerkbrugFout } from '../fout.js';

export function werkersOptie(): Option {
  return new Option('--werkers <n>', 'validation worker threads (0: validate in the main thread)')
    .default(standaardWerkers(), 'one per core')
    .argParser((v: string) => {
      if (!/^\d+$/.test(v) || Number(v) > 64) throw new NetwerkbrugFout('GEBRUIK', `--werkers ${v}: expected a whole number from 0 to 64`, { bestand: '--werkers' });
      return Number(v);
    });
}
