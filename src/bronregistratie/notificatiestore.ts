/**
 * The delivery state of notifications, in the bronregistratie's SQLite file (own connection, own tables):
 * `abonnement` (subscriptions), `bezorging` (one row per notification per recipient queue) and a cursor over
 * the `outbox`. All the SQL of notifications; every write is one transaction. The tables are schema.ts's, so it
 * may be opened before or after a Bronregistratie on the same file.
 */
import type Database from 'better-sqlite3';
import { Outboxlezer, type OutboxRij } from './outbox.js';
import { NOTIFICATIE_DDL, richtSchemaIn } from './schema.js';
import { heeftTabel, openDatabase, type Openopties } from './verbinding.js';

export type { OutboxRij } from './outbox.js';

export type Bezorgstatus = 'wachtend' | 'geleverd' | 'dood' | 'vervallen';

export interface Abonnement {
  id: string;
  deelnemer: string;
  sink: string;
  /** notification types asked for; empty: all */
  types: string[];
  vorm: 'cloudevents' | 'iwlz';
  aangemaakt: string;
  beeindigd: string | null;
  reden: string | null;
  /** whether a sink credential is stored (the credential itself never leaves the store but to its sink) */
  credentialGezet: boolean;
}

/** A queue's head: the next delivery, with its notification and (for a subscription) its sink. */
export interface Bezorging {
  nummer: number;
  notificatie: OutboxRij;
  wachtrij: string;
  ontvanger: string;
  abonnement: string | null;
  pogingen: number;
  volgende: number;
  sink: { url: string; vorm: 'cloudevents' | 'iwlz'; credential: string | null; beeindigd: string | null } | null;
}

/** A recipient of a notification, as the fan-out decides it. */
export interface Ontvanger {
  wachtrij: string;
  ontvanger: string;
  abonnement: string | null;
  /** a recipient that is known but cannot be served (no endpoint): recorded as dropped with this reason */
  vervallen?: string;
}

export interface Wachtrijstatus {
  wachtrij: string;
  ontvanger: string;
  wachtend: number;
  mislukt: number;
  dood: number;
  vervallen: number;
  geleverd: number;
}

/** The head of a queue: its delivery joined with the outbox entry and the subscription. */
interface HoofdRij extends Omit<OutboxRij, 'alleenVoor'> {
  nummer: number;
  wachtrij: string;
  ontvanger: string;
  abonnement: string | null;
  pogingen: number;
  volgende: number;
  sink: string | null;
  vorm: 'cloudevents' | 'iwlz' | null;
  credential: string | null;
  beeindigd: string | null;
}

interface AbonnementRij {
  id: string;
  deelnemer: string;
  sink: string;
  types: string;
  vorm: 'cloudevents' | 'iwlz';
  credential: string | null;
  aangemaakt: string;
  beeindigd: string | null;
  reden: string | null;
}

const CURSOR = 'verdeeld';

export class Notificatiestore {
  private readonly db: Database.Database;
  private readonly q;
  private readonly outbox: Outboxlezer;

  /** `alleenLezen` (`notificaties status`): nothing is written; tables not made yet are empty stand-ins in TEMP. */
  constructor(readonly pad: string, opties: Openopties & { busyTimeoutMs?: number } = {}) {
    this.db = openDatabase(pad, opties.busyTimeoutMs ?? 10_000, opties);
    if (!opties.alleenLezen) richtSchemaIn(this.db, { notificaties: true });
    else if (!heeftTabel(this.db, 'bezorging')) {
      this.db.exec(NOTIFICATIE_DDL.replace(/CREATE TABLE IF NOT EXISTS/g, 'CREATE TEMP TABLE').replace(/CREATE INDEX[^;]*;/g, ''));
    }
    const db = this.db;
    this.outbox = new Outboxlezer(db);
    this.q = {
      cursor: db.prepare<[string], { volgnummer: number }>('SELECT volgnummer FROM notificatie_cursor WHERE naam = ?'),
      zetCursor: db.prepare('INSERT INTO notificatie_cursor VALUES (?, ?) ON CONFLICT (naam) DO UPDATE SET volgnummer = excluded.volgnummer'),
      nieuweBezorging: db.prepare(
        `INSERT OR IGNORE INTO bezorging (notificatie, wachtrij, ontvanger, abonnement, status, volgende, reden, bijgewerkt)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      open: db.prepare<[], { wachtrij: string; nummer: number }>("SELECT wachtrij, min(nummer) nummer FROM bezorging WHERE status = 'wachtend' GROUP BY wachtrij"),
      hoofd: db.prepare<[string], HoofdRij>(
        `SELECT b.nummer, b.wachtrij, b.ontvanger, b.abonnement, b.pogingen, b.volgende,
                o.volgnummer, o.id, coalesce(o.sleutel, '') sleutel, o.bericht, o.object, o.eigenaar, o.versie, o.soort, o.tijd, coalesce(r.wet, m.wet) wet,
                a.sink, a.vorm, a.credential, a.beeindigd
           FROM bezorging b JOIN outbox o ON o.id = b.notificatie LEFT JOIN abonnement a ON a.id = b.abonnement
           LEFT JOIN record r ON r.sleutel = o.sleutel LEFT JOIN bericht m ON m.id = o.bericht
          WHERE b.status = 'wachtend' AND b.wachtrij = ? ORDER BY b.nummer LIMIT 1`,
      ),
      eerstvolgende: db.prepare<[], { volgende: number | null }>("SELECT min(volgende) volgende FROM bezorging WHERE status = 'wachtend'"),
      zetStatus: db.prepare('UPDATE bezorging SET status = ?, pogingen = ?, volgende = ?, laatste_uitkomst = ?, reden = ?, bijgewerkt = ? WHERE nummer = ? AND status = \'wachtend\''),
      vervalWachtrij: db.prepare("UPDATE bezorging SET status = 'vervallen', reden = ?, bijgewerkt = ? WHERE wachtrij = ? AND status = 'wachtend'"),
      opnieuw: db.prepare("UPDATE bezorging SET status = 'wachtend', pogingen = 0, volgende = ?, reden = NULL, bijgewerkt = ? WHERE notificatie = ? AND status != 'wachtend'"),
      opnieuwDood: db.prepare("UPDATE bezorging SET status = 'wachtend', pogingen = 0, volgende = ?, reden = NULL, bijgewerkt = ? WHERE status = 'dood'"),
      status: db.prepare<[], Wachtrijstatus>(
        `SELECT wachtrij, ontvanger,
                sum(status = 'wachtend' AND pogingen = 0) wachtend, sum(status = 'wachtend' AND pogingen > 0) mislukt,
                sum(status = 'dood') dood, sum(status = 'vervallen') vervallen, sum(status = 'geleverd') geleverd
           FROM bezorging GROUP BY wachtrij, ontvanger ORDER BY wachtrij`,
      ),
      bezorgingen: db.prepare<[string], { wachtrij: string; status: Bezorgstatus; pogingen: number; laatste_uitkomst: string | null; reden: string | null }>(
        'SELECT wachtrij, status, pogingen, laatste_uitkomst, reden FROM bezorging WHERE notificatie = ? ORDER BY nummer',
      ),
      nieuwAbonnement: db.prepare('INSERT INTO abonnement (id, deelnemer, sink, types, vorm, credential, aangemaakt) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      abonnement: db.prepare<[string], AbonnementRij>('SELECT * FROM abonnement WHERE id = ?'),
      abonnementenVan: db.prepare<[string], AbonnementRij>('SELECT * FROM abonnement WHERE deelnemer = ? AND beeindigd IS NULL ORDER BY aangemaakt, id'),
      actieveAbonnementen: db.prepare<[], AbonnementRij>('SELECT * FROM abonnement WHERE beeindigd IS NULL ORDER BY id'),
      beeindig: db.prepare('UPDATE abonnement SET beeindigd = ?, reden = ? WHERE id = ? AND beeindigd IS NULL'),
      credential: db.prepare('UPDATE abonnement SET credential = ? WHERE id = ? AND beeindigd IS NULL'),
    };
  }

  /**
   * Fans the outbox out into deliveries: for each notification not yet distributed, one row per recipient
   * queue, and the cursor moved past it, in one transaction. Returns the number of notifications distributed.
   */
  verdeel(ontvangersVan: (n: OutboxRij, abonnementen: readonly Abonnement[]) => Ontvanger[], nu: number, limiet = 2000): number {
    return this.db.transaction(() => {
      const vanaf = this.q.cursor.get(CURSOR)?.volgnummer ?? 0;
      const rijen = this.outbox.na(vanaf, limiet);
      if (!rijen.length) return 0;
      const abonnementen = this.q.actieveAbonnementen.all().map(alsAbonnement);
      const tijd = new Date(nu).toISOString();
      for (const n of rijen) {
        for (const o of ontvangersVan(n, abonnementen)) {
          this.q.nieuweBezorging.run(n.id, o.wachtrij, o.ontvanger, o.abonnement, o.vervallen ? 'vervallen' : 'wachtend', nu, o.vervallen ?? null, tijd);
        }
      }
      this.q.zetCursor.run(CURSOR, rijen.at(-1)!.volgnummer);
      return rijen.length;
    })();
  }

  onverdeeld(): number {
    return this.outbox.aantalNa(this.q.cursor.get(CURSOR)?.volgnummer ?? 0);
  }

  /** The queues with a waiting delivery, each with its head's number. */
  openWachtrijen(): Array<{ wachtrij: string; nummer: number }> {
    return this.q.open.all();
  }

  /** The next delivery of a queue (its oldest waiting one), or undefined. */
  hoofd(wachtrij: string): Bezorging | undefined {
    const r = this.q.hoofd.get(wachtrij);
    if (!r) return undefined;
    return {
      nummer: r.nummer,
      wachtrij: r.wachtrij,
      ontvanger: r.ontvanger,
      abonnement: r.abonnement,
      pogingen: r.pogingen,
      volgende: r.volgende,
      notificatie: { volgnummer: r.volgnummer, id: r.id, sleutel: r.sleutel, bericht: r.bericht ?? null, object: r.object, eigenaar: r.eigenaar, versie: r.versie, soort: r.soort, tijd: r.tijd, wet: r.wet },
      sink: r.abonnement ? { url: r.sink ?? '', vorm: r.vorm ?? 'cloudevents', credential: r.credential, beeindigd: r.beeindigd } : null,
    };
  }

  /** When the earliest waiting delivery is due (epoch ms), or null when none waits. */
  eerstvolgende(): number | null {
    return this.q.eerstvolgende.get()!.volgende;
  }

  /** Records an attempt's outcome: `wachtend` with a next time (a retry), or a final status with its reason. */
  zetUitkomst(nummer: number, u: { status: Bezorgstatus; pogingen: number; volgende?: number; uitkomst?: string; reden?: string }, nu: number): void {
    this.q.zetStatus.run(u.status, u.pogingen, u.volgende ?? nu, u.uitkomst ?? null, u.reden ?? null, new Date(nu).toISOString(), nummer);
  }

  /** Ends a subscription (DELETE, or its sink answered 410 Gone) and drops its waiting deliveries, in one transaction. */
  beeindigAbonnement(id: string, reden: string, nu: number): boolean {
    return this.db.transaction(() => {
      const tijd = new Date(nu).toISOString();
      const gedaan = this.q.beeindig.run(tijd, reden, id).changes > 0;
      this.q.vervalWachtrij.run(`subscription ended: ${reden}`, tijd, abonnementWachtrij(id));
      return gedaan;
    })();
  }

  /** Drops every waiting delivery of a queue with a reason. */
  vervalWachtrij(wachtrij: string, reden: string, nu: number): number {
    return this.q.vervalWachtrij.run(reden, new Date(nu).toISOString(), wachtrij).changes;
  }

  /**
   * Sends a notification again: each of its deliveries that is not waiting (delivered, dead, dropped) waits
   * again from its first try. The notification keeps its id. False when the id is unknown.
   */
  opnieuw(id: string, nu: number): { bekend: boolean; bezorgingen: number } {
    return this.db.transaction(() => {
      const bekend = this.outbox.bestaat(id);
      return { bekend, bezorgingen: bekend ? this.q.opnieuw.run(nu, new Date(nu).toISOString(), id).changes : 0 };
    })();
  }

  /** Every dead delivery waits again. */
  opnieuwDood(nu: number): number {
    return this.q.opnieuwDood.run(nu, new Date(nu).toISOString()).changes;
  }

  status(): Wachtrijstatus[] {
    return this.q.status.all();
  }

  bezorgingenVan(id: string): Array<{ wachtrij: string; status: Bezorgstatus; pogingen: number; uitkomst: string | null; reden: string | null }> {
    return this.q.bezorgingen.all(id).map((r) => ({ wachtrij: r.wachtrij, status: r.status, pogingen: r.pogingen, uitkomst: r.laatste_uitkomst, reden: r.reden }));
  }

  nieuwAbonnement(a: { id: string; deelnemer: string; sink: string; types: string[]; vorm: 'cloudevents' | 'iwlz'; credential: string | null }, nu: number): Abonnement {
    this.q.nieuwAbonnement.run(a.id, a.deelnemer, a.sink, JSON.stringify(a.types), a.vorm, a.credential, new Date(nu).toISOString());
    return this.abonnement(a.id)!;
  }

  abonnement(id: string): Abonnement | undefined {
    const r = this.q.abonnement.get(id);
    return r && alsAbonnement(r);
  }

  /** The active subscriptions of a participant. */
  abonnementenVan(deelnemer: string): Abonnement[] {
    return this.q.abonnementenVan.all(deelnemer).map(alsAbonnement);
  }

  /** Replaces a subscription's sink credential (rotation); false when it is unknown or ended. */
  zetCredential(id: string, credential: string | null): boolean {
    return this.q.credential.run(credential, id).changes > 0;
  }

  sluit(): void {
    this.db.close();
  }
}

export const abonnementWachtrij = (id: string) => `abonnement:${id}`;
export const regelWachtrij = (code: string) => `regel:${code}`;

function alsAbonnement(r: AbonnementRij): Abonnement {
  return {
    id: r.id,
    deelnemer: r.deelnemer,
    sink: r.sink,
    types: JSON.parse(r.types) as string[],
    vorm: r.vorm,
    aangemaakt: r.aangemaakt,
    beeindigd: r.beeindigd,
    reden: r.reden,
    credentialGezet: r.credential !== null,
  };
}
