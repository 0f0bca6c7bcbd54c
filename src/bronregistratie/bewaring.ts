/**
 * Retention (`netwerkbrug opschonen`): what the bronregistratie removes once no one may read it any more.
 *
 * The bronregistratie is an exchange register, not the case dossier: the dossier and its legal retention stay
 * in the source system. The register needs a record only while a counterpart may still read it (its grounds:
 * the toewijzing's end plus `toegang.nalooptijdMaanden`) and for questions about what was exchanged
 * (corrections, bezwaar). So a record is kept for a period after its **end** (`recordEinde`), per
 * informatieobject `informatieobjecten.<naam>.bewaartermijnMaanden` (default: the grounds tail plus 12
 * months, 36 with the default tail), never shorter than the grounds tail; a record with an open counterpart
 * has no end and is kept. Everything that hangs from a record goes with it: versions, notes, verstrekkingen,
 * group memberships, ends, outbox entries with their recipients and deliveries, and the snapshot messages of
 * a group that has no member left. Finished deliveries of
 * notifications go after `notificaties.bewaartermijnDagen` (default 30), audit entries after
 * `audit.bewaartermijnMaanden` (default 60, never shorter than the longest object retention) as a prefix of
 * the chain, leaving an anchor (auditketen.ts) so `audit verifieer` stays meaningful.
 *
 * A dry run reads a snapshot and writes nothing, not even a -wal or -shm file (`leesbeeld`); the clean-up is
 * one transaction with `secure_delete`, followed by a WAL checkpoint (TRUNCATE), so removed personal data
 * lingers neither in free pages nor in the WAL. Only counts leave this module, never a Sleutel or content.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import type { Config } from '../config/typen.js';
import { NetwerkbrugFout } from '../fout.js';
import { INFORMATIEOBJECTEN } from '../informatieobject/catalogus.js';
import { plusMaanden } from '../toegang/grond.js';
import { richtAnkerIn } from './audit.js';
import { ankerMac, ketenKey } from './auditketen.js';
import { geverifieerdGeheim } from './geheim.js';
import { controleerLeesbaar, richtSchemaIn } from './schema.js';
import { databaseOntbreekt, heeftTabel, openDatabase } from './verbinding.js';

/**
 * Months a record is kept by default after its grounds tail (`toegang.nalooptijdMaanden`), so by default after
 * its end: the tail, during which a counterpart may still read it, and a year more for questions about what
 * was exchanged (a correction, a bezwaar, a request for access under the AVG) that arrive after the grounds
 * ended. With the default tail of 24 months: 36 (`STANDAARD_BEWAARTERMIJN_MAANDEN`).
 */
export const NA_GRONDEN_MAANDEN = 12;
export const STANDAARD_BEWAARTERMIJN_MAANDEN = 24 + NA_GRONDEN_MAANDEN;
/**
 * Default days a finished delivery (geleverd, vervallen, dood) is kept: the retry schedule ends within about a
 * day, so a month leaves time to notice a dead delivery and send it again (`notificaties opnieuw`), after
 * which its row says nothing the outbox does not.
 */
export const STANDAARD_NOTIFICATIE_BEWAARTERMIJN_DAGEN = 30;
/**
 * Default months an audit entry is kept: five years, the limitation period of a claim for damages (art. 3:310
 * BW) such as one for an unlawful disclosure (AVG art. 82), for which the log is the evidence of who read what.
 */
export const STANDAARD_AUDIT_BEWAARTERMIJN_MAANDEN = 60;

/** The effective retention periods (defaults filled in, floors applied). */
export interface Bewaartermijnen {
  /** months after the record's end, per informatieobject */
  objecten: Record<string, number>;
  /** for a record of an object the catalogue no longer knows */
  overigMaanden: number;
  notificatieDagen: number;
  auditMaanden: number;
}

/**
 * The periods of a configuration. An object's period is never shorter than the grounds tail, so a record never
 * disappears while a counterpart may still read it. The audit period is never shorter than the longest object
 * period: then every read of a record after its end stays in the log for as long as the record itself.
 */
export function bewaartermijnen(config: Config): Bewaartermijnen {
  const staart = config.toegang.nalooptijdMaanden;
  const standaard = staart + NA_GRONDEN_MAANDEN;
  const objecten = Object.fromEntries(
    INFORMATIEOBJECTEN.map((o) => [o.naam, Math.max(config.informatieobjecten[o.naam]?.bewaartermijnMaanden ?? standaard, staart)]),
  );
  const overigMaanden = Math.max(standaard, ...Object.values(objecten));
  return {
    objecten,
    overigMaanden,
    notificatieDagen: config.notificaties?.bewaartermijnDagen ?? STANDAARD_NOTIFICATIE_BEWAARTERMIJN_DAGEN,
    auditMaanden: Math.max(config.audit?.bewaartermijnMaanden ?? STANDAARD_AUDIT_BEWAARTERMIJN_MAANDEN, overigMaanden),
  };
}

/** What a counterpart received of a record, as far as its end is concerned. */
export interface Eindgegevens {
  tegenpartij: string;
  /** the toewijzing end its latest message gave; `null`: open */
  toewijzingEinde: string | null;
  /** the day the object ended for it (a newer snapshot lacked it), if it did */
  beeindigd: string | null;
}

/**
 * The end of a record: per counterpart the end of its grounds is the earliest of the toewijzing end its latest
 * message gave and the day the object ended for it; the record's end is the latest of these. `null` when any
 * counterpart is open (or there is none): the record has no end and is kept. To be replaced by the grounds
 * window of toegang/ when that computes the same per counterpart.
 */
export function recordEinde(tegenpartijen: readonly Eindgegevens[]): string | null {
  let einde: string | null = null;
  for (const t of tegenpartijen) {
    const eigen = t.toewijzingEinde === null ? t.beeindigd : t.beeindigd === null ? t.toewijzingEinde : t.toewijzingEinde < t.beeindigd ? t.toewijzingEinde : t.beeindigd;
    if (eigen === null) return null;
    if (einde === null || eigen > einde) einde = eigen;
  }
  return einde;
}

/**
 * The tables whose rows hang from a record by its Sleutel, in the order they are emptied (the record last).
 * Every table with a `sleutel` column must be here or in `NIET_PER_SLEUTEL` (a test enforces it).
 */
export const SLEUTELTABELLEN = ['betrokkene', 'sleutel_alias', 'wetloze_verstrekking', 'versie', 'vermelding', 'verstrekking', 'momentopname', 'beeindiging', 'outbox', 'record'] as const;

/** Of those, the tables that name the record by its integer `id` (its `record` column, schema v5), not its Sleutel. */
const PER_RECORD_ID: ReadonlySet<string> = new Set(['betrokkene', 'versie', 'vermelding', 'verstrekking', 'momentopname', 'beeindiging']);

/** The condition on a table's rows of the records `weg` (a query of temp.weg's rows) selects. */
const vanRecords = (tabel: string, weg: string) =>
  PER_RECORD_ID.has(tabel) ? `record IN (SELECT id FROM temp.weg ${weg})` : `sleutel IN (SELECT sleutel FROM temp.weg ${weg})`;

/** Tables with a `sleutel` column that are not removed with a record, and why. */
export const NIET_PER_SLEUTEL: Readonly<Record<string, string>> = {
  meta: 'its sleutel is the name of a setting, not a Sleutel',
  audit: 'removed by age as a prefix of the hash chain (audit.bewaartermijnMaanden); an entry names a Sleutel but no personal data',
};

/** Rows that go, per table. */
export type Telling = Record<string, number>;

export interface Opschoonuitslag {
  peildatum: string;
  uitgevoerd: boolean;
  termijnen: Bewaartermijnen;
  /** per informatieobject: the rows of its records that go, per table */
  perObject: Record<string, Telling>;
  /** per table, everything that goes (records, finished deliveries, audit entries, snapshot messages) */
  perTabel: Telling;
  /** the audit entries up to this sequence number go (0: none) */
  auditTot: number;
  /** after `uitvoeren`: whether the WAL was emptied (false while another process was reading) */
  walGeleegd?: boolean;
}

/** `datum` minus whole days, as the start of that day (UTC) in ISO form. */
const minDagen = (datum: string, dagen: number) => new Date(Date.parse(`${datum}T00:00:00Z`) - dagen * 86_400_000).toISOString();

/**
 * Opens the database as it is now for reading, without creating or changing any file: SQLite opens a WAL
 * database read-only only by making its -wal and -shm files, so when there is no -wal file (no process has it
 * open; the file is the whole database) it is read into memory instead; when there is one, the files exist
 * already and a read-only connection adds none.
 */
function leesbeeld(pad: string): Database.Database {
  if (!existsSync(pad)) throw databaseOntbreekt(pad);
  let db: Database.Database;
  try {
    if (existsSync(`${pad}-wal`)) {
      db = new Database(pad, { readonly: true, fileMustExist: true });
    } else {
      const beeld = readFileSync(pad);
      // a WAL database's header says so (bytes 18 and 19 are 2); in memory it has no WAL
      if (beeld.length >= 20 && beeld[18] === 2 && beeld[19] === 2) beeld[18] = beeld[19] = 1;
      db = new Database(beeld, { readonly: true });
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (e) {
    throw new NetwerkbrugFout('GEBRUIK', `bronregistratie database cannot be opened: ${(e as Error).message}`, { bestand: pad });
  }
  return db;
}

/**
 * Computes what retention removes on `peildatum` (YYYY-MM-DD), and with `uitvoeren` removes it: one
 * transaction, no orphan rows, `secure_delete`, then a WAL checkpoint (TRUNCATE). Without `uitvoeren` nothing
 * is created or changed. Audit entries need the identity secret (the anchor's HMAC) only when some go.
 */
export function schoonOp(pad: string, termijnen: Bewaartermijnen, peildatum: string, uitvoeren: boolean): Opschoonuitslag {
  const db = uitvoeren ? openDatabase(pad, 5000, { moetBestaan: true }) : leesbeeld(pad);
  try {
    db.pragma('temp_store = MEMORY');
    if (uitvoeren) {
      richtSchemaIn(db);
      db.pragma('secure_delete = ON');
    } else {
      controleerLeesbaar(db, pad);
    }
    const werk = () => bepaal(db, pad, termijnen, peildatum, uitvoeren);
    const uitslag = uitvoeren ? db.transaction(werk).immediate() : db.transaction(werk)();
    if (uitvoeren) {
      const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      uitslag.walGeleegd = cp?.busy === 0;
    }
    return uitslag;
  } finally {
    db.close();
  }
}

function bepaal(db: Database.Database, pad: string, termijnen: Bewaartermijnen, peildatum: string, uitvoeren: boolean): Opschoonuitslag {
  // the records past their retention, with their object
  db.exec('DROP TABLE IF EXISTS temp.weg; CREATE TEMP TABLE weg (sleutel TEXT PRIMARY KEY, id INTEGER NOT NULL UNIQUE, object TEXT NOT NULL)');
  const zet = db.prepare('INSERT INTO temp.weg VALUES (?, ?, ?)');
  type Rij = { id: number; sleutel: string; object: string; tegenpartij: string | null; toewijzing_einde: string | null; beeindigd: string | null };
  const rijen = db
    .prepare<[], Rij>(
      `SELECT r.id, r.sleutel, r.object, vs.tegenpartij, vs.toewijzing_einde, b.dagtekening beeindigd
         FROM record r LEFT JOIN verstrekking vs ON vs.record = r.id LEFT JOIN beeindiging b ON b.record = vs.record AND b.tegenpartij = vs.tegenpartij
        ORDER BY r.sleutel`,
    )
    .all();
  let huidig = null as { id: number; sleutel: string; object: string; tegenpartijen: Eindgegevens[] } | null;
  const beslis = () => {
    if (!huidig) return;
    const einde = recordEinde(huidig.tegenpartijen);
    const maanden = termijnen.objecten[huidig.object] ?? termijnen.overigMaanden;
    if (einde !== null && peildatum > plusMaanden(einde, maanden)) zet.run(huidig.sleutel, huidig.id, huidig.object);
  };
  for (const r of rijen) {
    if (huidig?.sleutel !== r.sleutel) {
      beslis();
      huidig = { id: r.id, sleutel: r.sleutel, object: r.object, tegenpartijen: [] };
    }
    if (r.tegenpartij !== null) huidig.tegenpartijen.push({ tegenpartij: r.tegenpartij, toewijzingEinde: r.toewijzing_einde, beeindigd: r.beeindigd });
  }
  beslis();

  const bezorging = heeftTabel(db, 'bezorging');
  const perObject: Record<string, Telling> = {};
  const perTabel: Telling = {};
  const tel = (sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
  const WEG = 'SELECT sleutel FROM temp.weg';
  const WEG_OUTBOX = `SELECT id FROM outbox WHERE sleutel IN (${WEG})`;
  for (const { object } of db.prepare<[], { object: string }>('SELECT DISTINCT object FROM temp.weg ORDER BY object').all()) {
    const van = 'SELECT sleutel FROM temp.weg WHERE object = ?';
    const t: Telling = {};
    for (const tabel of SLEUTELTABELLEN) t[tabel] = tel(`SELECT count(*) n FROM ${tabel} WHERE ${vanRecords(tabel, 'WHERE object = ?')}`, object);
    t.outbox_ontvanger = tel(`SELECT count(*) n FROM outbox_ontvanger WHERE id IN (SELECT id FROM outbox WHERE sleutel IN (${van}))`, object);
    if (bezorging) t.bezorging = tel(`SELECT count(*) n FROM bezorging WHERE notificatie IN (SELECT id FROM outbox WHERE sleutel IN (${van}))`, object);
    perObject[object] = t;
  }
  // the record first, then what hangs from it
  for (const tabel of ['record', ...SLEUTELTABELLEN.filter((t) => t !== 'record')]) perTabel[tabel] = tel(`SELECT count(*) n FROM ${tabel} WHERE ${vanRecords(tabel, '')}`);
  perTabel.outbox_ontvanger = tel(`SELECT count(*) n FROM outbox_ontvanger WHERE id IN (${WEG_OUTBOX})`);

  // kept key-only messages (schema v6) of which no record is left once these go: nothing to rebuild them from,
  // and they hold the Bsn; with their outbox entries
  db.exec('DROP TABLE IF EXISTS temp.weg_bericht; CREATE TEMP TABLE weg_bericht (id TEXT PRIMARY KEY)');
  if (heeftTabel(db, 'bericht')) {
    db.exec(`INSERT INTO temp.weg_bericht SELECT b.id FROM bericht b WHERE json_array_length(b.sleutels) > 0 AND NOT EXISTS (
      SELECT 1 FROM json_each(b.sleutels) s JOIN record r ON r.sleutel = json_extract(s.value, '$.sleutel') WHERE r.id NOT IN (SELECT id FROM temp.weg))`);
    perTabel.bericht = tel('SELECT count(*) n FROM temp.weg_bericht');
  }
  const WEG_BERICHT_OUTBOX = 'SELECT id FROM outbox WHERE bericht IN (SELECT id FROM temp.weg_bericht)';
  if (perTabel.bericht) perTabel.outbox = (perTabel.outbox ?? 0) + tel(`SELECT count(*) n FROM outbox WHERE id IN (${WEG_BERICHT_OUTBOX})`);

  // finished deliveries past their retention, and every delivery of an outbox entry that goes
  const grens = minDagen(peildatum, termijnen.notificatieDagen);
  const BEZORGING = `FROM bezorging WHERE notificatie IN (${WEG_OUTBOX}) OR notificatie IN (${WEG_BERICHT_OUTBOX}) OR (status IN ('geleverd', 'vervallen', 'dood') AND bijgewerkt < ?)`;
  if (bezorging) perTabel.bezorging = tel(`SELECT count(*) n ${BEZORGING}`, grens);

  // the snapshot messages of groups that lose their last member
  db.exec(`DROP TABLE IF EXISTS temp.weg_groep;
    CREATE TEMP TABLE weg_groep AS SELECT DISTINCT groep FROM momentopname WHERE record IN (SELECT id FROM temp.weg)
      EXCEPT SELECT groep FROM momentopname WHERE record NOT IN (SELECT id FROM temp.weg)`);
  perTabel.momentopname_bericht = tel('SELECT count(*) n FROM momentopname_bericht WHERE groep IN (SELECT groep FROM temp.weg_groep)');

  // audit entries older than their retention: the longest prefix of the chain that is
  const auditGrens = `${plusMaanden(peildatum, -termijnen.auditMaanden)}T00:00:00.000Z`;
  let auditTot = 0;
  if (heeftTabel(db, 'audit')) {
    const eerste = db.prepare<[string], { v: number | null }>('SELECT min(volgnummer) v FROM audit WHERE tijd >= ?').get(auditGrens)!.v;
    auditTot = eerste !== null ? eerste - 1 : (db.prepare<[], { v: number | null }>('SELECT max(volgnummer) v FROM audit').get()!.v ?? 0);
    perTabel.audit = tel('SELECT count(*) n FROM audit WHERE volgnummer <= ?', auditTot);
    if (perTabel.audit === 0) auditTot = 0;
  }

  if (uitvoeren) {
    if (bezorging) db.prepare(`DELETE ${BEZORGING}`).run(grens);
    db.exec(`DELETE FROM outbox_ontvanger WHERE id IN (${WEG_OUTBOX})`);
    db.exec(`DELETE FROM momentopname_bericht WHERE groep IN (SELECT groep FROM temp.weg_groep)`);
    // an alias of before the law separation that names a removed record goes with it
    db.exec(`DELETE FROM sleutel_alias WHERE doel IN (${WEG})`);
    // a kept message's outbox entry refers to it: the entry first
    db.exec(`DELETE FROM outbox_ontvanger WHERE id IN (${WEG_BERICHT_OUTBOX})`);
    db.exec(`DELETE FROM outbox WHERE id IN (${WEG_BERICHT_OUTBOX})`);
    if (perTabel.bericht) db.exec('DELETE FROM bericht WHERE id IN (SELECT id FROM temp.weg_bericht)');
    for (const tabel of SLEUTELTABELLEN) db.exec(`DELETE FROM ${tabel} WHERE ${vanRecords(tabel, '')}`);
    if (auditTot > 0) snoeiAudit(db, pad, auditTot);
  }
  db.exec('DROP TABLE temp.weg; DROP TABLE temp.weg_groep; DROP TABLE temp.weg_bericht');
  return { peildatum, uitgevoerd: uitvoeren, termijnen, perObject, perTabel, auditTot };
}

/**
 * Removes the audit entries up to `tot` after recording the anchor (the last removed entry's sequence number
 * and hash, with the chain key's HMAC): the delete trigger allows removal only up to a recorded anchor
 * (audit.ts). A log written before chaining (no hash column) is not touched.
 */
function snoeiAudit(db: Database.Database, pad: string, tot: number): void {
  const kolommen = new Set((db.pragma('table_info(audit)') as Array<{ name: string }>).map((k) => k.name));
  if (!kolommen.has('hash')) {
    throw new NetwerkbrugFout('GEBRUIK', 'the audit log is not chained yet (written by an older version); start netwerkbrug serve once to chain it, then clean up', { bestand: pad });
  }
  const key = ketenKey(geverifieerdGeheim(db, pad));
  richtAnkerIn(db);
  const laatste = db.prepare<[number], { hash: string }>('SELECT hash FROM audit WHERE volgnummer = ?').get(tot)!;
  const kop = { volgnummer: tot, hash: laatste.hash };
  db.prepare('INSERT INTO audit_anker (volgnummer, hash, mac, tijd) VALUES (?, ?, ?, ?)').run(tot, kop.hash, ankerMac(key, kop), new Date().toISOString());
  db.prepare('DELETE FROM audit WHERE volgnummer <= ?').run(tot);
}
