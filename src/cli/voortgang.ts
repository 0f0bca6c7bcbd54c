/** A progress bar on a terminal (stderr), nothing otherwise: for the long archive commands. */
import cliProgress from 'cli-progress';
import { telInvoer } from '../archief/invoer.js';

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
