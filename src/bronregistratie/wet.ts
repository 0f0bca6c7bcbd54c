/**
 * The law a record falls under, for the audit log and inzage: `wmo` or `jeugdwet`. The law separation adds a
 * `wet` column to `record`; until a database has it, the law is not known here and is given as `null` (the
 * audit entry's field `wet` stays empty: marked, not guessed, since a 301 exists in both standards).
 */
import type Database from 'better-sqlite3';

const metKolom = new WeakMap<Database.Database, Database.Statement<[string], { wet: string | null }> | null>();

export function wetVan(db: Database.Database, sleutel: string | null): string | null {
  if (sleutel === null) return null;
  let q = metKolom.get(db);
  if (q === undefined) {
    const heeft = (db.pragma('table_info(record)') as Array<{ name: string }>).some((k) => k.name === 'wet');
    q = heeft ? db.prepare<[string], { wet: string | null }>('SELECT wet FROM record WHERE sleutel = ?') : null;
    metKolom.set(db, q);
  }
  const wet = q?.get(sleutel)?.wet ?? null;
  return wet === 'wmo' || wet === 'jeugdwet' ? wet : wet === null ? null : String(wet);
}
