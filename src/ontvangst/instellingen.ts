/**
 * The receiving sidecar's settings (`ontvangst`) with their defaults: the backoff is the notification backoff
 * (`STANDAARD_BACKOFF`, or `notificaties.backoff`) unless `ontvangst.backoff` sets its own. Checked at start-up:
 * a delivery folder must exist and be writable (one sentence, exit 2).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { NetwerkbrugFout } from '../fout.js';
import type { Config } from '../config/typen.js';
import { STANDAARD_BACKOFF, type Backoff } from '../notificaties/instellingen.js';

export type Aflevering = { soort: 'map'; map: string } | { soort: 'url'; url: string };

export interface Ontvangstinstellingen {
  /** this participant: the Ontvanger of every message it receives, and whose grounds its reads use */
  deelnemer: string;
  aflevering: Aflevering;
  backoff: Backoff;
  intervalMs: number;
  timeoutMs: number;
}

/** The settings of `config`, or undefined without an `ontvangst` section; throws GEBRUIK for an unusable folder. */
export function ontvangstInstellingen(config: Config): Ontvangstinstellingen | undefined {
  const o = config.ontvangst;
  if (!o) return undefined;
  const bestand = config.bestand ?? '(configuration)';
  if (!config.deelnemer) throw new NetwerkbrugFout('GEBRUIK', 'ontvangst: receiving messages needs deelnemer.code (the Ontvanger)', { bestand });
  const a = o.aflevering;
  const aflevering: Aflevering = a.map !== undefined ? { soort: 'map', map: a.map } : { soort: 'url', url: a.url! };
  if (aflevering.soort === 'map') controleerMap(aflevering.map, bestand);
  return {
    deelnemer: config.deelnemer.code,
    aflevering,
    backoff: { ...STANDAARD_BACKOFF, ...config.notificaties?.backoff, ...o.backoff },
    intervalMs: (o.intervalSeconden ?? 1) * 1000,
    timeoutMs: (o.timeoutSeconden ?? 10) * 1000,
  };
}

function controleerMap(map: string, bestand: string): void {
  let isMap: boolean;
  try {
    isMap = statSync(map).isDirectory();
  } catch {
    throw new NetwerkbrugFout('GEBRUIK', 'ontvangst.aflevering.map: the folder does not exist', { bestand });
  }
  if (!isMap) throw new NetwerkbrugFout('GEBRUIK', 'ontvangst.aflevering.map: not a folder', { bestand });
  try {
    accessSync(map, constants.W_OK);
  } catch {
    throw new NetwerkbrugFout('GEBRUIK', 'ontvangst.aflevering.map: the folder is not writable', { bestand });
  }
}
