/**
 * The run journal: what a run (convert over an archive, folder mode) recorded for each input it finished, so a
 * run that is started again resumes where it stopped and reports what the first attempt recorded. It lives in
 * the bronregistratie's file, on the store's own connection, so an input's entry is written in the same
 * transaction as what the input registered.
 *
 * The entries of a batch whose outputs are written but not yet durable are named in one row of
 * `journaal_onbevestigd_groep` (in the batch's transaction): the run confirms the groups once the file system
 * has made their outputs durable together (runs/duurzaam.ts). A resumed run writes the output of an unconfirmed
 * entry again, whatever is on disk. (`journaal_onbevestigd`, one row per entry, is what runs of before held;
 * it is still read, and emptied when a run ends.)
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
CREATE TABLE IF NOT EXISTS journaal_onbevestigd_groep (
  run TEXT NOT NULL,
  groep INTEGER NOT NULL,
  invoeren TEXT NOT NULL,
  PRIMARY KEY (run, groep)
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
      oudOnbevestigd: db.prepare<[string], { invoer: string }>('SELECT invoer FROM journaal_onbevestigd WHERE run = ?'),
      groepen: db.prepare<[string], { invoeren: string }>('SELECT invoeren FROM journaal_onbevestigd_groep WHERE run = ?'),
      laatsteGroep: db.prepare<[string], { groep: number | null }>('SELECT max(groep) groep FROM journaal_onbevestigd_groep WHERE run = ?'),
      markeer: db.prepare('INSERT OR REPLACE INTO journaal_onbevestigd_groep VALUES (?, ?, ?)'),
      bevestig: db.prepare('DELETE FROM journaal_onbevestigd_groep WHERE run = ? AND groep > ? AND groep <= ?'),
      bevestigGroepen: db.prepare('DELETE FROM journaal_onbevestigd_groep WHERE run = ?'),
      bevestigOud: db.prepare('DELETE FROM journaal_onbevestigd WHERE run = ?'),
    };
    this.bevestigRun = db.transaction((run: string) => {
      this.q.bevestigGroepen.run(run);
      this.q.bevestigOud.run(run);
    });
  }

  private readonly bevestigRun: (run: string) => void;

  /** What a run recorded for an input, if it finished that input. */
  journaal(run: string, invoer: string): unknown {
    const r = this.q.journaal.get(run, invoer);
    return r ? (JSON.parse(r.resultaat) as unknown) : undefined;
  }

  /** Records an input's result once; a later call for the same input keeps the first result (and returns false). */
  journaliseer(run: string, invoer: string, resultaat: unknown): boolean {
    return this.q.journaliseer.run(run, invoer, JSON.stringify(resultaat)).changes > 0;
  }

  /** Notes, inside the transaction of a batch, that the outputs of these inputs are not durable yet (group `groep`). */
  markeerOnbevestigd(run: string, groep: number, invoeren: readonly string[]): void {
    if (invoeren.length) this.q.markeer.run(run, groep, JSON.stringify(invoeren));
  }

  /**
   * The inputs whose outputs were written without being confirmed durable (their entries alone do not say the
   * outputs are there): read once when a run starts, so a resumed run writes them again.
   */
  onbevestigd(run: string): Set<string> {
    const uit = new Set(this.q.oudOnbevestigd.all(run).map((r) => r.invoer));
    for (const g of this.q.groepen.all(run)) for (const invoer of JSON.parse(g.invoeren) as string[]) uit.add(invoer);
    return uit;
  }

  /** The highest group number the run has used (0: none): an attempt numbers its groups after it. */
  laatsteGroep(run: string): number {
    return this.q.laatsteGroep.get(run)?.groep ?? 0;
  }

  /**
   * Confirms the groups `van` < groep ≤ `tot` (those of this attempt, whose outputs are durable). The groups of an
   * earlier attempt stay until the run ends: their inputs are written again later in this attempt.
   */
  bevestig(run: string, van: number, tot: number): void {
    if (tot > van) this.q.bevestig.run(run, van, tot);
  }

  /** At the end of a run, every output durable: no group of it, of any attempt, is left. */
  bevestigAlles(run: string): void {
    this.bevestigRun(run);
  }

  /** Whether a run has recorded anything: a run that has not needs no look-ups in its journal. */
  heeftJournaal(run: string): boolean {
    return this.q.heeftJournaal.get(run) !== undefined;
  }
}
