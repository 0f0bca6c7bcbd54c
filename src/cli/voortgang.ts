/** What the archive commands share: a check of their inputs, and a progress bar on a terminal (stderr). */
import cliProgress from 'cli-progress';
import { statSync } from 'node:fs';
import { telInvoer } from '../archief/invoer.js';
import { NetwerkbrugFout } from '../fout.js';

/** Every input named on the command line must exist: a typo is a usage error, not an empty run. */
export function controleerInvoer(paden: readonly string[]): void {
  for (const pad of paden) {
    try {
      statSync(pad);
    } catch {
      throw new NetwerkbrugFout('GEBRUIK', 'input does not exist', { bestand: pad });
    }
  }
}

export interface Voortgang {
  /** for the run's `voortgang` option; absent when stderr is not a terminal */
  bij?: (klaar: number) => void;
  stop(): void;
}

export async function voortgang(naam: string, invoer: string[]): Promise<Voortgang> {
  if (!process.stderr.isTTY) return { stop: () => undefined };
  const balk = new cliProgress.SingleBar(
    { format: `${naam} [{bar}] {value}/{total} {percentage}% | {eta_formatted} left`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  balk.start(await telInvoer(invoer), 0);
  return { bij: (n) => balk.update(n), stop: () => balk.stop() };
}
