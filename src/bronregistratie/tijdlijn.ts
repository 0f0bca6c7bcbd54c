/**
 * A record's history in the order of its messages, never in the order they were processed. A message's place
 * (`Positie`) is its Dagtekening, then its BerichtIdentificatie for the same day. Every message that carried a
 * record is noted (`vermelding`) with the version it carried; a version is a run of equal content along the
 * notes in that order, its origin the first message of the run. So the versions follow from the set of
 * messages alone, whatever order they came in:
 *
 * - a message already noted (same Dagtekening and BerichtIdentificatie) is a replay and changes nothing;
 * - a message with the content of the message before it joins that version; with the content of the message
 *   after it, it joins that one (whose origin moves back to it);
 * - otherwise it makes a version, and when it falls inside a run of another content, the part of the run after
 *   it becomes a version of its own (same content, origin: the first message after it);
 * - "current" is the version of the latest message: only a message newer than every note can change it.
 *
 * Version numbers are given in registration order and never change, so a number once announced (a
 * notification's `dataref`) always names the same content. The end of a record for a counterpart (a snapshot
 * 301 that no longer carries it) follows the same order (`Eindstand`). Call inside a transaction.
 */
import type Database from 'better-sqlite3';

export interface Positie {
  dagtekening: string;
  berichtIdentificatie: string;
}

export interface Tijdlijnuitkomst {
  versie: number;
  /** the message made a version with content no message around it had */
  nieuweVersie: boolean;
  /** that version is now the record's current one (the message is newer than every other that carried it) */
  actueel: boolean;
}

/** A note of a record with the content hash of its version. */
interface Buur {
  nummer: number;
  inhoud_hash: string;
  dagtekening: string;
  bericht_identificatie: string;
}

/** A member of a snapshot group: the record's id and its Sleutel. */
export interface Kandidaat {
  id: number;
  sleutel: string;
}

/** Where a message falls among a record's notes (`Tijdlijn.zoekPlek`). */
export type Plek = { herhaling: number; vorige?: undefined } | { herhaling?: undefined; vorige: Buur | undefined };

/** Row values compare as (Dagtekening, BerichtIdentificatie): the order of messages. */
const NA = '(dagtekening, bericht_identificatie) > (?, ?)';

export const TIJDLIJN_DDL = `
CREATE TABLE IF NOT EXISTS momentopname_bericht (
  groep TEXT NOT NULL,
  tegenpartij TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  bericht_identificatie TEXT NOT NULL,
  PRIMARY KEY (groep, tegenpartij, dagtekening, bericht_identificatie)
);
`;

/**
 * The SQL of the current version of the record whose `id` is `record` (an SQL expression): the version of the
 * latest note (the highest number for a record without notes).
 */
export const actueelSql = (record: string) => `coalesce(
  (SELECT nummer FROM vermelding WHERE record = ${record} ORDER BY dagtekening DESC, bericht_identificatie DESC LIMIT 1),
  (SELECT max(nummer) FROM versie WHERE record = ${record}))`;

export class Tijdlijn {
  private readonly q;

  constructor(db: Database.Database) {
    db.exec(TIJDLIJN_DDL);
    this.q = {
      vermelding: db.prepare<[number, string, string], { nummer: number }>(
        'SELECT nummer FROM vermelding WHERE record = ? AND dagtekening = ? AND bericht_identificatie = ?',
      ),
      // the note at the message's place (a replay) or else the one before it: one look-up for both
      totEnMet: db.prepare<[number, string, string], Buur>(
        `SELECT m.nummer, v.inhoud_hash, m.dagtekening, m.bericht_identificatie FROM vermelding m JOIN versie v USING (record, nummer)
          WHERE m.record = ? AND (m.dagtekening, m.bericht_identificatie) <= (?, ?)
          ORDER BY m.dagtekening DESC, m.bericht_identificatie DESC LIMIT 1`,
      ),
      volgende: db.prepare<[number, string, string], Buur>(
        `SELECT m.nummer, v.inhoud_hash, m.dagtekening, m.bericht_identificatie FROM vermelding m JOIN versie v USING (record, nummer)
          WHERE m.record = ? AND (m.dagtekening, m.bericht_identificatie) > (?, ?)
          ORDER BY m.dagtekening, m.bericht_identificatie LIMIT 1`,
      ),
      hoogste: db.prepare<[number], { nummer: number | null }>('SELECT max(nummer) nummer FROM versie WHERE record = ?'),
      nieuweVersie: db.prepare(
        'INSERT INTO versie (record, nummer, inhoud, inhoud_hash, geregistreerd, dagtekening, bericht_identificatie) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      kopie: db.prepare(
        `INSERT INTO versie (record, nummer, inhoud, inhoud_hash, geregistreerd, dagtekening, bericht_identificatie)
         SELECT record, ?, inhoud, inhoud_hash, ?, ?, ? FROM versie WHERE record = ? AND nummer = ?`,
      ),
      oorsprong: db.prepare(`UPDATE versie SET dagtekening = ?, bericht_identificatie = ? WHERE record = ? AND nummer = ? AND ${NA}`),
      staart: db.prepare(`UPDATE vermelding SET nummer = ? WHERE record = ? AND nummer = ? AND ${NA}`),
      vermeld: db.prepare('INSERT INTO vermelding (record, dagtekening, bericht_identificatie, nummer) VALUES (?, ?, ?, ?)'),
      actueel: db.prepare<[number], { nummer: number | null }>(`SELECT ${actueelSql('?1')} nummer`),
      // the versions current at some moment of a date range: those a message of a date in it carried
      vermeldTussen: db.prepare<[number, string, string], { nummer: number }>(
        'SELECT DISTINCT nummer FROM vermelding WHERE record = ? AND dagtekening >= ? AND dagtekening <= ? ORDER BY nummer',
      ),
      // the end of a record for a counterpart
      laatsteVerstrekking: db.prepare<[number, string], { dagtekening: string; bericht_identificatie: string }>(
        'SELECT laatste_dagtekening dagtekening, laatste_bericht_identificatie bericht_identificatie FROM verstrekking WHERE record = ? AND tegenpartij = ?',
      ),
      eerstvolgendeMomentopname: db.prepare<[string, string, string, string], Positie>(
        `SELECT dagtekening, bericht_identificatie berichtIdentificatie FROM momentopname_bericht
          WHERE groep = ? AND tegenpartij = ? AND ${NA} ORDER BY dagtekening, bericht_identificatie LIMIT 1`,
      ),
      momentopname: db.prepare('INSERT OR IGNORE INTO momentopname_bericht VALUES (?, ?, ?, ?)'),
      beeindiging: db.prepare<[number, string], Positie>(
        'SELECT dagtekening, bericht_identificatie berichtIdentificatie FROM beeindiging WHERE record = ? AND tegenpartij = ?',
      ),
      beeindig: db.prepare('INSERT INTO beeindiging (record, tegenpartij, dagtekening, bericht_identificatie) VALUES (?, ?, ?, ?)'),
      verschuifEinde: db.prepare('UPDATE beeindiging SET dagtekening = ?, bericht_identificatie = ? WHERE record = ? AND tegenpartij = ?'),
      hefOp: db.prepare('DELETE FROM beeindiging WHERE record = ? AND tegenpartij = ?'),
      beeindigingen: db.prepare<[number], Positie & { tegenpartij: string }>(
        'SELECT tegenpartij, dagtekening, bericht_identificatie berichtIdentificatie FROM beeindiging WHERE record = ? ORDER BY tegenpartij',
      ),
      kandidaten: db.prepare<[string, string, string, string], Kandidaat>(
        `SELECT r.id, r.sleutel FROM momentopname m JOIN verstrekking vs ON vs.record = m.record AND vs.tegenpartij = ?
          JOIN record r ON r.id = m.record
          WHERE m.groep = ? AND (vs.laatste_dagtekening, vs.laatste_bericht_identificatie) < (?, ?) ORDER BY r.sleutel`,
      ),
    };
  }

  /**
   * Where a message falls in a record's notes, in one look-up: the version it carried if it was noted already
   * (a replay, `herhaling`), else the note before it (`vorige`, undefined when it is the earliest). Pass the
   * answer to `plaats`.
   */
  zoekPlek(record: number, p: Positie): Plek {
    const buur = this.q.totEnMet.get(record, p.dagtekening, p.berichtIdentificatie);
    if (buur && buur.dagtekening === p.dagtekening && buur.bericht_identificatie === p.berichtIdentificatie) return { herhaling: buur.nummer };
    return { vorige: buur };
  }

  /** The first version of a new record. */
  begin(record: number, p: Positie, tekst: string, hash: string, nu: string): Tijdlijnuitkomst {
    this.q.nieuweVersie.run(record, 1, tekst, hash, nu, p.dagtekening, p.berichtIdentificatie);
    this.q.vermeld.run(record, p.dagtekening, p.berichtIdentificatie, 1);
    return { versie: 1, nieuweVersie: true, actueel: true };
  }

  /** Places a message that is not noted yet (see the file's comment), `plek` being its `zoekPlek`. */
  plaats(record: number, p: Positie, tekst: string, hash: string, nu: string, plek: Plek): Tijdlijnuitkomst {
    const { dagtekening: d, berichtIdentificatie: id } = p;
    const { vorige } = plek;
    const volgende = this.q.volgende.get(record, d, id);
    const noteer = (nummer: number) => this.q.vermeld.run(record, d, id, nummer);
    if (vorige && vorige.inhoud_hash === hash) {
      noteer(vorige.nummer);
      return { versie: vorige.nummer, nieuweVersie: false, actueel: false };
    }
    if (volgende && volgende.inhoud_hash === hash) {
      // the message before differs, so the next message begins its version: that version now begins here
      this.q.oorsprong.run(d, id, record, volgende.nummer, d, id);
      noteer(volgende.nummer);
      return { versie: volgende.nummer, nieuweVersie: false, actueel: false };
    }
    let hoogste = this.q.hoogste.get(record)?.nummer ?? 0;
    const versie = ++hoogste;
    this.q.nieuweVersie.run(record, versie, tekst, hash, nu, d, id);
    if (vorige && volgende && vorige.nummer === volgende.nummer) {
      // inside a run of other content: the rest of the run becomes a version of its own
      const staart = ++hoogste;
      this.q.kopie.run(staart, nu, volgende.dagtekening, volgende.bericht_identificatie, record, vorige.nummer);
      this.q.staart.run(staart, record, vorige.nummer, d, id);
    }
    noteer(versie);
    return { versie, nieuweVersie: true, actueel: !volgende };
  }

  /** The number of the record's current version. */
  actueel(record: number): number | undefined {
    return this.q.actueel.get(record)?.nummer ?? undefined;
  }

  /**
   * The versions that were current at some moment from `van` through `tot` (YYYY-MM-DD; `null`: no end), given
   * that a message of `van` carried the record: the versions of the notes of a Dagtekening in that range.
   */
  vermeldTussen(record: number, van: string, tot: string | null): number[] {
    return this.q.vermeldTussen.all(record, van, tot ?? '9999-12-31').map((r) => r.nummer);
  }

  /** The place of the latest message that carried the record to `tegenpartij`, if any did. */
  private laatsteVerstrekking(record: number, tegenpartij: string): Positie | undefined {
    const p = this.q.laatsteVerstrekking.get(record, tegenpartij);
    return p && { dagtekening: p.dagtekening, berichtIdentificatie: p.bericht_identificatie };
  }

  /** The version the latest message to `tegenpartij` carried (what it last received), if known. */
  laatstVerstrekt(record: number, tegenpartij: string): number | undefined {
    const p = this.laatsteVerstrekking(record, tegenpartij);
    return p && this.q.vermelding.get(record, p.dagtekening, p.berichtIdentificatie)?.nummer;
  }

  /** The counterparts for which the record has ended, each with the snapshot message that ended it. */
  beeindigingen(record: number): Array<Positie & { tegenpartij: string }> {
    return this.q.beeindigingen.all(record);
  }

  /** Remembers a snapshot message for a group and counterpart; false when it was remembered already (a replay). */
  momentopname(groep: string, tegenpartij: string, p: Positie): boolean {
    return this.q.momentopname.run(groep, tegenpartij, p.dagtekening, p.berichtIdentificatie).changes > 0;
  }

  /** The members of a group that the counterpart last received before `p`: those a snapshot at `p` may end. */
  kandidaten(groep: string, tegenpartij: string, p: Positie): Kandidaat[] {
    return this.q.kandidaten.all(tegenpartij, groep, p.dagtekening, p.berichtIdentificatie);
  }

  /**
   * Brings a record's end for a counterpart in line with the messages: it has ended when a snapshot of its
   * group for that counterpart is newer than the latest message that carried it to them; the end is the first
   * such snapshot. Returns `'beeindigd'` when it ends now (and was not ended before): the caller announces it.
   * A newer message that carries it again lifts the end; an older snapshot moves the end back, silently.
   * `laatste`: the place of that latest message when the caller has it (`Verstrekkingen.legVast` returns it).
   * `nieuw`: the record was made in this very registration, so it has no end to look up.
   */
  eindstand(record: number, groep: string, tegenpartij: string, laatste = this.laatsteVerstrekking(record, tegenpartij), nieuw = false): 'beeindigd' | undefined {
    if (!laatste) return undefined;
    const einde = this.q.eerstvolgendeMomentopname.get(groep, tegenpartij, laatste.dagtekening, laatste.berichtIdentificatie);
    const nu = nieuw ? undefined : this.q.beeindiging.get(record, tegenpartij);
    if (!einde) {
      if (nu) this.q.hefOp.run(record, tegenpartij);
      return undefined;
    }
    if (!nu) {
      this.q.beeindig.run(record, tegenpartij, einde.dagtekening, einde.berichtIdentificatie);
      return 'beeindigd';
    }
    if (nu.dagtekening !== einde.dagtekening || nu.berichtIdentificatie !== einde.berichtIdentificatie) {
      this.q.verschuifEinde.run(einde.dagtekening, einde.berichtIdentificatie, record, tegenpartij);
    }
    return undefined;
  }
}
