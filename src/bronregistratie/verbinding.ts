/**
 * Opening the bronregistratie's SQLite file: one way for every part that keeps its own connection (the
 * store, the audit log, the delivery state). WAL, so readers never wait for the writer; `synchronous =
 * NORMAL`, durable at each checkpoint and safe against a killed process; a busy timeout so parts of one
 * installation take turns at the write lock instead of failing; a 4 MB page cache per connection instead of
 * better-sqlite3's 16 MB (the operating system caches the file anyway: a 100,000-message `convert` ran as fast,
 * with a 20 MB lower peak). A command that only reads opens the file read-only and never creates it
 * (`alleenLezen`); `moetBestaan` refuses a missing file for a command that writes but must not start a new one.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';

export interface Openopties {
  /** read-only; the file must exist */
  alleenLezen?: boolean;
  /** the file must exist (a writing command that must not start a new database) */
  moetBestaan?: boolean;
}

/** The sentence for a database that is not there, for every command that needs an existing one. */
export const databaseOntbreekt = (pad: string) =>
  new NetwerkbrugFout('GEBRUIK', 'bronregistratie database does not exist: check --db or bronregistratie.database in the configuration', { bestand: pad });

export function openDatabase(pad: string, busyTimeoutMs = 5000, opties: Openopties = {}): Database.Database {
  const bestaand = opties.alleenLezen || opties.moetBestaan;
  if (bestaand && pad !== ':memory:' && !existsSync(pad)) throw databaseOntbreekt(pad);
  const nieuw = !bestaand && pad !== ':memory:' && !existsSync(pad);
  let db: Database.Database | undefined;
  try {
    if (!bestaand) mkdirSync(dirname(resolve(pad)), { recursive: true });
    db = new Database(pad, { readonly: opties.alleenLezen === true, fileMustExist: bestaand === true });
    // personal data: owner only (SQLite gives its -wal and -shm files the database file's mode)
    if (nieuw) chmodSync(pad, 0o600);
    // a file that is not SQLite fails at its first read: here, with the sentence below
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    db?.close();
    throw new NetwerkbrugFout('GEBRUIK', `bronregistratie database cannot be opened: ${(e as Error).message}`, { bestand: pad });
  }
  if (!opties.alleenLezen) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma('cache_size = -4000');
  return db;
}
