/**
 * Verstrekking: what each counterpart received of a record, the basis of its grounds (doelbinding,
 * toegang/grond.ts). The latest message (by Dagtekening, then BerichtIdentificatie) decides the end of the
 * counterpart's toewijzing. The table is schema.ts's.
 */
import type Database from 'better-sqlite3';

/** What a counterpart received of a record: the basis of its grounds (doelbinding). */
export interface Verstrekking {
  tegenpartij: string;
  eersteDagtekening: string;
  laatsteDagtekening: string;
  toewijzingEinde: string | null;
}

export class Verstrekkingen {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      // the latest message (Dagtekening, then BerichtIdentificatie) decides the toewijzing's end
      leg: db.prepare<[number, string, string, string, string | null, string], { dagtekening: string; berichtIdentificatie: string }>(
        `INSERT INTO verstrekking (record, tegenpartij, eerste_dagtekening, laatste_dagtekening, toewijzing_einde, laatste_bericht_identificatie)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (record, tegenpartij) DO UPDATE SET
           eerste_dagtekening = min(eerste_dagtekening, excluded.eerste_dagtekening),
           toewijzing_einde = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
             THEN excluded.toewijzing_einde ELSE toewijzing_einde END,
           laatste_bericht_identificatie = CASE WHEN (excluded.laatste_dagtekening, excluded.laatste_bericht_identificatie) > (laatste_dagtekening, laatste_bericht_identificatie)
             THEN excluded.laatste_bericht_identificatie ELSE laatste_bericht_identificatie END,
           laatste_dagtekening = max(laatste_dagtekening, excluded.laatste_dagtekening)
         RETURNING laatste_dagtekening dagtekening, laatste_bericht_identificatie berichtIdentificatie`,
      ),
      van: db.prepare<{ 1: string }, { tegenpartij: string; eerste_dagtekening: string; laatste_dagtekening: string; toewijzing_einde: string | null }>(
        // a record of unknown law (a v3 record the law separation could not place) gives nobody grounds
        `SELECT vs.tegenpartij, vs.eerste_dagtekening, vs.laatste_dagtekening, vs.toewijzing_einde FROM record r JOIN verstrekking vs ON vs.record = r.id
          WHERE r.sleutel = ?1 AND r.wet IS NOT NULL ORDER BY vs.tegenpartij`,
      ),
    };
  }

  /**
   * Notes that a message of `dagtekening` carried the record to `tegenpartij`, with the end it gave. Returns the
   * place of the latest message that carried it to them (this one or a newer one), from the same statement.
   */
  legVast(
    record: number,
    r: { tegenpartij: string; dagtekening: string; berichtIdentificatie: string; toewijzingEinde: string | null },
  ): { dagtekening: string; berichtIdentificatie: string } {
    return this.q.leg.get(record, r.tegenpartij, r.dagtekening, r.dagtekening, r.toewijzingEinde, r.berichtIdentificatie)!;
  }

  /** Every counterpart the record was sent to, with the grounds the messages gave it. */
  van(sleutel: string): Verstrekking[] {
    return this.q.van.all({ 1: sleutel }).map((r) => ({
      tegenpartij: r.tegenpartij,
      eersteDagtekening: r.eerste_dagtekening,
      laatsteDagtekening: r.laatste_dagtekening,
      toewijzingEinde: r.toewijzing_einde,
    }));
  }
}
