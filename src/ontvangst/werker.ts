/**
 * The receiving worker (runs inside `serve` when `ontvangst` is configured): for each due `wachtend` inbox row
 * it fetches the key-only message at its dataref (mutual TLS, this sidecar's client certificate, the sender's
 * CA from the address book), rebuilds the full 3.2 message with `verwerkInkomend` and the API resolver under
 * this participant's grounds (each local read audited, as `POST /berichten/inkomend` does), and hands it to the
 * legacy system: a file in a folder, or a POST to an endpoint with `idempotency-key: <event id>`.
 *
 * Not fetchable yet (the sender or an owner unreachable, a 404 or 5xx, a Sleutel not resolvable yet): tried
 * again with backoff, `dood` after the last try. An invalid message or result: quarantined and `dood` at once.
 * State lives in the inbox and is written after each attempt, so a restart picks up every `wachtend` row.
 *
 * Exactly one file per notification: the file is named by the sender and the event id and written atomically
 * (temporary file, fsync, rename), and only then is the row marked `afgeleverd`. A process that dies between the
 * rename and the mark finds the row still `wachtend` after its restart and writes the same name again: the
 * rename replaces the file with the same message, so the folder still holds exactly one file for it. The HTTP
 * endpoint gets the same idempotency key on every attempt for the same reason.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { schrijfAtomisch } from '../archief/uitvoer.js';
import { schrijfReden } from '../archief/quarantaine.js';
import { MAX_BERICHT_BYTES } from '../bericht/lezen.js';
import type { GeldigBericht } from '../bericht/validatie.js';
import { BERICHTVERKEER } from '../informatieobject/type.js';
import type { NetwerkOplosser } from '../netwerk/api-oplosser.js';
import { wachttijd } from '../notificaties/instellingen.js';
import { GrondOplosser } from '../rehydreren/grondoplosser.js';
import { verwerkInkomend } from '../rehydreren/inkomend.js';
import { OplosserFout } from '../rehydreren/oplosser.js';
import { AuditOplosser } from '../server/leesaudit.js';
import type { Omgeving } from '../server/omgeving.js';
import type { Inbox, Inboxrij } from './inbox.js';
import type { Ontvangstinstellingen } from './instellingen.js';

/** A structured log line: ids, types and reason codes only. */
export type Ontvangstlog = Record<string, string | number | null>;

export interface WerkerOpties {
  klok?: () => number;
  willekeur?: () => number;
  log?: (regel: Ontvangstlog, melding: string) => void;
}

/** The message type a notification type names: `nl.netwerkbrug.bericht.wmo301` → `WMO301`. */
export const BERICHTTYPE_PREFIX = 'nl.netwerkbrug.bericht.';
export const berichttypeVan = (type: string) => type.slice(BERICHTTYPE_PREFIX.length).toUpperCase();

/** Whether `url` lies below `basisUrl` (same origin, path below it): the only place a dataref may point. */
export function onder(url: string, basisUrl: string): boolean {
  let u: URL, b: URL;
  try {
    u = new URL(url);
    b = new URL(basisUrl);
  } catch {
    return false;
  }
  const pad = b.pathname.replace(/\/+$/, '');
  return u.origin === b.origin && u.pathname.startsWith(`${pad}/`) && !u.username && !u.password && !/\/\.\.?(\/|$)/.test(u.pathname);
}

/** The message refused as it is (not this participant's, another sender's, another type): quarantine, dood. */
class Weigering extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Uitkomst = { soort: 'afgeleverd'; waar: string } | { soort: 'opnieuw'; reden: string } | { soort: 'dood'; reden: string };

export class Ontvangstwerker {
  private readonly klok: () => number;
  private readonly willekeur: () => number;
  private readonly log: (regel: Ontvangstlog, melding: string) => void;
  private readonly endpoint: Agent | undefined;
  private gestopt = false;
  private wekker: (() => void) | undefined;
  private lopend: Promise<void> | undefined;
  /** the `traceparent` of the attempt in hand (rows are worked one at a time), passed on with every request it makes */
  traceparent: string | undefined;

  constructor(
    private readonly o: Omgeving,
    private readonly inbox: Inbox,
    private readonly netwerk: NetwerkOplosser,
    private readonly i: Ontvangstinstellingen,
    opties: WerkerOpties = {},
  ) {
    this.klok = opties.klok ?? Date.now;
    this.willekeur = opties.willekeur ?? Math.random;
    this.log = opties.log ?? (() => {});
    this.endpoint = i.aflevering.soort === 'url' ? new Agent({ keepAliveTimeout: 30_000 }) : undefined;
  }

  /** A row was added: look now rather than at the next interval. */
  wek(): void {
    this.wekker?.();
  }

  /** Works every due row once; returns how many were attempted. */
  async ronde(): Promise<number> {
    let n = 0;
    for (const r of this.inbox.teDoen(this.klok())) {
      if (this.gestopt) break;
      await this.werk(r);
      n++;
    }
    return n;
  }

  /** Starts the loop (rounds, then a sleep until the next row is due or the interval passes) until `stop()`. */
  start(): void {
    this.lopend ??= this.draai();
  }

  private async draai(): Promise<void> {
    while (!this.gestopt) {
      try {
        if ((await this.ronde()) > 0) continue;
      } catch (e) {
        this.log({ fout: (e as Error).name }, 'ontvangst: ronde mislukt');
      }
      if (this.gestopt) break;
      const eerst = this.inbox.eerstvolgende();
      const slaap = Math.max(10, Math.min(this.i.intervalMs, eerst === null ? Infinity : eerst - this.klok()));
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, slaap);
        this.wekker = () => {
          clearTimeout(t);
          ok();
        };
      });
      this.wekker = undefined;
    }
  }

  /** Stops after the row in hand has its outcome recorded, and closes the endpoint's connections. */
  async stop(): Promise<void> {
    this.gestopt = true;
    this.wekker?.();
    await this.lopend;
    await this.endpoint?.close();
  }

  /** One attempt on one row, its outcome recorded in the inbox (one statement each). */
  async werk(r: Inboxrij): Promise<void> {
    let u: Uitkomst;
    try {
      u = await this.probeer(r);
    } catch (e) {
      // an error of our own (a full disk, say): tried again later like any other failure, never lost
      u = { soort: 'opnieuw', reden: `INTERNE_FOUT: ${(e as Error).name}` };
    }
    const nu = this.klok();
    const ids = { afzender: r.afzender, id: r.id, type: r.type, poging: r.pogingen + 1, traceId: this.traceparent?.split('-')[1] ?? null };
    this.traceparent = undefined;
    if (u.soort === 'afgeleverd') {
      this.inbox.afgeleverd(r, u.waar, nu);
      this.o.metingen.ontvangst.inc({ uitkomst: 'afgeleverd' });
      this.log(ids, 'ontvangst: afgeleverd');
    } else if (u.soort === 'dood' || r.pogingen >= this.i.backoff.herhalingen) {
      this.inbox.dood(r, u.reden, nu);
      this.o.metingen.ontvangst.inc({ uitkomst: 'dood' });
      this.log({ ...ids, reden: u.reden.split(':')[0]! }, 'ontvangst: dood');
    } else {
      this.inbox.opnieuw(r, nu + wachttijd(this.i.backoff, r.pogingen, this.willekeur()), u.reden, nu);
      this.o.metingen.ontvangst.inc({ uitkomst: 'opnieuw' });
      this.log({ ...ids, reden: u.reden.split(':')[0]! }, 'ontvangst: opnieuw');
    }
  }

  private async probeer(r: Inboxrij): Promise<Uitkomst> {
    const { config } = this.o;
    this.traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const code = this.i.deelnemer;
    const adres = config.adresboek[r.afzender];
    // checked when it came in; checked again, since the address book may have changed since
    if (!adres || !onder(r.dataref, adres.basisUrl)) return { soort: 'dood', reden: "AFZENDER_ONBEKEND: the sender is not in the address book, or the dataref is not below its basisUrl" };
    let bytes: Buffer;
    try {
      const a = await this.netwerk.api.haal(r.afzender, r.dataref, 'application/xml', MAX_BERICHT_BYTES);
      if (a.status !== 200) return { soort: 'opnieuw', reden: `BERICHT_NIET_OPHAALBAAR: the sender answered ${a.status}` };
      if (!a.body) return { soort: 'dood', reden: `TE_GROOT: the message is larger than ${MAX_BERICHT_BYTES / 1024 / 1024} MB (OP179)` };
      bytes = a.body;
    } catch (e) {
      if (e instanceof OplosserFout) return { soort: 'opnieuw', reden: 'AFZENDER_ONBEREIKBAAR: the sender cannot be reached' };
      throw e;
    }
    const bestand = `${r.afzender}-${r.id}.xml`;
    // this participant reads, for the purpose berichtverkeer; each local read has its audit entry under this trace
    const lezer = { identiteit: { code }, trace: { traceId: this.traceparent!.split('-')[1]! }, doel: BERICHTVERKEER };
    const oplosser = new AuditOplosser(new GrondOplosser(this.netwerk, this.o.bronregistratie, code, this.o.vandaag(), config.toegang.nalooptijdMaanden, config.toegang.doelen), this.o, lezer);
    const verwacht = berichttypeVan(r.type);
    const controleer = ({ kop, bericht }: GeldigBericht) => {
      if (kop.ontvanger !== code) throw new Weigering('NIET_ONTVANGER', 'this participant is not the Ontvanger of the message');
      if (kop.afzender !== r.afzender) throw new Weigering('ANDERE_AFZENDER', 'the Afzender of the message is not the sender of the notification');
      if (bericht.type.naam !== verwacht) throw new Weigering('ANDER_BERICHTTYPE', `the message is a ${bericht.type.naam}, the notification names ${verwacht}`);
    };
    let v;
    try {
      v = await verwerkInkomend(bytes, { config, register: this.o.register, oplosser, bestand, controleer });
    } catch (e) {
      if (e instanceof OplosserFout) return { soort: 'opnieuw', reden: `EIGENAAR_ONBEREIKBAAR: the bronregistratie of ${e.eigenaar} cannot be asked` };
      if (e instanceof Weigering) {
        this.quarantaine(r, bytes, [`[${e.code}] ${e.message}`]);
        return { soort: 'dood', reden: `${e.code}: ${e.message}` };
      }
      throw e;
    }
    if (v.soort === 'quarantaine') {
      // a Sleutel its owner does not (yet) give: perhaps registered a moment later; tried again, quarantined at the end
      const nogNiet = v.fouten.length > 0 && v.fouten.every((f) => f.code === 'SLEUTEL_ONOPGELOST');
      if (nogNiet && r.pogingen < this.i.backoff.herhalingen) return { soort: 'opnieuw', reden: 'SLEUTEL_ONOPGELOST: a Sleutel cannot be resolved yet' };
      this.quarantaine(r, bytes, v.redenen);
      return { soort: 'dood', reden: nogNiet ? 'SLEUTEL_ONOPGELOST: a Sleutel could not be resolved; kept in quarantine' : 'BERICHT_ONGELDIG: the message or its rehydration is not valid; kept in quarantine' };
    }
    this.o.metingen.berichten.inc({ richting: 'ontvangst', uitkomst: v.resultaat.uitkomst });
    return this.lever(r, verwacht, v.uitvoer);
  }

  private async lever(r: Inboxrij, berichttype: string, uitvoer: Uint8Array): Promise<Uitkomst> {
    const a = this.i.aflevering;
    if (a.soort === 'map') {
      // named by the sender and the event id: a second attempt (after a crash before the mark) replaces the same file
      const pad = join(a.map, `${berichttype}-${r.afzender}-${r.id}.xml`);
      schrijfAtomisch(pad, uitvoer);
      return { soort: 'afgeleverd', waar: pad };
    }
    try {
      const antwoord = await request(a.url, {
        method: 'POST',
        dispatcher: this.endpoint,
        headers: { 'content-type': 'application/xml', 'idempotency-key': r.id, 'x-netwerkbrug-bericht': berichttype, ...(this.traceparent ? { traceparent: this.traceparent } : {}) },
        body: uitvoer,
        headersTimeout: this.i.timeoutMs,
        bodyTimeout: this.i.timeoutMs,
      });
      await antwoord.body.dump();
      if (antwoord.statusCode >= 200 && antwoord.statusCode < 300) return { soort: 'afgeleverd', waar: a.url };
      return this.nietAfgeleverd(r, uitvoer, `AFLEVERING_MISLUKT: the endpoint answered ${antwoord.statusCode}`);
    } catch {
      return this.nietAfgeleverd(r, uitvoer, 'AFLEVERING_MISLUKT: the endpoint cannot be reached');
    }
  }

  /**
   * The legacy endpoint did not take the message: tried again, and after the last try the full message is kept
   * in quarantine (nothing lost: the sender may have removed it by then), and the row is `dood`.
   */
  private nietAfgeleverd(r: Inboxrij, uitvoer: Uint8Array, reden: string): Uitkomst {
    if (r.pogingen < this.i.backoff.herhalingen) return { soort: 'opnieuw', reden };
    this.quarantaine(r, Buffer.from(uitvoer), [`[AFLEVERING_MISLUKT] ${reden.slice(reden.indexOf(':') + 2)}; the full message is kept here`]);
    return { soort: 'dood', reden: `${reden}; kept in quarantine` };
  }

  /** Keeps the fetched message and its reasons in the serve quarantine folder (ontvangst/<sender>-<id>.xml). */
  private quarantaine(r: Inboxrij, bytes: Buffer, redenen: string[]): void {
    const doel = join(this.o.quarantaine, 'ontvangst', `${r.afzender}-${r.id}.xml`);
    schrijfAtomisch(doel, bytes);
    schrijfReden(doel, `ontvangst ${new Date(this.klok()).toISOString()} afzender ${r.afzender} notificatie ${r.id} type ${r.type}`, redenen);
  }
}
