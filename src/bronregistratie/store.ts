/**
 * The bronregistratie: SQLite (better-sqlite3, WAL). A record has a random UUID v4 Sleutel; its natural
 * identity maps to it through a keyed hash; every content change is a new version with its origin
 * (Dagtekening, BerichtIdentificatie); every creation or change writes its notification to the outbox in the
 * same transaction. Several owners share one database, kept apart by `eigenaar`. This class is the facade; the
 * parts are schema.ts (all DDL, migrations), records.ts (records, versions), tijdlijn.ts (version order,
 * snapshots, ends), verstrekking.ts (what each counterpart received) and outbox.ts (notifications).
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Outboxschrijver } from './outbox.js';
import { Berichten } from './berichten.js';
import { koppelGeheim } from './geheim.js';
import { inhoudHash, inhoudTekst } from './inhoud.js';
import type { Wet } from '../bericht/catalogus.js';
import { controleerLeesbaar, leesSleutelvorm, richtSchemaIn, type Migratieverslag } from './schema.js';
import { groepSleutel, identiteitSleutel, type Hashgeheim, type Sleutelvorm } from './identiteit.js';
import { Personenindex } from './inzage.js';
import type { Wetbron } from './wetscheiding.js';
import { Records, type Recordsleutel, type Versie } from './records.js';
import { Tijdlijn, type Plek } from './tijdlijn.js';
import { openDatabase, type Openopties } from './verbinding.js';
import { Verstrekkingen, type Verstrekking } from './verstrekking.js';

export type { Versie } from './records.js';
export type { Verstrekking } from './verstrekking.js';
export type { Migratieverslag } from './schema.js';
export type { Wetbron, Wetscheiding } from './wetscheiding.js';
export type { Wet } from '../bericht/catalogus.js';

export interface Registratie {
  /** the law of the message (its standard: iWmo `wmo`, iJw `jeugdwet`): part of the record's identity */
  wet: Wet;
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
  /**
   * `identiteitSleutel(sleutelvorm, secret, wet, object, eigenaar, identiteit)` made beforehand with this store's
   * secret and layout (`hashgeheim`), by a run's worker thread: the serial step then does not make it
   */
  identiteitHash?: string;
  /** the snapshot group's hash and the person's (identiteit.ts; the person index, `object` layout only), made beforehand the same way */
  groepHash?: string;
  persoonHash?: string;
  /** `inhoudTekst(inhoud)` and its SHA-256 (hex), made beforehand (a run's worker): then `inhoud` is not read */
  inhoudTekst?: string;
  inhoudHash?: string;
}

/** The records of a snapshot group that a later snapshot no longer carried. */
export interface Beeindiging {
  wet: Wet;
  object: string;
  eigenaar: string;
  groep: readonly string[];
  tegenpartij: string;
  dagtekening: string;
  berichtIdentificatie: string;
  /** the Sleutels of the object that the snapshot does carry */
  aanwezig: readonly string[];
  /** the group's hash, made beforehand by a run's worker (identiteit.ts `groepSleutel`) */
  groepHash?: string;
}

export interface Registratieresultaat {
  sleutel: string;
  versie: number;
  nieuweSleutel: boolean;
  nieuweVersie: boolean;
}

export { inhoudHash, inhoudTekst } from './inhoud.js';

export class Bronregistratie {
  private readonly db: Database.Database;
  private readonly geheim: Buffer;
  private readonly q;
  private readonly tijdlijn: Tijdlijn;
  private readonly records: Records;
  private readonly verstrekking: Verstrekkingen;
  private readonly outbox: Outboxschrijver;
  /** key-only messages kept for their Ontvanger (schema v6, berichten.ts) */
  readonly berichten: Berichten;
  private readonly personen: Personenindex;
  private laatsteGroep: { sleutel: string; hash: string } | undefined;
  /** what opening did to an older database (a migration), counts only: for the caller to print or log */
  readonly migratie: Migratieverslag | undefined;
  /** the owner whose records alone this database keeps; undefined: any owner's */
  readonly eigenaar: string | undefined;
  /** how this database lays out its identity and group hashes (identiteit.ts) */
  readonly sleutelvorm: Sleutelvorm;

  /**
   * Opens (or, for a writing command, creates) the database at `pad` with its identity secret (geheim.ts).
   * `alleenLezen`: a command that only reads; it never creates the database, its secret, or anything in it.
   * `moetBestaan`: writes, but refuses a database that is not there.
   * `eigenaar`: the database is that owner's alone (`bronregistratie.eigenaren`, eigenaren.ts): the sending
   * core registers no other owner's records in it.
   */
  constructor(readonly pad: string, opties: Openopties & { wetbron?: Wetbron; eigenaar?: string | undefined } = {}) {
    this.eigenaar = opties.eigenaar;
    this.db = openDatabase(pad, 5000, opties);
    try {
      if (opties.alleenLezen) {
        controleerLeesbaar(this.db, pad);
        this.migratie = undefined;
      } else {
        this.db.pragma('foreign_keys = ON');
        this.migratie = richtSchemaIn(this.db, opties.wetbron ? { wetbron: opties.wetbron } : {});
      }
      this.geheim = koppelGeheim(this.db, pad, { aanmaken: !opties.moetBestaan, alleenLezen: opties.alleenLezen === true });
      this.sleutelvorm = leesSleutelvorm(this.db);
    } catch (e) {
      this.db.close();
      throw e;
    }
    const db = this.db;
    this.tijdlijn = new Tijdlijn(db);
    this.records = new Records(db);
    this.verstrekking = new Verstrekkingen(db);
    this.outbox = new Outboxschrijver(db);
    this.berichten = new Berichten(db, this.outbox);
    this.personen = new Personenindex(db, this.geheim, this.sleutelvorm);
    this.q = {
      inGroep: db.prepare('INSERT OR IGNORE INTO momentopname VALUES (?, ?)'),
    };
  }

  /**
   * Sets this connection's automatic WAL checkpoint (pages; 0: never) and returns the setting it had. A
   * checkpoint syncs the database file and can take a slow disk 100 ms; `serve` turns it off and checkpoints
   * from a worker thread instead; `convert` checkpoints less often (runs/convert.ts).
   */
  autoCheckpoint(paginas: number): number {
    const was = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.floor(paginas))}`);
    return was;
  }

  /**
   * This connection's page cache (KiB; SQLite's `cache_size`), set to `kib` when given; returns the size it had.
   * Every connection opens with 4 MB (verbinding.ts); a `convert` run gives its registration more while it runs
   * (runs/convert.ts).
   */
  paginacache(kib?: number): number {
    const was = this.db.pragma('cache_size', { simple: true }) as number;
    if (kib !== undefined) this.db.pragma(`cache_size = -${Math.max(0, Math.floor(kib))}`);
    // a negative size is in KiB, a positive one in pages
    return was < 0 ? -was : Math.round((was * (this.db.pragma('page_size', { simple: true }) as number)) / 1024);
  }

  /** How long this connection waits for the write lock before SQLITE_BUSY (`serve`: short, answered 503). */
  wachttijd(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /** Whether this database keeps `eigenaar`'s records (it keeps every owner's unless it is one owner's alone). */
  bedient(eigenaar: string): boolean {
    return this.eigenaar === undefined || this.eigenaar === eigenaar;
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

  /** The Sleutels of the records about one person, by BSN (inzage: inzage.ts); of one owner, or of all. */
  sleutelsVanPersoon(bsn: string, eigenaar?: string): string[] {
    return this.personen.sleutels(bsn, eigenaar);
  }

  /** The Sleutel of an object's natural identity under a law, if registered (`hash`: its identity hash, made beforehand). */
  zoekSleutel(wet: Wet, object: string, eigenaar: string, identiteit: readonly string[], hash?: string): string | undefined {
    return this.records.zoek(object, eigenaar, hash ?? identiteitSleutel(this.sleutelvorm, this.geheim, wet, object, eigenaar, identiteit))?.sleutel;
  }

  /**
   * The identity secret with the layout of this database's hashes, for a run's worker threads (same process) to
   * make identity hashes before the serial step (runs/taak.ts). Never written anywhere, never sent.
   */
  get hashgeheim(): Hashgeheim {
    return { geheim: this.geheim, vorm: this.sleutelvorm };
  }

  /** The law of the record a Sleutel names (`null`: unknown, owner only), undefined when there is none. */
  wetVan(sleutel: string): Wet | null | undefined {
    return this.records.record(sleutel)?.wet;
  }

  /**
   * The record a Sleutel names for `deelnemer` (the caller; undefined: the installation itself), within `wet`
   * when given: the record of that Sleutel, or the record of the other law that a Sleutel handed out before the
   * law separation names for this caller (`sleutel_alias`). A record of another law is never the answer. When
   * both fit, the one the caller owns or received wins. Undefined: nothing for this caller in this law.
   */
  losOp(sleutel: string, wet: Wet | undefined, deelnemer: string | undefined): string | undefined {
    // a record of unknown law (v3, not placed by the law separation) fits any law: only its owner has grounds on it
    const past = (r: { wet: Wet | null } | undefined) => r !== undefined && (wet === undefined || r.wet === wet || r.wet === null);
    const eigen = this.records.record(sleutel);
    const wie = deelnemer ?? eigen?.eigenaar;
    const alias = wie !== undefined ? this.records.alias(sleutel, wie) : undefined;
    const aliasRecord = alias !== undefined ? this.records.record(alias) : undefined;
    const kandidaten: Array<[string, { eigenaar: string }]> = [];
    if (past(eigen)) kandidaten.push([sleutel, eigen!]);
    if (alias !== undefined && past(aliasRecord)) kandidaten.push([alias, aliasRecord!]);
    if (kandidaten.length < 2 || deelnemer === undefined) return kandidaten[0]?.[0];
    const gekregen = kandidaten.find(([s, r]) => r.eigenaar === deelnemer || this.verstrekking.van(s).some((v) => v.tegenpartij === deelnemer));
    return (gekregen ?? kandidaten[0]!)[0];
  }

  /**
   * Registers an object's content: a new record with a new Sleutel, or the message placed in the record's
   * history by its Dagtekening and BerichtIdentificatie (tijdlijn.ts): a version when its content differs from
   * the messages around it, else only a note. A message already noted (a replay) changes nothing. Creation,
   * and a change of the current version (only a message newer than every other can make one), write their
   * outbox entry; an older message never does. Call inside `transactie` to group it with the rest of a message.
   */
  registreer(r: Registratie, nu = new Date().toISOString()): Registratieresultaat {
    const identiteit = r.identiteitHash ?? identiteitSleutel(this.sleutelvorm, this.geheim, r.wet, r.object, r.eigenaar, r.identiteit);
    const tekst = r.inhoudTekst ?? inhoudTekst(r.inhoud);
    const hash = r.inhoudTekst !== undefined && r.inhoudHash ? r.inhoudHash : inhoudHash(tekst);
    const gevonden = this.records.zoek(r.object, r.eigenaar, identiteit);
    const nieuweSleutel = !gevonden;
    let plek: Plek | undefined;
    let sleutel: string;
    let id: number;
    if (gevonden) {
      ({ sleutel, id } = gevonden);
      // a replay fills the person index too (a record registered before it existed); an index made before the
      // first record holds every record from its creation on, so there is nothing to fill
      if (!this.personen.volledig) this.personen.noteer(r.eigenaar, r.identiteit, id, r.persoonHash);
      plek = this.tijdlijn.zoekPlek(id, r);
      if (plek.herhaling !== undefined) return { sleutel, versie: plek.herhaling, nieuweSleutel, nieuweVersie: false };
    } else {
      sleutel = randomUUID();
      id = this.records.nieuw(sleutel, r.object, r.eigenaar, identiteit, nu, r.wet);
      this.personen.noteer(r.eigenaar, r.identiteit, id, r.persoonHash);
    }
    const laatste = this.verstrekking.legVast(id, r);
    const t = plek ? this.tijdlijn.plaats(id, r, tekst, hash, nu, plek) : this.tijdlijn.begin(id, r, tekst, hash, nu);
    if (t.actueel) this.outbox.schrijf({ sleutel, object: r.object, eigenaar: r.eigenaar, versie: t.versie, soort: nieuweSleutel ? 'aangemaakt' : 'gewijzigd' }, nu);
    if (r.groep) {
      const groep = r.groepHash ?? this.groepHash(r.wet, r.object, r.eigenaar, r.groep);
      this.q.inGroep.run(groep, id);
      // a newer snapshot for the counterpart may lack it (it ends), or this message carries it past its end (lifted)
      if (this.tijdlijn.eindstand(id, groep, r.tegenpartij, laatste, nieuweSleutel)) this.kondigEindeAan({ id, sleutel }, r.object, r.eigenaar, r.tegenpartij, nu);
    }
    return { sleutel, versie: t.versie, nieuweSleutel, nieuweVersie: t.nieuweVersie };
  }

  /** An end announces the version the counterpart last received (one of its grounds window), else the current one. */
  private kondigEindeAan(record: Recordsleutel, object: string, eigenaar: string, tegenpartij: string, nu: string): void {
    const versie = this.tijdlijn.laatstVerstrekt(record.id, tegenpartij) ?? this.tijdlijn.actueel(record.id) ?? 1;
    this.outbox.schrijf({ sleutel: record.sleutel, object, eigenaar, versie, soort: 'beeindigd', alleenVoor: tegenpartij }, nu);
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
    const groep = b.groepHash ?? this.groepHash(b.wet, b.object, b.eigenaar, b.groep);
    if (!this.tijdlijn.momentopname(groep, b.tegenpartij, b)) return [];
    const geeindigd: string[] = [];
    for (const record of this.tijdlijn.kandidaten(groep, b.tegenpartij, b)) {
      if (b.aanwezig.includes(record.sleutel)) continue;
      if (!this.tijdlijn.eindstand(record.id, groep, b.tegenpartij)) continue;
      this.kondigEindeAan(record, b.object, b.eigenaar, b.tegenpartij, nu);
      geeindigd.push(record.sleutel);
    }
    return geeindigd;
  }

  /** The keyed hash of a snapshot group (per law); the objects of one message share it, so the last one is kept. */
  private groepHash(wet: Wet, object: string, eigenaar: string, groep: readonly string[]): string {
    const sleutel = JSON.stringify([wet, object, eigenaar, groep]);
    if (this.laatsteGroep?.sleutel !== sleutel) this.laatsteGroep = { sleutel, hash: groepSleutel(this.sleutelvorm, this.geheim, wet, object, eigenaar, groep) };
    return this.laatsteGroep.hash;
  }

  /**
   * A version of a record; without `nummer` the current one: that of the latest message (by Dagtekening, then
   * BerichtIdentificatie) that carried it, which need not be the highest number.
   */
  versie(sleutel: string, nummer?: number): Versie | undefined {
    return this.records.versie(sleutel, nummer);
  }

  /**
   * The version a message of `dagtekening` carried. Every message that carried the record is noted with the
   * version it carried (a re-send makes no version, but a note), so this is the version of the latest note on
   * or before that date; on a tie the note of that very message (`berichtIdentificatie`), else the latest of
   * that day by BerichtIdentificatie.
   */
  versieOp(sleutel: string, dagtekening: string, berichtIdentificatie = ''): Versie | undefined {
    return this.records.versieOp(sleutel, dagtekening, berichtIdentificatie);
  }

  /** The record's version numbers in the order of their origin (Dagtekening, then BerichtIdentificatie). */
  versienummers(sleutel: string): number[] {
    return this.records.nummers(sleutel);
  }

  /** Every counterpart the record was sent to, with the grounds the messages gave it. */
  verstrekkingen(sleutel: string): Verstrekking[] {
    return this.verstrekking.van(sleutel);
  }

  /** The counterparts for which the record has ended (a newer snapshot lacked it), with the message that ended it. */
  beeindigingen(sleutel: string): Array<{ tegenpartij: string; dagtekening: string; berichtIdentificatie: string }> {
    const id = this.records.id(sleutel);
    return id === undefined ? [] : this.tijdlijn.beeindigingen(id);
  }

  /**
   * The numbers of the versions a message of a Dagtekening from `van` through `tot` carried (`null`: no end):
   * the versions current at some moment of that range when a message of `van` carried the record (the grounds
   * window of toegang/grond.ts).
   */
  versiesVermeldTussen(sleutel: string, van: string, tot: string | null): number[] {
    const id = this.records.id(sleutel);
    return id === undefined ? [] : this.tijdlijn.vermeldTussen(id, van, tot);
  }

  /**
   * The connection itself, for a part of a higher layer that keeps its own table in this file and must write
   * it in the same transactions (the run journal: runs/journaal.ts).
   */
  get verbinding(): Database.Database {
    return this.db;
  }

  telling(): { records: number; versies: number; outbox: number } {
    // one read transaction: the counts of one moment
    return this.db.transaction(() => ({ ...this.records.telling(), outbox: this.outbox.telling() }))();
  }

  sluit(): void {
    this.db.close();
  }
}
