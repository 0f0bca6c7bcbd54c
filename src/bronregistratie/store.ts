/**
 * The bronregistratie: SQLite (better-sqlite3, WAL). The only place with SQL. A record has a random UUID v4
 * Sleutel; its natural identity maps to it through a keyed hash; every content change is a new version with
 * its origin (Dagtekening, BerichtIdentificatie); every creation or change writes its notification to the
 * outbox in the same transaction. Several owners share one database, kept apart by `eigenaar`.
 */
import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { koppelGeheim } from './geheim.js';
import { controleerLeesbaar, richtSchemaIn } from './schema.js';
import { identiteitHash } from './identiteit.js';
import { ACTUEEL, Tijdlijn } from './tijdlijn.js';
import { openDatabase, type Openopties } from './verbinding.js';

export interface Registratie {
  object: string;
  eigenaar: string;
  identiteit: readonly string[];
  /** the fields the object keeps, as JSON-able data */
  inhoud: unknown;
  dagtekening: string;
  berichtIdentificatie: string;
  tegenpartij: string;
  /**
   * The end of the counterpart's grounds as the message states it (for a 301: the latest Einddatum of its
   * toewijzingen); `null`: open-ended. The latest message by Dagtekening decides, since a 301 is a snapshot.
   */
  toewijzingEinde: string | null;
  /**
   * The snapshot the object came in (for a 301: the client, as its BSN): a later snapshot for the same group
   * and counterpart that lacks the object ends it there (`beeindigOntbrekende`).
   */
  groep?: readonly string[];
}

/** The records of a snapshot group that a later snapshot no longer carried. */
export interface Beeindiging {
  object: string;
  eigenaar: string;
  groep: readonly string[];
  tegenpartij: string;
  dagtekening: string;
  berichtIdentificatie: string;
  /** the Sleutels of the object that the snapshot does carry */
  aanwezig: readonly string[];
}

/** What a counterpart received of a record: the basis of its grounds (doelbinding). */
export interface Verstrekking {
  tegenpartij: string;
  eersteDagtekening: string;
  laatsteDagtekening: string;
  toewijzingEinde: string | null;
}

export interface Registratieresultaat {
  sleutel: string;
  versie: number;
  nieuweSleutel: boolean;
  nieuweVersie: boolean;
}

export interface Versie {
  sleutel: string;
  object: string;
  eigenaar: string;
  nummer: number;
  inhoud: unknown;
  geregistreerd: string;
  dagtekening: string;
  berichtIdentificatie: string;
}

/** JSON with a stable text for equal content (object keys keep document order, which is schema order). */
export const inhoudTekst = (inhoud: unknown) => JSON.stringify(inhoud);

export class Bronregistratie {
  private readonly db: Database.Database;
  private readonly geheim: Buffer;
  private readonly q;
  private readonly tijdlijn: Tijdlijn;
  private laatsteGroep: { sleutel: string; hash: string } | undefined;

  /**
   * Opens (or, for a writing command, creates) the database at `pad` with its identity secret (geheim.ts).
   * `alleenLezen`: a command that only reads; it never creates the database, its secret, or anything in it.
   * `moetBestaan`: writes, but refuses a database that is not there.
   */
  constructor(readonly pad: string, opties: Openopties = {}) {
    this.db = openDatabase(pad, 5000, opties);
    try {
      if (opties.alleenLezen) {
        controleerLeesbaar(this.db, pad);
      } else {
        this.db.pragma('foreign_keys = ON');
        richtSchemaIn(this.db);
      }
      this.geheim = koppelGeheim(this.db, pad, { aanmaken: !opties.moetBestaan, alleenLezen: opties.alleenLezen === true });
    } catch (e) {
      this.db.close();
      throw e;
    }
    const db = this.db;
    this.tijdlijn = new Tijdlijn(db);
    this.q = {
      zoek: db.prepare<[string, string, string], { sleutel: string }>('SELECT sleutel FROM record WHERE object = ? AND eigenaar = ? AND identiteit = ?'),
      nieuwRecord: db.prepare('INSERT INTO record (sleutel, object, eigenaar, identiteit, aangemaakt) VALUES (?, ?, ?, ?, ?)'),
      // the latest message (Dagtekening, then BerichtIdentificatie) decides the toewijzing's end
      verstrekking: db.prepare(
        `INSERT INTO verstrekking (sleutel, tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sleutel, tegenpartij) DO UPDATE SET
           eerste_dagtekening = min(eerste_dagtekening, excluded.eerste_dagtekening),
           toewijzing_einde = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
             THEN excluded.toewijzing_einde ELSE toewijzing_einde END,
           laatste_bericht_identificatie = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
             THEN excluded.laatste_bericht_identificatie ELSE laatste_bericht_identificatie END,
           laatste_dagtekening = max(laatste_dagtekening, excluded.laatste_dagtekening)`,
      ),
      verstrekkingen: db.prepare<[string], { tegenpartij: string; eerste_dagtekening: string; laatste_dagtekening: string; toewijzing_einde: string | null }>(
        'SELECT tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde FROM verstrekking WHERE sleutel = ? ORDER BY tegenpartij',
      ),
      outbox: db.prepare('INSERT INTO outbox (id, sleutel, object, eigenaar, versie, soort, tijd) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      inGroep: db.prepare('INSERT OR IGNORE INTO momentopname VALUES (?, ?)'),
      outboxOntvanger: db.prepare('INSERT INTO outbox_ontvanger VALUES (?, ?)'),
      versie: db.prepare<[string, number], VersieRij>(
        'SELECT v.*, r.object, r.eigenaar FROM versie v JOIN record r USING (sleutel) WHERE v.sleutel = ? AND v.nummer = ?',
      ),
      // the current version: that of the latest message that carried the record (see tijdlijn.ts)
      laatsteVersie: db.prepare<{ 1: string }, VersieRij>(
        `SELECT v.*, r.object, r.eigenaar FROM versie v JOIN record r USING (sleutel) WHERE v.sleutel = ?1 AND v.nummer = ${ACTUEEL}`,
      ),
      versieOp: db.prepare<[string, string, string], VersieRij>(
        `SELECT v.*, r.object, r.eigenaar FROM vermelding m JOIN versie v USING (sleutel, nummer) JOIN record r USING (sleutel)
         WHERE m.sleutel = ? AND m.dagtekening <= ?
         ORDER BY m.dagtekening DESC, m.bericht_identificatie = ? DESC, m.bericht_identificatie DESC LIMIT 1`,
      ),
      versies: db.prepare<[string], { nummer: number }>('SELECT nummer FROM versie WHERE sleutel = ? ORDER BY dagtekening, bericht_identificatie, nummer'),
      telling: db.prepare<[], { records: number; versies: number; outbox: number }>(
        'SELECT (SELECT count(*) FROM record) records, (SELECT count(*) FROM versie) versies, (SELECT count(*) FROM outbox) outbox',
      ),
    };
  }

  /**
   * Sets this connection's automatic WAL checkpoint (pages; 0: never). A checkpoint syncs the database file
   * and can take a slow disk 100 ms; `serve` turns it off and checkpoints from a worker thread instead.
   */
  autoCheckpoint(paginas: number): void {
    this.db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(paginas))}`);
  }

  /** How long this connection waits for the write lock before SQLITE_BUSY (`serve`: short, answered 503). */
  wachttijd(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /** Runs `fn` as one transaction (a savepoint inside a batch): all of its writes or none. */
  transactie<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Runs `fn` as one write transaction that takes the write lock at once (BEGIN IMMEDIATE): a batch of
   * messages, each a `transactie` (savepoint) inside it, durable together when it commits. `fn` is
   * synchronous: no transaction stays open across an await.
   */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** The Sleutel of an object's natural identity, if registered. */
  zoekSleutel(object: string, eigenaar: string, identiteit: readonly string[]): string | undefined {
    return this.q.zoek.get(object, eigenaar, identiteitHash(this.geheim, object, eigenaar, identiteit))?.sleutel;
  }

  /**
   * Registers an object's content: a new record with a new Sleutel, or the message placed in the record's
   * history by its Dagtekening and BerichtIdentificatie (tijdlijn.ts): a version when its content differs from
   * the messages around it, else only a note. A message already noted (a replay) changes nothing. Creation,
   * and a change of the current version (only a message newer than every other can make one), write their
   * outbox entry; an older message never does. Call inside `transactie` to group it with the rest of a message.
   */
  registreer(r: Registratie, nu = new Date().toISOString()): Registratieresultaat {
    const identiteit = identiteitHash(this.geheim, r.object, r.eigenaar, r.identiteit);
    const tekst = inhoudTekst(r.inhoud);
    const hash = createHash('sha256').update(tekst).digest('hex');
    let sleutel = this.q.zoek.get(r.object, r.eigenaar, identiteit)?.sleutel;
    const nieuweSleutel = !sleutel;
    if (sleutel) {
      const herhaling = this.tijdlijn.vermeld(sleutel, r);
      if (herhaling !== undefined) return { sleutel, versie: herhaling, nieuweSleutel, nieuweVersie: false };
    } else {
      sleutel = randomUUID();
      this.q.nieuwRecord.run(sleutel, r.object, r.eigenaar, identiteit, nu);
    }
    this.q.verstrekking.run(sleutel, r.tegenpartij, r.dagtekening, r.dagtekening, r.toewijzingEinde, r.berichtIdentificatie);
    const t = nieuweSleutel ? this.tijdlijn.begin(sleutel, r, tekst, hash, nu) : this.tijdlijn.plaats(sleutel, r, tekst, hash, nu);
    if (t.actueel) this.q.outbox.run(randomUUID(), sleutel, r.object, r.eigenaar, t.versie, nieuweSleutel ? 'aangemaakt' : 'gewijzigd', nu);
    if (r.groep) {
      const groep = this.groepHash(r.object, r.eigenaar, r.groep);
      this.q.inGroep.run(groep, sleutel);
      // a newer snapshot for the counterpart may lack it (it ends), or this message carries it past its end (lifted)
      if (this.tijdlijn.eindstand(sleutel, groep, r.tegenpartij)) this.kondigEindeAan(sleutel, r.object, r.eigenaar, r.tegenpartij, nu);
    }
    return { sleutel, versie: t.versie, nieuweSleutel, nieuweVersie: t.nieuweVersie };
  }

  private kondigEindeAan(sleutel: string, object: string, eigenaar: string, tegenpartij: string, nu: string): void {
    const id = randomUUID();
    this.q.outbox.run(id, sleutel, object, eigenaar, this.tijdlijn.actueel(sleutel) ?? 1, 'beeindigd', nu);
    this.q.outboxOntvanger.run(id, tegenpartij);
  }

  /**
   * Ends, for one counterpart, every record of a snapshot group it received that this snapshot, newer than the
   * last message that carried it to them (by Dagtekening, then BerichtIdentificatie), no longer carries: each
   * gets an outbox entry `beeindigd` (its current version) addressed to that counterpart only, and is
   * remembered so a later snapshot does not end it again. The snapshot itself is remembered too, so a record
   * that an older message registers later is ended by it all the same. A replay ends nothing. Returns the
   * Sleutels ended.
   */
  beeindigOntbrekende(b: Beeindiging, nu = new Date().toISOString()): string[] {
    const groep = this.groepHash(b.object, b.eigenaar, b.groep);
    if (!this.tijdlijn.momentopname(groep, b.tegenpartij, b)) return [];
    const geeindigd: string[] = [];
    for (const sleutel of this.tijdlijn.kandidaten(groep, b.tegenpartij, b)) {
      if (b.aanwezig.includes(sleutel)) continue;
      if (!this.tijdlijn.eindstand(sleutel, groep, b.tegenpartij)) continue;
      this.kondigEindeAan(sleutel, b.object, b.eigenaar, b.tegenpartij, nu);
      geeindigd.push(sleutel);
    }
    return geeindigd;
  }

  /** The keyed hash of a snapshot group; the objects of one message share it, so the last one is kept. */
  private groepHash(object: string, eigenaar: string, groep: readonly string[]): string {
    const sleutel = JSON.stringify([object, eigenaar, groep]);
    if (this.laatsteGroep?.sleutel !== sleutel) this.laatsteGroep = { sleutel, hash: identiteitHash(this.geheim, `${object}#groep`, eigenaar, groep) };
    return this.laatsteGroep.hash;
  }

  /**
   * A version of a record; without `nummer` the current one: that of the latest message (by Dagtekening, then
   * BerichtIdentificatie) that carried it, which need not be the highest number.
   */
  versie(sleutel: string, nummer?: number): Versie | undefined {
    return naarVersie(nummer === undefined ? this.q.laatsteVersie.get({ 1: sleutel }) : this.q.versie.get(sleutel, nummer));
  }

  /**
   * The version a message of `dagtekening` carried. Every message that carried the record is noted with the
   * version it carried (a re-send makes no version, but a note), so this is the version of the latest note on
   * or before that date; on a tie the note of that very message (`berichtIdentificatie`), else the latest of
   * that day by BerichtIdentificatie.
   */
  versieOp(sleutel: string, dagtekening: string, berichtIdentificatie = ''): Versie | undefined {
    return naarVersie(this.q.versieOp.get(sleutel, dagtekening, berichtIdentificatie));
  }

  /** The record's version numbers in the order of their origin (Dagtekening, then BerichtIdentificatie). */
  versienummers(sleutel: string): number[] {
    return this.q.versies.all(sleutel).map((r) => r.nummer);
  }

  /** Every counterpart the record was sent to, with the grounds the messages gave it. */
  verstrekkingen(sleutel: string): Verstrekking[] {
    return this.q.verstrekkingen.all(sleutel).map((r) => ({
      tegenpartij: r.tegenpartij,
      eersteDagtekening: r.eerste_dagtekening,
      laatsteDagtekening: r.laatste_dagtekening,
      toewijzingEinde: r.toewijzing_einde,
    }));
  }

  /** The counterparts for which the record has ended (a newer snapshot lacked it), with the message that ended it. */
  beeindigingen(sleutel: string): Array<{ tegenpartij: string; dagtekening: string; berichtIdentificatie: string }> {
    return this.tijdlijn.beeindigingen(sleutel);
  }

  /**
   * The connection itself, for a part of a higher layer that keeps its own table in this file and must write
   * it in the same transactions (the run journal: runs/journaal.ts).
   */
  get verbinding(): Database.Database {
    return this.db;
  }

  telling(): { records: number; versies: number; outbox: number } {
    return this.q.telling.get()!;
  }

  sluit(): void {
    this.db.close();
  }
}

function naarVersie(rij: VersieRij | undefined): Versie | undefined {
  return rij && {
      sleutel: rij.sleutel,
      object: rij.object,
      eigenaar: rij.eigenaar,
      nummer: rij.nummer,
      inhoud: JSON.parse(rij.inhoud) as unknown,
      geregistreerd: rij.geregistreerd,
      dagtekening: rij.dagtekening,
      berichtIdentificatie: rij.bericht_identificatie,
    };
  }

interface VersieRij {
  sleutel: string;
  object: string;
  eigenaar: string;
  nummer: number;
  inhoud: string;
  geregistreerd: string;
  dagtekening: string;
  bericht_identificatie: string;
}
