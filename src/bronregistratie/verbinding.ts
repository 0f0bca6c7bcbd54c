/**
 * Opening the bronregistratie's SQLite file: one way for every part that keeps its own connection (the
 * store, the audit log, the delivery state). WAL, so readers never wait for the writer; `synchronous =
 * NORMAL`, durable at each checkpoint and safe against a killed process; a busy timeout so parts of one
 * installation take turns at the write lock instead of failing; a 4 MB page cache per connection instead of
 * better-sqlite3's 16 MB (the operating system caches the file anyway: a 100,000-message `convert` ran as fast,
 * with a 20 MB lower peak). A new database file is created with mode 0600 before SQLite opens it (it holds personal
 * data); SQLite gives its -wal and -shm files the database file's mode.
 */
import Database from 'better-sqlite3';
import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';

export function openDatabase(pad: string, busyTimeoutMs = 5000): Database.Database {
  let db: Database.Database;
  try {
    mkdirSync(dirname(resolve(pad)), { recursive: true });
    if (pad !== ':memory:' && pad !== '') maakPrive(pad);
    db = new Database(pad);
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `bronregistratie database cannot be opened: ${(e as Error).message}`, { bestand: pad });
  }
  try {
    // the first statements read the file: a file that is not an SQLite database fails here
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -4000');
  } catch (e) {
    db.close();
    throw new NetwerkbrugFout('GEBRUIK', `bronregistratie database cannot be opened: ${(e as Error).message}`, { bestand: pad });
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
