/**
 * The notification settings with their defaults filled in, the sink rule (https; plain http on loopback only
 * in development mode), where a rule-based recipient takes its notifications, and the retry schedule.
 */
import { NetwerkbrugFout } from '../fout.js';
import { clientTls, type Config, type NotificatieOntvanger } from '../config/typen.js';
import { Sinkbeleid } from './adressen.js';

export type Vorm = 'cloudevents' | 'iwlz';

export interface Backoff {
  herhalingen: number;
  factorSeconden: number;
  basis: number;
  maxSeconden: number;
  jitter: number;
}

export interface Instellingen {
  bron: string;
  vorm: Vorm;
  ontwikkeling: boolean;
  basisUrl: string;
  ontvangers: Record<string, NotificatieOntvanger>;
  adresboek: Config['adresboek'];
  adresboekPad: string;
  backoff: Backoff;
  gelijktijdig: number;
  timeoutMs: number;
  intervalMs: number;
  nalooptijdMaanden: number;
  /** which addresses sinks may resolve to (notificaties.interneSinks) */
  sinkbeleid: Sinkbeleid;
  /**
   * this instance's client certificate and key (PEM files: `server.tls.client*`, else the server's own), presented
   * to an adresboek endpoint (mutual TLS, as `api-oplosser.ts` does when fetching records); absent without `server`
   */
  clientTls?: { certificaat: string; sleutel: string };
}

/** Open Notificaties: 7 retries, 25 s × 4^n capped at 52,000 s, so the last try about a day after the first. */
export const STANDAARD_BACKOFF: Backoff = { herhalingen: 7, factorSeconden: 25, basis: 4, maxSeconden: 52_000, jitter: 0.1 };

/** The settings of `config`, with defaults; throws GEBRUIK for a sink that breaks the sink rule. */
export function instellingen(config: Config): Instellingen {
  const n = config.notificaties ?? {};
  const i: Instellingen = {
    bron: n.bron ?? 'urn:nld:gemeente:{eigenaar}:netwerkbrug',
    vorm: n.vorm ?? 'cloudevents',
    ontwikkeling: n.ontwikkeling ?? false,
    basisUrl: (config.bronregistratie.basisUrl ?? 'https://bronregistratie.invalid').replace(/\/+$/, ''),
    ontvangers: n.ontvangers ?? {},
    adresboek: config.adresboek,
    adresboekPad: n.adresboekPad ?? '/notificaties',
    backoff: { ...STANDAARD_BACKOFF, ...n.backoff },
    gelijktijdig: n.gelijktijdig ?? 16,
    timeoutMs: (n.timeoutSeconden ?? 10) * 1000,
    intervalMs: (n.intervalSeconden ?? 1) * 1000,
    nalooptijdMaanden: config.toegang.nalooptijdMaanden,
    sinkbeleid: new Sinkbeleid([], false),
  };
  const tls = clientTls(config);
  if (tls) i.clientTls = tls;
  try {
    i.sinkbeleid = new Sinkbeleid(n.interneSinks ?? [], i.ontwikkeling);
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `notificaties.interneSinks: ${(e as Error).message}`, { bestand: config.bestand ?? '(configuration)' });
  }
  for (const [code, o] of Object.entries(i.ontvangers)) {
    const fout = sinkFout(o.url, i.ontwikkeling);
    if (fout) throw new NetwerkbrugFout('GEBRUIK', `notificaties.ontvangers.${code}.url: ${fout}`, { bestand: config.bestand ?? '(configuration)' });
  }
  return i;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Why `url` may not be a sink, or `undefined` when it may: https always; http only on loopback in development mode. */
export function sinkFout(url: string, ontwikkeling: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.username || u.password) return 'must not carry a user or password (use a credential)';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol !== 'http:') return 'must be an https URL';
  if (!ontwikkeling) return 'must be https (plain http only on loopback in development mode, notificaties.ontwikkeling)';
  if (!LOOPBACK.has(u.hostname)) return 'plain http is allowed on loopback only';
  return undefined;
}

/** The CloudEvents `source` of an owner's notifications. */
export const bronVan = (i: Instellingen, eigenaar: string) => i.bron.replaceAll('{eigenaar}', eigenaar);

/**
 * Where a counterpart takes its rule-based notifications: `ontvangers`, else its adresboek entry plus the path
 * (`adresboek`: the counterpart's code, so delivery goes over mutual TLS trusting that entry's CA).
 */
export function eindpuntVan(i: Instellingen, code: string): { url: string; vorm: Vorm; credential?: string; adresboek?: string } | undefined {
  const o = i.ontvangers[code];
  if (o) {
    const credential = o.credentialOmgeving ? process.env[o.credentialOmgeving] : undefined;
    return { url: o.url, vorm: o.vorm ?? i.vorm, ...(credential ? { credential } : {}) };
  }
  const a = i.adresboek[code];
  if (a && !sinkFout(a.basisUrl, i.ontwikkeling)) return { url: a.basisUrl.replace(/\/+$/, '') + i.adresboekPad, vorm: i.vorm, adresboek: code };
  return undefined;
}

/** The delay before retry `n` (0: the first retry), in ms, with jitter from `willekeur` (0..1). */
export function wachttijd(b: Backoff, n: number, willekeur = Math.random()): number {
  const basis = Math.min(b.factorSeconden * b.basis ** n, b.maxSeconden);
  return Math.round(basis * (1 + b.jitter * (2 * willekeur - 1)) * 1000);
}
