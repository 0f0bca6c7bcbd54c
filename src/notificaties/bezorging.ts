/**
 * The delivery worker: fans the outbox out into per-recipient queues, then delivers each queue's head in
 * order, at least once. A recipient's next notification waits until the previous one is delivered, dead or
 * dropped; queues run side by side. Just before each send the recipient's grounds and the catalogue are
 * checked again. 2xx delivers; 410 ends a subscription; 429/503 with Retry-After wait as asked; anything else
 * is retried with exponential backoff and jitter, and dead-lettered after the last try. State lives in SQLite
 * and is written after each answer, so a killed worker sends the unconfirmed head again, with the same id.
 * An adresboek endpoint is reached over mutual TLS with this instance's client certificate; a key-only
 * message's notification is checked against the message's Ontvanger instead of a record's grounds.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import type { Bezorging, Notificatiestore } from '../bronregistratie/notificatiestore.js';
import type { Bronregistratie } from '../bronregistratie/store.js';
import { magVersieLezen } from '../toegang/grond.js';
import { NetwerkbrugFout } from '../fout.js';
import { controleerCatalogus, controleerNotificatie } from './catalogus.js';
import { bronVan, eindpuntVan, sinkFout, wachttijd, type Instellingen, type Vorm } from './instellingen.js';
import { Notificatiemetrieken } from './metrieken.js';
import { ontvangersVan } from './ontvangers.js';
import { maakBerichtNotificatie, maakNotificatie, opDeDraad, type Bericht, type Notificatie } from './vorm.js';

/** A structured log line; it names ids, queues and reason codes only, never content or a credential. */
export type Logregel = Record<string, string | number | null>;

export interface BezorgOpties {
  klok?: () => number;
  willekeur?: () => number;
  log?: (regel: Logregel) => void;
  metrieken?: Notificatiemetrieken;
  dispatcher?: Dispatcher;
}

type Antwoord = { soort: 'geleverd'; uitkomst: string } | { soort: 'weg'; uitkomst: string } | { soort: 'fout'; uitkomst: string; wachtMs?: number };

export class Bezorger {
  readonly metrieken: Notificatiemetrieken;
  private readonly klok: () => number;
  private readonly willekeur: () => number;
  private readonly log: (regel: Logregel) => void;
  private readonly dispatcher: Dispatcher;
  private readonly eigenDispatcher: boolean;
  private readonly ontvangers;
  private readonly actief = new Set<string>();
  /** per adresboek counterpart: an agent that presents this instance's client certificate and trusts its CA */
  private readonly mtls = new Map<string, Agent>();
  private gestopt = false;
  private wek: (() => void) | undefined;

  constructor(
    private readonly bronregistratie: Bronregistratie,
    private readonly opslag: Notificatiestore,
    private readonly i: Instellingen,
    opties: BezorgOpties = {},
  ) {
    const fouten = controleerCatalogus();
    if (fouten.length) throw new NetwerkbrugFout('GEBRUIK', `the notification catalogue is not sound:\n  ${fouten.join('\n  ')}`, { bestand: 'src/notificaties/catalogus.ts' });
    this.klok = opties.klok ?? Date.now;
    this.willekeur = opties.willekeur ?? Math.random;
    this.log = opties.log ?? (() => {});
    this.metrieken = opties.metrieken ?? new Notificatiemetrieken();
    this.eigenDispatcher = !opties.dispatcher;
    // the address connected to is checked at connect time (a name can resolve elsewhere than at subscription time)
    this.dispatcher = opties.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 4 * i.gelijktijdig, connect: { lookup: i.sinkbeleid.lookup } });
    this.ontvangers = ontvangersVan(bronregistratie, i);
  }

  /** Moves every new outbox entry into its recipients' queues. */
  verdeel(): number {
    let totaal = 0;
    for (let n; (n = this.opslag.verdeel(this.ontvangers, this.klok())) > 0; ) totaal += n;
    return totaal;
  }

  /** One round: distribute, then work every queue whose head is due until none is. Returns the attempts made. */
  async ronde(): Promise<number> {
    this.verdeel();
    const open = this.opslag.openWachtrijen().map((w) => w.wachtrij).filter((w) => !this.actief.has(w));
    this.metrieken.wachtend.set(open.length);
    let volgende = 0;
    let pogingen = 0;
    const loper = async () => {
      while (volgende < open.length && !this.gestopt) {
        const w = open[volgende++]!;
        this.actief.add(w);
        try {
          pogingen += await this.werkWachtrij(w);
        } finally {
          this.actief.delete(w);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.i.gelijktijdig, open.length) }, loper));
    return pogingen;
  }

  /** Runs rounds until nothing is due now (`--eenmalig`). */
  async totNietsMeer(): Promise<void> {
    while (!this.gestopt && (await this.ronde()) > 0);
  }

  /** Runs until `stop()`: a round, then a sleep until the next retry is due or the poll interval passes. */
  async draai(): Promise<void> {
    while (!this.gestopt) {
      if ((await this.ronde()) > 0) continue;
      const eerst = this.opslag.eerstvolgende();
      const slaap = Math.max(10, Math.min(this.i.intervalMs, eerst === null ? Infinity : eerst - this.klok()));
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, slaap);
        this.wek = () => {
          clearTimeout(t);
          ok();
        };
      });
      this.wek = undefined;
    }
  }

  /** Stops after the deliveries in flight have their answer recorded. */
  stop(): void {
    this.gestopt = true;
    this.wek?.();
  }

  async sluit(): Promise<void> {
    if (this.eigenDispatcher) await this.dispatcher.close();
    await Promise.all([...this.mtls.values()].map((a) => a.close()));
    this.mtls.clear();
  }

  /**
   * The dispatcher for an endpoint: an adresboek endpoint is reached over mutual TLS with this instance's client
   * certificate (`server.tls`), trusting the counterpart's CA (`adresboek.<code>.ca`); any other (notificaties.
   * ontvangers, a subscription's sink) through the shared agent, as before.
   */
  private dispatcherVoor(adresboek: string | undefined): Dispatcher {
    const tls = this.i.clientTls;
    if (!adresboek || !tls || !this.eigenDispatcher) return this.dispatcher;
    let a = this.mtls.get(adresboek);
    if (!a) {
      const ca = this.i.adresboek[adresboek]?.ca;
      a = new Agent({
        keepAliveTimeout: 30_000,
        connections: 4,
        connect: { cert: readFileSync(tls.certificaat), key: readFileSync(tls.sleutel), ...(ca ? { ca: readFileSync(ca) } : {}), lookup: this.i.sinkbeleid.lookup },
      });
      this.mtls.set(adresboek, a);
    }
    return a;
  }

  private async werkWachtrij(wachtrij: string): Promise<number> {
    let n = 0;
    while (!this.gestopt) {
      const b = this.opslag.hoofd(wachtrij);
      if (!b || b.volgende > this.klok()) break;
      await this.bezorg(b);
      n++;
    }
    return n;
  }

  private vervallen(b: Bezorging, reden: string): void {
    this.opslag.zetUitkomst(b.nummer, { status: 'vervallen', pogingen: b.pogingen, reden }, this.klok());
    const code = reden.split(':')[0]!;
    this.metrieken.vervallen.inc({ reden: code });
    this.log({ gebeurtenis: 'vervallen', id: b.notificatie.id, wachtrij: b.wachtrij, reden: code });
  }

  /** One attempt at a queue's head, with the send-time checks before it. */
  private async bezorg(b: Bezorging): Promise<void> {
    const nu = this.klok();
    if (b.sink?.beeindigd) return this.vervallen(b, 'abonnement-beeindigd: the subscription has ended');
    const eindpunt = b.sink ? { url: b.sink.url, vorm: b.sink.vorm, credential: b.sink.credential ?? undefined } : eindpuntVan(this.i, b.ontvanger);
    if (!eindpunt) return this.vervallen(b, 'geen-eindpunt: no notification endpoint for this counterpart');
    if (sinkFout(eindpunt.url, this.i.ontwikkeling)) return this.vervallen(b, 'sink: the endpoint breaks the sink rule');
    if (this.i.sinkbeleid.adresFout(new URL(eindpunt.url).hostname)) return this.vervallen(b, 'sink: the endpoint is an internal address (notificaties.interneSinks)');
    const datum = new Date(nu).toISOString().slice(0, 10);
    const o = { bron: bronVan(this.i, b.notificatie.eigenaar), basisUrl: this.i.basisUrl };
    let n: Notificatie | undefined;
    if (b.notificatie.soort === 'bericht') {
      // a key-only message goes to its Ontvanger only: no other grounds question for a message it was sent
      const bericht = b.notificatie.bericht ? this.bronregistratie.berichten.lees(b.notificatie.bericht) : undefined;
      if (!bericht || bericht.ontvanger !== b.ontvanger) return this.vervallen(b, 'geen-grond: the recipient is not the Ontvanger of the message');
      n = maakBerichtNotificatie(b.notificatie, bericht, b.ontvanger, b.abonnement, o);
    } else {
      // the rule of every read: grounds today, and the version announced current at some moment of its window
      if (!magVersieLezen(this.bronregistratie, b.notificatie.sleutel, b.ontvanger, b.notificatie.versie, datum, this.i.nalooptijdMaanden)) {
        return this.vervallen(b, 'geen-grond: the recipient has no grounds for the record or this version (doelbinding)');
      }
      n = maakNotificatie(b.notificatie, b.ontvanger, b.abonnement, o);
    }
    if (!n) return this.vervallen(b, `catalogus: no notification type for ${b.notificatie.object} ${b.notificatie.soort}`);
    const fout = controleerNotificatie({ type: n.type.id, afzender: n.afzender, ontvanger: n.ontvanger, subject: n.subject });
    if (fout) return this.vervallen(b, `catalogus: ${fout}`);
    let bericht: Bericht;
    try {
      bericht = opDeDraad(n, eindpunt.vorm);
    } catch {
      return this.vervallen(b, 'catalogus: the CloudEvent is not valid');
    }
    const poging = b.pogingen + 1;
    const stopwatch = this.metrieken.duur.startTimer({ vorm: eindpunt.vorm });
    const antwoord = await this.verstuur(eindpunt.url, bericht, eindpunt.vorm, eindpunt.credential, 'adresboek' in eindpunt ? eindpunt.adresboek : undefined);
    stopwatch();
    const klaar = this.klok();
    if (antwoord.soort === 'geleverd') {
      this.opslag.zetUitkomst(b.nummer, { status: 'geleverd', pogingen: poging, uitkomst: antwoord.uitkomst }, klaar);
      this.metrieken.bezorgd.inc({ vorm: eindpunt.vorm });
      this.log({ gebeurtenis: 'geleverd', id: n.id, wachtrij: b.wachtrij, poging, uitkomst: antwoord.uitkomst });
    } else if (antwoord.soort === 'weg') {
      if (b.abonnement) this.opslag.beeindigAbonnement(b.abonnement, 'gone: the sink answered 410 Gone', klaar);
      else this.opslag.zetUitkomst(b.nummer, { status: 'vervallen', pogingen: poging, uitkomst: antwoord.uitkomst, reden: 'gone: the endpoint answered 410 Gone' }, klaar);
      this.metrieken.vervallen.inc({ reden: 'gone' });
      this.log({ gebeurtenis: 'vervallen', id: n.id, wachtrij: b.wachtrij, poging, uitkomst: antwoord.uitkomst, reden: 'gone' });
    } else if (poging > this.i.backoff.herhalingen) {
      this.opslag.zetUitkomst(b.nummer, { status: 'dood', pogingen: poging, uitkomst: antwoord.uitkomst, reden: 'dead-letter: no success after the last try' }, klaar);
      this.metrieken.dood.inc({ vorm: eindpunt.vorm });
      this.log({ gebeurtenis: 'dood', id: n.id, wachtrij: b.wachtrij, poging, uitkomst: antwoord.uitkomst });
    } else {
      const wacht = antwoord.wachtMs ?? wachttijd(this.i.backoff, poging - 1, this.willekeur());
      this.opslag.zetUitkomst(b.nummer, { status: 'wachtend', pogingen: poging, volgende: klaar + wacht, uitkomst: antwoord.uitkomst }, klaar);
      this.metrieken.mislukt.inc({ vorm: eindpunt.vorm });
      this.log({ gebeurtenis: 'mislukt', id: n.id, wachtrij: b.wachtrij, poging, uitkomst: antwoord.uitkomst, wachtMs: wacht });
    }
  }

  private async verstuur(url: string, bericht: Bericht, vorm: Vorm, credential?: string, adresboek?: string): Promise<Antwoord> {
    try {
      const r = await request(url, {
        method: 'POST',
        headers: { ...bericht.headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
        body: bericht.body,
        dispatcher: this.dispatcherVoor(adresboek),
        // undici's own timeouts tick coarsely (about a second); a signal keeps short timeouts exact
        signal: AbortSignal.timeout(this.i.timeoutMs),
      });
      const tekst = await r.body.text();
      const uitkomst = `HTTP ${r.statusCode}`;
      if (r.statusCode >= 200 && r.statusCode < 300) {
        // iWlz: a 200 whose body names errors is not a receipt
        if (vorm === 'iwlz' && heeftGraphqlFouten(tekst)) return { soort: 'fout', uitkomst: `${uitkomst} with GraphQL errors` };
        return { soort: 'geleverd', uitkomst };
      }
      if (r.statusCode === 410) return { soort: 'weg', uitkomst };
      if (r.statusCode === 429 || r.statusCode === 503) {
        const wachtMs = retryAfter(r.headers['retry-after'], this.klok());
        return { soort: 'fout', uitkomst, ...(wachtMs !== undefined ? { wachtMs } : {}) };
      }
      return { soort: 'fout', uitkomst };
    } catch (e) {
      // the error's code only: a message could repeat the URL
      const fout = e as { code?: string; name?: string };
      return { soort: 'fout', uitkomst: `network: ${fout.name === 'TimeoutError' ? 'timeout' : (fout.code ?? 'error')}` };
    }
  }
}

function heeftGraphqlFouten(tekst: string): boolean {
  try {
    const j = JSON.parse(tekst) as { errors?: unknown };
    return Array.isArray(j.errors) && j.errors.length > 0;
  } catch {
    return false;
  }
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `nu`; undefined when absent or unreadable. */
export function retryAfter(waarde: string | string[] | undefined, nu: number): number | undefined {
  const w = Array.isArray(waarde) ? waarde[0] : waarde;
  if (!w) return undefined;
  if (/^\d+$/.test(w.trim())) return Number(w.trim()) * 1000;
  const t = Date.parse(w);
  return Number.isNaN(t) ? undefined : Math.max(0, t - nu);
}
