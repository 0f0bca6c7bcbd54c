/**
 * The inbox of the receiving sidecar: one row per message notification, keyed by (sender, event id), in the
 * bronregistratie's SQLite file (table `inbox`, made here when the receiving part runs, as NOTIFICATIE_DDL is
 * for deliveries; not part of the numbered migrations). A row is written before the notification is answered,
 * so an accepted notification is never lost; a duplicate (a retry, a resend) adds nothing. Every write is one
 * statement or one transaction. A row holds ids, the type, the dataref and reason codes: never content.
 */
import type Database from 'better-sqlite3';

export type Inboxstatus = 'wachtend' | 'afgeleverd' | 'dood';

export const INBOX_DDL = `
CREATE TABLE IF NOT EXISTS inbox (
  afzender   TEXT NOT NULL,
  id         TEXT NOT NULL,
  type       TEXT NOT NULL,
  subject    TEXT,
  dataref    TEXT NOT NULL,
  ontvangen  TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'wachtend' CHECK (status IN ('wachtend', 'afgeleverd', 'dood')),
  pogingen   INTEGER NOT NULL DEFAULT 0,
  volgende   INTEGER NOT NULL,
  uitkomst   TEXT,
  afgeleverd TEXT,
  bijgewerkt TEXT NOT NULL,
  PRIMARY KEY (afzender, id)
);
CREATE INDEX IF NOT EXISTS inbox_te_doen ON inbox (status, volgende);
`;

export interface Inboxrij {
  afzender: string;
  id: string;
  type: string;
  subject: string | null;
  dataref: string;
  ontvangen: string;
  status: Inboxstatus;
  pogingen: number;
  /** when the next attempt is due (ms since the epoch) */
  volgende: number;
  /** the last outcome: a reason code and sentence, never content */
  uitkomst: string | null;
  /** where the message went: the file or the endpoint */
  afgeleverd: string | null;
}

export type Nieuw = Pick<Inboxrij, 'afzender' | 'id' | 'type' | 'subject' | 'dataref'>;

export class Inbox {
  private readonly q;

  constructor(db: Database.Database) {
    db.exec(INBOX_DDL);
    this.q = {
      zetIn: db.prepare<[string, string, string, string | null, string, string, number, string]>(
        'INSERT INTO inbox (afzender, id, type, subject, dataref, ontvangen, volgende, bijgewerkt) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (afzender, id) DO NOTHING',
      ),
      rij: db.prepare<[string, string], Inboxrij>('SELECT * FROM inbox WHERE afzender = ? AND id = ?'),
      teDoen: db.prepare<[number, number], Inboxrij>("SELECT * FROM inbox WHERE status = 'wachtend' AND volgende <= ? ORDER BY volgende, ontvangen LIMIT ?"),
      eerstvolgende: db.prepare<[], { v: number | null }>("SELECT min(volgende) AS v FROM inbox WHERE status = 'wachtend'"),
      afgeleverd: db.prepare<[string, string, string, string]>("UPDATE inbox SET status = 'afgeleverd', pogingen = pogingen + 1, uitkomst = 'AFGELEVERD', afgeleverd = ?, bijgewerkt = ? WHERE afzender = ? AND id = ? AND status = 'wachtend'"),
      opnieuw: db.prepare<[number, string, string, string, string]>("UPDATE inbox SET pogingen = pogingen + 1, volgende = ?, uitkomst = ?, bijgewerkt = ? WHERE afzender = ? AND id = ? AND status = 'wachtend'"),
      dood: db.prepare<[string, string, string, string]>("UPDATE inbox SET status = 'dood', pogingen = pogingen + 1, uitkomst = ?, bijgewerkt = ? WHERE afzender = ? AND id = ? AND status = 'wachtend'"),
      tellingen: db.prepare<[], { status: Inboxstatus; n: number }>('SELECT status, count(*) AS n FROM inbox GROUP BY status'),
    };
  }

  /** Records a notification (durably, before it is answered); false when (sender, id) was already there. */
  zetIn(n: Nieuw, nu = Date.now()): boolean {
    return this.q.zetIn.run(n.afzender, n.id, n.type, n.subject, n.dataref, new Date(nu).toISOString(), nu, new Date(nu).toISOString()).changes === 1;
  }

  rij(afzender: string, id: string): Inboxrij | undefined {
    return this.q.rij.get(afzender, id);
  }

  /** The `wachtend` rows due at `nu`, oldest first. */
  teDoen(nu = Date.now(), max = 16): Inboxrij[] {
    return this.q.teDoen.all(nu, max);
  }

  /** When the first `wachtend` row is due, or null when none waits. */
  eerstvolgende(): number | null {
    return this.q.eerstvolgende.get()?.v ?? null;
  }

  afgeleverd(r: Pick<Inboxrij, 'afzender' | 'id'>, waar: string, nu = Date.now()): void {
    this.q.afgeleverd.run(waar, new Date(nu).toISOString(), r.afzender, r.id);
  }

  opnieuw(r: Pick<Inboxrij, 'afzender' | 'id'>, volgende: number, uitkomst: string, nu = Date.now()): void {
    this.q.opnieuw.run(volgende, uitkomst, new Date(nu).toISOString(), r.afzender, r.id);
  }

  dood(r: Pick<Inboxrij, 'afzender' | 'id'>, uitkomst: string, nu = Date.now()): void {
    this.q.dood.run(uitkomst, new Date(nu).toISOString(), r.afzender, r.id);
  }

  tellingen(): Record<Inboxstatus, number> {
    const t: Record<Inboxstatus, number> = { wachtend: 0, afgeleverd: 0, dood: 0 };
    for (const r of this.q.tellingen.all()) t[r.status] = r.n;
    return t;
  }
}
