/**
 * The outbox: the notifications of record changes, written in the same transaction as the change (by the
 * store) and read in order of their volgnummer (by the notification store, which keeps the delivery state).
 * Writer and reader together; the tables are schema.ts's.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Wet } from '../bericht/catalogus.js';

export type Outboxsoort = 'aangemaakt' | 'gewijzigd' | 'beeindigd';

export interface OutboxRij {
  volgnummer: number;
  id: string;
  sleutel: string;
  object: string;
  eigenaar: string;
  versie: number;
  soort: Outboxsoort;
  tijd: string;
  /** the law of the record (not personal data); `null`: a v3 record of unknown law, announced to nobody */
  wet?: Wet | null;
  /** the one counterpart it is for (an end for that counterpart), or null: every counterpart of the record */
  alleenVoor?: string | null;
}

/** Writes the outbox entries of the store's changes (on the store's connection, inside its transactions). */
export class Outboxschrijver {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      outbox: db.prepare('INSERT INTO outbox (id, sleutel, object, eigenaar, versie, soort, tijd) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      ontvanger: db.prepare('INSERT INTO outbox_ontvanger VALUES (?, ?)'),
      telling: db.prepare<[], { n: number }>('SELECT count(*) n FROM outbox'),
    };
  }

  /** An entry for every counterpart of the record; `alleenVoor`: for that one counterpart only (an end). */
  schrijf(e: { sleutel: string; object: string; eigenaar: string; versie: number; soort: Outboxsoort; alleenVoor?: string }, nu: string): string {
    const id = randomUUID();
    this.q.outbox.run(id, e.sleutel, e.object, e.eigenaar, e.versie, e.soort, nu);
    if (e.alleenVoor !== undefined) this.q.ontvanger.run(id, e.alleenVoor);
    return id;
  }

  telling(): number {
    return this.q.telling.get()!.n;
  }
}

/** Reads the outbox in order (the notification store's connection). */
export class Outboxlezer {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      na: db.prepare<[number, number], OutboxRij>(
        `SELECT o.volgnummer, o.id, o.sleutel, o.object, o.eigenaar, o.versie, o.soort, o.tijd, ov.tegenpartij alleenVoor, r.wet
           FROM outbox o LEFT JOIN outbox_ontvanger ov USING (id) LEFT JOIN record r ON r.sleutel = o.sleutel WHERE o.volgnummer > ? ORDER BY o.volgnummer LIMIT ?`,
      ),
      aantalNa: db.prepare<[number], { n: number }>('SELECT count(*) n FROM outbox WHERE volgnummer > ?'),
      bestaat: db.prepare<[string], { n: number }>('SELECT count(*) n FROM outbox WHERE id = ?'),
    };
  }

  /** The entries after `volgnummer`, at most `limiet`, in order. */
  na(volgnummer: number, limiet: number): OutboxRij[] {
    return this.q.na.all(volgnummer, limiet);
  }

  /** How many entries come after `volgnummer`. */
  aantalNa(volgnummer: number): number {
    return this.q.aantalNa.get(volgnummer)!.n;
  }

  bestaat(id: string): boolean {
    return this.q.bestaat.get(id)!.n > 0;
  }
}
