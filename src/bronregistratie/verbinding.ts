/**
 * Opening the bronregistratie's SQLite file: one way for every part that keeps its own connection (the store,
 * the audit log, the delivery state). WAL, so readers never wait for the writer; `synchronous = NORMAL`, durable
 * at each checkpoint and safe against a killed process; a busy timeout so parts of one installation take turns
 * at the write lock instead of failing; a 4 MB page cache per connection (`PAGINACACHE_KIB`) instead of
 * better-sqlite3's 16 MB (the operating system caches the file anyway: a 100,000-message `convert` ran as fast,
 * with a 20 MB lower peak; a `convert` run raises its own while it registers, runs/convert.ts). Temporary
 * storage in memory (`temp_store = MEMORY`): a savepoint's sub-journal (the pages it changed, to undo them) then
 * stays in memory instead of spilling to a temporary file past 64 KB, a write system call per page; a `convert`
 * batch of 200 messages, one savepoint each, spent a fifth of its main thread there (docs/speed.md). A new
 * database file is created with mode 0600 before SQLite opens it (it holds personal data); SQLite gives its -wal
 * and -shm files the database file's mode. A command that only reads opens the file read-only and never creates
 * it (`alleenLezen`); `moetBestaan` refuses a missing file for a command that writes but must not start a new one.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';

/** The page cache every connection opens with, in KiB (SQLite's `cache_size`, negative for KiB). */
export const PAGINACACHE_KIB = 4000;

export interface Openopties {
  /** read-only; the file must exist */
  alleenLezen?: boolean;
  /** the file must exist (a writing command that must not start a new database) */
  moetBestaan?: boolean;
}

/** The sentence for a database that is not there, for every command that needs an existing one. */
export const databaseOntbreekt = (pad: string) =>
  new NetwerkbrugFout('GEBRUIK', 'bronregistratie database does not exist: check --db or bronregistratie.database in the configuration', { bestand: pad });

const onleesbaar = (pad: string, e: unknown) =>
  new NetwerkbrugFout('GEBRUIK', `bronregistratie database cannot be opened: ${(e as Error).message}`, { bestand: pad });

/** Whether SQLite keeps this database in memory (no file: nothing to create, protect or checkpoint). */
export const inGeheugen = (pad: string): boolean => pad === ':memory:' || pad === '';

export function openDatabase(pad: string, busyTimeoutMs = 5000, opties: Openopties = {}): Database.Database {
  const bestaand = opties.alleenLezen || opties.moetBestaan;
  const geheugen = inGeheugen(pad);
  if (bestaand && !geheugen && !existsSync(pad)) throw databaseOntbreekt(pad);
  let db: Database.Database | undefined;
  try {
    if (!bestaand) mkdirSync(dirname(resolve(pad)), { recursive: true });
    if (!bestaand && !geheugen) maakPrive(pad);
    db = new Database(pad, { readonly: opties.alleenLezen === true, fileMustExist: bestaand === true });
  } catch (e) {
    db?.close();
    throw onleesbaar(pad, e);
  }
  try {
    // the first statements read the file: a file that is not an SQLite database fails here
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!opties.alleenLezen) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${PAGINACACHE_KIB}`);
    db.pragma('temp_store = MEMORY');
  } catch (e) {
    db.close();
    throw onleesbaar(pad, e);
  }
  return db;
}

/** Creates an empty file with mode 0600 whatever the umask; an existing file is left as it is. */
export function maakPrive(pad: string): void {
  let fd: number;
  try {
    fd = openSync(pad, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw e;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** Whether the file has a table of this name (a read-only connection makes none). */
export function heeftTabel(db: Database.Database, naam: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(naam) !== undefined;
}

/** A setting in `meta` (schema version, layout of the hashes, the secret's verifier, ...), if the file has that table and the setting. */
export function leesMeta(db: Database.Database, sleutel: string): string | undefined {
  if (!heeftTabel(db, 'meta')) return undefined;
  return (db.prepare('SELECT waarde FROM meta WHERE sleutel = ?').get(sleutel) as { waarde: string } | undefined)?.waarde;
}
