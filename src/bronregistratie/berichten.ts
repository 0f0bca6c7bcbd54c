/**
 * Key-only messages (issue 14, schema v6): a message whose every object is in its `na` phase holds nothing but
 * its header, the Bsn and per object what identifies it plus its Sleutel. The sidecar keeps it (table `bericht`,
 * `GET /berichten/{id}` for its Ontvanger) and announces it with one message-level outbox entry, both in the
 * transaction of the message's registration. A re-send of the same message (same Afzender,
 * BerichtIdentificatie, Dagtekening and bytes) finds its row: the same id, no second entry.
 */
import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import type { Wet } from '../bericht/catalogus.js';
import type { Outboxschrijver } from './outbox.js';

/** A Sleutel a key-only message carries: the object, the Sleutel and the version it names. */
export interface Berichtsleutel {
  object: string;
  sleutel: string;
  versie: number;
}

export interface NieuwBericht {
  /** the message type, e.g. `WMO301` */
  berichttype: string;
  /** the Afzender */
  eigenaar: string;
  ontvanger: string;
  wet: Wet;
  /** exactly the bytes `POST /berichten/uitgaand` would have answered */
  inhoud: Buffer;
  sleutels: Berichtsleutel[];
  dagtekening: string;
  berichtIdentificatie: string;
}

export interface BewaardBericht extends NieuwBericht {
  id: string;
  geregistreerd: string;
}

interface BerichtRij {
  id: string;
  berichttype: string;
  eigenaar: string;
  ontvanger: string;
  wet: Wet;
  inhoud: Buffer;
  sleutels: string;
  dagtekening: string;
  bericht_identificatie: string;
  geregistreerd: string;
}

export class Berichten {
  private readonly q;

  constructor(db: Database.Database, private readonly outbox?: Outboxschrijver) {
    this.q = {
      zoek: db.prepare<[string, string, string, string], { id: string }>(
        'SELECT id FROM bericht WHERE eigenaar = ? AND bericht_identificatie = ? AND dagtekening = ? AND inhoud_hash = ?',
      ),
      nieuw: db.prepare(
        `INSERT INTO bericht (id, berichttype, eigenaar, ontvanger, wet, inhoud, inhoud_hash, sleutels, dagtekening, bericht_identificatie, geregistreerd)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      notificatie: db.prepare<[string], { id: string }>('SELECT id FROM outbox WHERE bericht = ? ORDER BY volgnummer LIMIT 1'),
      lees: db.prepare<[string], BerichtRij>('SELECT * FROM bericht WHERE id = ?'),
    };
  }

  /**
   * Keeps a key-only message and writes its outbox entry, or finds the row of the same message sent before
   * (then nothing is written). Call inside the message's transaction.
   */
  bewaar(b: NieuwBericht, nu: string): { id: string; notificatie: string; nieuw: boolean } {
    const hash = createHash('sha256').update(b.inhoud).digest('hex');
    const bestaand = this.q.zoek.get(b.eigenaar, b.berichtIdentificatie, b.dagtekening, hash);
    if (bestaand) return { id: bestaand.id, notificatie: this.q.notificatie.get(bestaand.id)?.id ?? '', nieuw: false };
    if (!this.outbox) throw new Error('a read-only Berichten cannot keep a message');
    const id = randomUUID();
    const sleutels = b.sleutels.map((s) => ({ object: s.object, sleutel: s.sleutel, versie: s.versie }));
    this.q.nieuw.run(id, b.berichttype, b.eigenaar, b.ontvanger, b.wet, b.inhoud, hash, JSON.stringify(sleutels), b.dagtekening, b.berichtIdentificatie, nu);
    const notificatie = this.outbox.schrijfBericht({ bericht: id, berichttype: b.berichttype, eigenaar: b.eigenaar, ontvanger: b.ontvanger }, nu);
    return { id, notificatie, nieuw: true };
  }

  /** A kept message by its id. */
  lees(id: string): BewaardBericht | undefined {
    const r = this.q.lees.get(id);
    if (!r) return undefined;
    return {
      id: r.id,
      berichttype: r.berichttype,
      eigenaar: r.eigenaar,
      ontvanger: r.ontvanger,
      wet: r.wet,
      inhoud: Buffer.from(r.inhoud),
      sleutels: JSON.parse(r.sleutels) as Berichtsleutel[],
      dagtekening: r.dagtekening,
      berichtIdentificatie: r.bericht_identificatie,
      geregistreerd: r.geregistreerd,
    };
  }
}
