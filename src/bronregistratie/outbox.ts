/**
 * The outbox: the notifications of record changes and of key-only messages (schema v6), written in the same
 * transaction as the change or the message (by the store) and read in order of their volgnummer (by the
 * notification store, which keeps the delivery state). Writer and reader together; the tables are schema.ts's.
 * An entry's id is a time-ordered UUID (v7 layout, issue 13), so new ids go to the end of their index.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { Wet } from '../bericht/catalogus.js';

export type Outboxsoort = 'aangemaakt' | 'gewijzigd' | 'beeindigd' | 'bericht';

/** Random bytes drawn in blocks: one call into node:crypto per 256 ids instead of one per id. */
const RANDOM_BLOK = 16 * 256;
let willekeurig = Buffer.alloc(0);
let plek = RANDOM_BLOK;

/**
 * A time-ordered UUID (RFC 9562 version 7): 48 bits of milliseconds since the epoch, then the version, 74
 * random bits (node:crypto, drawn in blocks) and the variant. Unique as a v4 is; sorts by time to the millisecond.
 */
export function uuidV7(nu: number = Date.now()): string {
  if (plek === RANDOM_BLOK) {
    willekeurig = randomBytes(RANDOM_BLOK);
    plek = 0;
  }
  const b = Buffer.from(willekeurig.subarray(plek, (plek += 16)));
  b.writeUIntBE(Math.max(0, Math.floor(nu)) % 2 ** 48, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface OutboxRij {
  volgnummer: number;
  id: string;
  /** the record's Sleutel; empty for a message entry (`soort` `bericht`) */
  sleutel: string;
  /** a message entry: the id of the key-only message (table `bericht`); null for a record entry */
  bericht?: string | null;
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
  /** prepared at its first use: a writer on a database of before v6 (a migration test) needs none */
  private berichtInsert: Database.Statement | undefined;

  constructor(private readonly db: Database.Database) {
    this.q = {
      outbox: db.prepare('INSERT INTO outbox (id, sleutel, object, eigenaar, versie, soort, tijd) VALUES (?, ?, ?, ?, ?, ?, ?)'),

      ontvanger: db.prepare('INSERT INTO outbox_ontvanger VALUES (?, ?)'),
      telling: db.prepare<[], { n: number }>('SELECT count(*) n FROM outbox'),
    };
  }

  /** An entry for every counterpart of the record; `alleenVoor`: for that one counterpart only (an end). */
  schrijf(e: { sleutel: string; object: string; eigenaar: string; versie: number; soort: Outboxsoort; alleenVoor?: string }, nu: string): string {
    const id = uuidV7(Date.parse(nu));
    this.q.outbox.run(id, e.sleutel, e.object, e.eigenaar, e.versie, e.soort, nu);
    if (e.alleenVoor !== undefined) this.q.ontvanger.run(id, e.alleenVoor);
    return id;
  }

  /** The one entry of a key-only message (`object`: its type, e.g. `WMO301`), for its Ontvanger only. */
  schrijfBericht(e: { bericht: string; berichttype: string; eigenaar: string; ontvanger: string }, nu: string): string {
    const id = uuidV7(Date.parse(nu));
    this.berichtInsert ??= this.db.prepare("INSERT INTO outbox (id, bericht, object, eigenaar, versie, soort, tijd) VALUES (?, ?, ?, ?, 0, 'bericht', ?)");
    this.berichtInsert.run(id, e.bericht, e.berichttype, e.eigenaar, nu);
    this.q.ontvanger.run(id, e.ontvanger);
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
        `SELECT o.volgnummer, o.id, coalesce(o.sleutel, '') sleutel, o.bericht, o.object, o.eigenaar, o.versie, o.soort, o.tijd, ov.tegenpartij alleenVoor,
                coalesce(r.wet, b.wet) wet
           FROM outbox o LEFT JOIN outbox_ontvanger ov USING (id) LEFT JOIN record r ON r.sleutel = o.sleutel LEFT JOIN bericht b ON b.id = o.bericht
          WHERE o.volgnummer > ? ORDER BY o.volgnummer LIMIT ?`,
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
