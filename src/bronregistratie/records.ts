/**
 * Records and their versions: a record's Sleutel by its keyed natural identity, new records, and reading a
 * version (a given number, the current one, the one a message of a date carried). Placing a message in a
 * record's history is tijdlijn.ts's; the tables are schema.ts's.
 */
import type Database from 'better-sqlite3';
import type { Wet } from '../bericht/catalogus.js';
import { actueelSql } from './tijdlijn.js';

export interface Versie {
  sleutel: string;
  object: string;
  eigenaar: string;
  /** the law the record belongs to; `null`: a record of schema v3 whose law could not be derived (owner only) */
  wet: Wet | null;
  nummer: number;
  inhoud: unknown;
  geregistreerd: string;
  dagtekening: string;
  berichtIdentificatie: string;
}

interface VersieRij {
  sleutel: string;
  object: string;
  eigenaar: string;
  wet: Wet | null;
  nummer: number;
  inhoud: string;
  geregistreerd: string;
  dagtekening: string;
  bericht_identificatie: string;
}

/** The columns of a version with its record's Sleutel, owner, object and law (`v`: versie, `r`: record). */
const VERSIE_KOLOMMEN = 'r.sleutel, v.nummer, v.inhoud, v.geregistreerd, v.dagtekening, v.bericht_identificatie, r.object, r.eigenaar, r.wet';

/** A registered record's two keys: `id` for its history tables, the Sleutel for the outside. */
export interface Recordsleutel {
  id: number;
  sleutel: string;
}

export class Records {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      zoek: db.prepare<[string, string, string], Recordsleutel>('SELECT id, sleutel FROM record WHERE object = ? AND eigenaar = ? AND identiteit = ?'),
      id: db.prepare<[string], { id: number }>('SELECT id FROM record WHERE sleutel = ?'),
      nieuw: db.prepare('INSERT INTO record (sleutel, object, eigenaar, identiteit, aangemaakt, wet) VALUES (?, ?, ?, ?, ?, ?)'),
      record: db.prepare<[string], { eigenaar: string; object: string; wet: Wet | null }>('SELECT eigenaar, object, wet FROM record WHERE sleutel = ?'),
      alias: db.prepare<[string, string], { doel: string }>('SELECT doel FROM sleutel_alias WHERE sleutel = ? AND tegenpartij = ?'),
      versie: db.prepare<[string, number], VersieRij>(
        `SELECT ${VERSIE_KOLOMMEN} FROM record r JOIN versie v ON v.record = r.id WHERE r.sleutel = ? AND v.nummer = ?`,
      ),
      // the current version: that of the latest message that carried the record (see tijdlijn.ts)
      actueel: db.prepare<[string], VersieRij>(
        `SELECT ${VERSIE_KOLOMMEN} FROM record r JOIN versie v ON v.record = r.id WHERE r.sleutel = ? AND v.nummer = ${actueelSql('r.id')}`,
      ),
      versieOp: db.prepare<[string, string, string], VersieRij>(
        `SELECT ${VERSIE_KOLOMMEN} FROM record r JOIN vermelding m ON m.record = r.id JOIN versie v ON v.record = m.record AND v.nummer = m.nummer
         WHERE r.sleutel = ? AND m.dagtekening <= ?
         ORDER BY m.dagtekening DESC, m.bericht_identificatie = ? DESC, m.bericht_identificatie DESC LIMIT 1`,
      ),
      nummers: db.prepare<[string], { nummer: number }>(
        'SELECT nummer FROM versie WHERE record = (SELECT id FROM record WHERE sleutel = ?) ORDER BY dagtekening, bericht_identificatie, nummer',
      ),
      telling: db.prepare<[], { records: number; versies: number }>('SELECT (SELECT count(*) FROM record) records, (SELECT count(*) FROM versie) versies'),
    };
  }

  /** The record of a keyed identity (identiteit.ts), if registered. */
  zoek(object: string, eigenaar: string, identiteit: string): Recordsleutel | undefined {
    return this.q.zoek.get(object, eigenaar, identiteit);
  }

  /** The `id` of the record a Sleutel names, if any. */
  id(sleutel: string): number | undefined {
    return this.q.id.get(sleutel)?.id;
  }

  /** A new record; returns its `id`. */
  nieuw(sleutel: string, object: string, eigenaar: string, identiteit: string, nu: string, wet: Wet): number {
    return Number(this.q.nieuw.run(sleutel, object, eigenaar, identiteit, nu, wet).lastInsertRowid);
  }

  /** A record's owner, object and law, if the Sleutel names a record. */
  record(sleutel: string): { eigenaar: string; object: string; wet: Wet | null } | undefined {
    return this.q.record.get(sleutel);
  }

  /** The record a Sleutel handed out before the law separation names for a counterpart under the other law. */
  alias(sleutel: string, tegenpartij: string): string | undefined {
    return this.q.alias.get(sleutel, tegenpartij)?.doel;
  }

  /** A version by number; without `nummer` the current one (tijdlijn.ts). */
  versie(sleutel: string, nummer?: number): Versie | undefined {
    return naarVersie(nummer === undefined ? this.q.actueel.get(sleutel) : this.q.versie.get(sleutel, nummer));
  }

  /** The version of the latest note on or before `dagtekening`; on a tie that of `berichtIdentificatie`. */
  versieOp(sleutel: string, dagtekening: string, berichtIdentificatie: string): Versie | undefined {
    return naarVersie(this.q.versieOp.get(sleutel, dagtekening, berichtIdentificatie));
  }

  /** The version numbers in the order of their origin (Dagtekening, then BerichtIdentificatie). */
  nummers(sleutel: string): number[] {
    return this.q.nummers.all(sleutel).map((r) => r.nummer);
  }

  telling(): { records: number; versies: number } {
    return this.q.telling.get()!;
  }
}

function naarVersie(rij: VersieRij | undefined): Versie | undefined {
  return (
    rij && {
      sleutel: rij.sleutel,
      object: rij.object,
      eigenaar: rij.eigenaar,
      wet: rij.wet,
      nummer: rij.nummer,
      inhoud: JSON.parse(rij.inhoud) as unknown,
      geregistreerd: rij.geregistreerd,
      dagtekening: rij.dagtekening,
      berichtIdentificatie: rij.bericht_identificatie,
    }
  );
}
