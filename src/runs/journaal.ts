/**
 * The run journal: what a run (convert over an archive, folder mode) recorded for each input it finished, so a
 * run that is started again resumes where it stopped and reports what the first attempt recorded. It lives in
 * the bronregistratie's file, on the store's own connection, so an input's entry is written in the same
 * transaction as what the input registered.
 *
 * An entry whose output is written but not yet durable is also in `journaal_onbevestigd` (in the same
 * transaction): the run confirms a group of them once the file system has made their outputs durable together
 * (runs/duurzaam.ts). A resumed run writes the output of an unconfirmed entry again, whatever is on disk.
 */
import type Database from 'better-sqlite3';

/**
 * One tree, the row in the key (WITHOUT ROWID): the journal is the largest table of a converted archive, and a
 * rowid table kept it twice (the rows, and the index on (run, invoer)). A journal made before stays a rowid
 * table; the statements are the same for both.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS journaal (
  run TEXT NOT NULL,
  invoer TEXT NOT NULL,
  resultaat TEXT NOT NULL,
  PRIMARY KEY (run, invoer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journaal_onbevestigd (
  run TEXT NOT NULL,
  invoer TEXT NOT NULL,
  PRIMARY KEY (run, invoer)
) WITHOUT ROWID;
`;

export class Runjournaal {
  private readonly q;

  /** `db`: the bronregistratie's connection (`Bronregistratie.verbinding`), one that may write. */
  constructor(db: Database.Database) {
    db.exec(DDL);
    this.q = {
      journaal: db.prepare<[string, string], { resultaat: string }>('SELECT resultaat FROM journaal WHERE run = ? AND invoer = ?'),
      journaliseer: db.prepare('INSERT OR IGNORE INTO journaal VALUES (?, ?, ?)'),
      heeftJournaal: db.prepare<[string], { run: string }>('SELECT run FROM journaal WHERE run = ? LIMIT 1'),
      onbevestigd: db.prepare<[string, string], { run: string }>('SELECT run FROM journaal_onbevestigd WHERE run = ? AND invoer = ?'),
      markeer: db.prepare('INSERT OR IGNORE INTO journaal_onbevestigd VALUES (?, ?)'),
      bevestig: db.prepare('DELETE FROM journaal_onbevestigd WHERE run = ? AND invoer = ?'),
    };
    this.bevestigAlle = db.transaction((run: string, invoeren: readonly string[]) => {
      for (const invoer of invoeren) this.q.bevestig.run(run, invoer);
    });
  }

  private readonly bevestigAlle: (run: string, invoeren: readonly string[]) => void;

  /** What a run recorded for an input, if it finished that input. */
  journaal(run: string, invoer: string): unknown {
    const r = this.q.journaal.get(run, invoer);
    return r ? (JSON.parse(r.resultaat) as unknown) : undefined;
  }

  /** Records an input's result once; a later call for the same input keeps the first result (and returns false). */
  journaliseer(run: string, invoer: string, resultaat: unknown): boolean {
    return this.q.journaliseer.run(run, invoer, JSON.stringify(resultaat)).changes > 0;
  }

  /** Notes, inside the transaction of the entry, that its output is not durable yet. */
  markeerOnbevestigd(run: string, invoer: string): void {
    this.q.markeer.run(run, invoer);
  }

  /** Whether an input's output was written without being confirmed durable (its entry alone does not say it is there). */
  onbevestigd(run: string, invoer: string): boolean {
    return this.q.onbevestigd.get(run, invoer) !== undefined;
  }

  /** Confirms that the outputs of these inputs are durable, in one transaction. */
  bevestig(run: string, invoeren: readonly string[]): void {
    if (invoeren.length) this.bevestigAlle(run, invoeren);
  }

  /** Whether a run has recorded anything: a run that has not needs no look-ups in its journal. */
  heeftJournaal(run: string): boolean {
    return this.q.heeftJournaal.get(run) !== undefined;
  }
}
