/**
 * Backup and restore of the bronregistratie's SQLite file (`netwerkbrug backup`, `netwerkbrug herstel`).
 *
 * A backup is SQLite's online backup (better-sqlite3 `db.backup()`): a consistent copy while `serve` or another
 * command writes, taken in one step (one read snapshot, so writers never restart it). It is written to a
 * temporary name (mode 0600), checked, switched to a rollback journal (one self-contained file), synced and
 * then linked to its name, so an existing file is never overwritten and a crash leaves no half backup. The
 * identity secret is never copied into it: it must be kept apart (geheim.ts).
 *
 * A restore copies the backup to a temporary name beside the database (0600), checks it (`PRAGMA quick_check`,
 * a netwerkbrug schema, its verifier against the configured secret) and renames it into place; an existing
 * database is replaced only when asked, and only when no other connection has it open.
 */
import type Database from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';
import { geheimHerkomst, GEHEIM_OMGEVING, geheimBestand, heeftRecords, leesGeheim, opgeslagenVerificatie, pastBij, verificatieVan } from './geheim.js';
import { Bronregistratie } from './store.js';
import { heeftTabel, openDatabase } from './verbinding.js';

const SIDECARS = ['-wal', '-shm', '-journal'];
const ruimOp = (pad: string) => {
  for (const s of ['', ...SIDECARS]) rmSync(pad + s, { force: true });
};

function fsyncMap(pad: string): void {
  const fd = openSync(dirname(resolve(pad)), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncBestand(pad: string): void {
  const fd = openSync(pad, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Gives `tmp` the name `doel` unless `doel` exists (link, then unlink: never overwrites). */
function plaatsZonderOverschrijven(tmp: string, doel: string, bestaat: () => NetwerkbrugFout): void {
  try {
    linkSync(tmp, doel);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw bestaat();
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  fsyncMap(doel);
}

/** Checks an SQLite file's integrity; throws one sentence naming `bestand` when it is damaged or not SQLite. */
function controleerIntegriteit(db: Database.Database, bestand: string): void {
  let rijen: Array<{ quick_check: string }>;
  try {
    rijen = db.pragma('quick_check') as Array<{ quick_check: string }>;
  } catch {
    throw new NetwerkbrugFout('GEBRUIK', 'the file is not a readable SQLite database', { bestand });
  }
  if (rijen.length !== 1 || rijen[0]!.quick_check !== 'ok') {
    throw new NetwerkbrugFout('GEBRUIK', `the copy is damaged: SQLite's quick_check found ${rijen.length} problems`, { bestand });
  }
}

/** Makes the file a single self-contained file (rollback journal, no -wal beside it) and closes it. */
function maakZelfstandig(db: Database.Database): void {
  db.pragma('journal_mode = DELETE');
  db.close();
}

export interface Backupuitkomst {
  records: number;
  /** where the secret is (the file, or the environment variable); never in the backup */
  geheim: string;
}

/** Writes a consistent copy of the database at `databasePad` to `doel` (which must not exist). */
export async function maakBackup(databasePad: string, doel: string): Promise<Backupuitkomst> {
  const bestaat = () => new NetwerkbrugFout('GEBRUIK', 'the backup file already exists; a backup is never overwritten: choose another name', { bestand: doel });
  if (existsSync(doel)) throw bestaat();
  if (!existsSync(dirname(resolve(doel)))) throw new NetwerkbrugFout('GEBRUIK', 'the folder of the backup file does not exist', { bestand: doel });
  // verifies the secret (and gives a database made before verifiers its verifier, so the backup carries it)
  const bronregistratie = new Bronregistratie(databasePad, { moetBestaan: true });
  const records = bronregistratie.telling().records;
  bronregistratie.sluit();
  const tmp = `${doel}.${process.pid}.tmp`;
  closeSync(openSync(tmp, 'wx', 0o600));
  try {
    const bronDb = openDatabase(databasePad, 5000, { moetBestaan: true });
    try {
      // all pages in one step: one read snapshot, which a writer in WAL mode neither blocks nor restarts
      await bronDb.backup(tmp, { progress: () => 0x7fffffff });
    } finally {
      bronDb.close();
    }
    const kopie = new BetterSqlite3(tmp, { fileMustExist: true });
    try {
      controleerIntegriteit(kopie, doel);
    } catch (e) {
      kopie.close();
      throw e;
    }
    maakZelfstandig(kopie);
    fsyncBestand(tmp);
    plaatsZonderOverschrijven(tmp, doel, bestaat);
  } finally {
    ruimOp(tmp);
  }
  return { records, geheim: geheimHerkomst(databasePad) };
}

export interface Herstelopties {
  /** replace an existing database */
  overschrijven?: boolean;
}

export interface Herstaluitkomst {
  records: number;
  /** the copy had no verifier (made before verifiers): it could not be checked against the secret */
  ongecontroleerd: boolean;
}

/** Copies `van` to `naar` through a new file of mode 0600 (copyFile would give it the source's mode). */
function kopieer(van: string, naar: string): void {
  const invoer = openSync(van, 'r');
  const uitvoer = openSync(naar, 'wx', 0o600);
  try {
    const buffer = Buffer.alloc(1 << 20);
    for (let n: number; (n = readSync(invoer, buffer, 0, buffer.length, null)) > 0; ) writeSync(uitvoer, buffer, 0, n);
    fsyncSync(uitvoer);
  } finally {
    closeSync(invoer);
    closeSync(uitvoer);
  }
}

/** Restores the backup `kopie` as the database at `databasePad`, checked against that database's secret. */
export function herstel(kopie: string, databasePad: string, opties: Herstelopties = {}): Herstaluitkomst {
  if (!existsSync(kopie) || !statSync(kopie).isFile()) throw new NetwerkbrugFout('GEBRUIK', 'the backup file does not exist', { bestand: kopie });
  const bestond = existsSync(databasePad);
  if (bestond && !opties.overschrijven) {
    throw new NetwerkbrugFout('GEBRUIK', 'the database already exists; give --overschrijven to replace it (stop serve and other commands on it first)', { bestand: databasePad });
  }
  const geheim = leesGeheim(databasePad);
  if (!geheim) {
    throw new NetwerkbrugFout(
      'GEBRUIK',
      `there is no identity secret for this database: put the secret kept with the backup at ${geheimBestand(databasePad)} (or set ${GEHEIM_OMGEVING}) and run herstel again`,
      { bestand: databasePad },
    );
  }
  mkdirSync(dirname(resolve(databasePad)), { recursive: true });
  const tmp = `${databasePad}.${process.pid}.herstel.tmp`;
  ruimOp(tmp);
  let ongecontroleerd = false;
  try {
    kopieer(kopie, tmp);
    let db: Database.Database;
    try {
      db = new BetterSqlite3(tmp, { fileMustExist: true });
    } catch {
      throw new NetwerkbrugFout('GEBRUIK', 'the file is not a readable SQLite database', { bestand: kopie });
    }
    try {
      controleerIntegriteit(db, kopie);
      if (!heeftTabel(db, 'meta')) throw new NetwerkbrugFout('GEBRUIK', 'the file is not a netwerkbrug bronregistratie', { bestand: kopie });
      const verificatie = opgeslagenVerificatie(db);
      if (verificatie && !pastBij(geheim, verificatie)) {
        throw new NetwerkbrugFout(
          'GEBRUIK',
          `the backup was made with another identity secret than ${geheimHerkomst(databasePad)}: put the secret kept with this backup there and run herstel again`,
          { bestand: kopie },
        );
      }
      if (!verificatie) {
        // a copy made before verifiers: tied to this secret from now on, as on a first open
        ongecontroleerd = heeftRecords(db);
        db.prepare('INSERT OR IGNORE INTO meta (sleutel, waarde) VALUES (?, ?)').run('identiteitsgeheim_verificatie', verificatieVan(geheim));
      }
    } catch (e) {
      db.close();
      throw e;
    }
    maakZelfstandig(db);
    fsyncBestand(tmp);
    if (bestond) {
      // only with no other connection open: leaving WAL needs the database to itself, and removes its -wal and -shm
      const oud = openDatabase(databasePad, 1000, { moetBestaan: true });
      try {
        if (oud.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw new Error('in use');
      } catch {
        throw new NetwerkbrugFout('GEBRUIK', 'the database is in use (serve or another command): stop it, then run herstel again', { bestand: databasePad });
      } finally {
        oud.close();
      }
      renameSync(tmp, databasePad);
      fsyncMap(databasePad);
    } else {
      // a -wal left beside a database that is gone would be replayed into the restored one
      for (const s of SIDECARS) rmSync(databasePad + s, { force: true });
      plaatsZonderOverschrijven(tmp, databasePad, () => new NetwerkbrugFout('GEBRUIK', 'the database appeared while restoring; run herstel again', { bestand: databasePad }));
    }
  } finally {
    ruimOp(tmp);
  }
  // opened as every command opens it: verified against the secret
  const bronregistratie = new Bronregistratie(databasePad, { moetBestaan: true });
  const records = bronregistratie.telling().records;
  bronregistratie.sluit();
  return { records, ongecontroleerd };
}
