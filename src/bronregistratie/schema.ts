/**
 * The schema of the bronregistratie's SQLite file, in one place: every table of the store, its outbox and the
 * delivery state of notifications, the schema version and its migrations. Every part that opens the file for
 * writing (the store, the notification store, the audit log) calls `richtSchemaIn` first, so the order in
 * which they are opened does not matter. The audit log's own table and its chain stay with it (audit.ts);
 * the run journal is the archive run's (runs/journaal.ts).
 */
import type Database from 'better-sqlite3';
import { NetwerkbrugFout } from '../fout.js';
import { koppelGeheim } from './geheim.js';
import { WET_DDL, eisWetbron, scheidWetten, type Wetbron, type Wetscheiding } from './wetscheiding.js';
import { TIJDLIJN_DDL } from './tijdlijn.js';
import { heeftTabel, leesMeta } from './verbinding.js';
import type { Sleutelvorm } from './identiteit.js';

export const SCHEMA_VERSIE = 7;

/** meta: the schema version and the verifier of the identity secret (geheim.ts) */
const META_DDL = 'CREATE TABLE IF NOT EXISTS meta (sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL);';

/**
 * v6: the key-only messages the sidecar keeps (issue 14): `id` is the message's public id (a random UUID v4,
 * `GET /berichten/{id}`), `inhoud` the exact bytes `POST /berichten/uitgaand` would have answered, `sleutels`
 * the Sleutels it carries as JSON (`[{object, sleutel, versie}]`). A re-send of the same message (same Afzender,
 * BerichtIdentificatie, Dagtekening and bytes) finds its row. The outbox announces it with one entry whose
 * `bericht` names it (soort `bericht`, no Sleutel).
 */
const BERICHT_DDL = `
CREATE TABLE IF NOT EXISTS bericht (
  id TEXT PRIMARY KEY,
  berichttype TEXT NOT NULL,
  eigenaar TEXT NOT NULL,
  ontvanger TEXT NOT NULL,
  wet TEXT NOT NULL CHECK (wet IN ('wmo', 'jeugdwet')),
  inhoud BLOB NOT NULL,
  inhoud_hash TEXT NOT NULL,
  sleutels TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  bericht_identificatie TEXT NOT NULL,
  geregistreerd TEXT NOT NULL,
  UNIQUE (eigenaar, bericht_identificatie, dagtekening, inhoud_hash)
);
`;

/** The message entries of the outbox by their message (a partial index: record entries are not in it). */
const OUTBOX_BERICHT_INDEX = 'CREATE INDEX IF NOT EXISTS outbox_bericht ON outbox (bericht) WHERE bericht IS NOT NULL;';

/** The outbox as v1–v5 had it (record entries only): a database of before v6 gains a missing one in this shape. */
const OUTBOX_DDL_V5 = `
CREATE TABLE IF NOT EXISTS outbox (
  volgnummer INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  sleutel TEXT NOT NULL REFERENCES record(sleutel),
  object TEXT NOT NULL,
  eigenaar TEXT NOT NULL,
  versie INTEGER NOT NULL,
  soort TEXT NOT NULL CHECK (soort IN ('aangemaakt', 'gewijzigd', 'beeindigd')),
  tijd TEXT NOT NULL
);
`;

/**
 * A record has two keys: its Sleutel (a random UUID v4, the only key the outside sees) and `id`, an integer
 * that grows in insertion order. The tables of a record's history refer to it by `id` and are keyed by it
 * first (WITHOUT ROWID, one tree each), so a new record's rows go to the end of their trees instead of a
 * random place; the Sleutel and the identity hash are the only random indexes (v5). The outbox keeps the
 * Sleutel as it announces it (no index on it).
 */
const STORE_DDL = `${BERICHT_DDL}
CREATE TABLE IF NOT EXISTS record (
  id INTEGER PRIMARY KEY,
  sleutel TEXT NOT NULL UNIQUE,
  object TEXT NOT NULL,
  eigenaar TEXT NOT NULL,
  identiteit TEXT NOT NULL,
  aangemaakt TEXT NOT NULL,
  wet TEXT CHECK (wet IN ('wmo', 'jeugdwet')),
  UNIQUE (identiteit, object, eigenaar)
);
CREATE TABLE IF NOT EXISTS versie (
  record INTEGER NOT NULL REFERENCES record(id),
  nummer INTEGER NOT NULL,
  inhoud TEXT NOT NULL,
  inhoud_hash TEXT NOT NULL,
  geregistreerd TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  bericht_identificatie TEXT NOT NULL,
  PRIMARY KEY (record, nummer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vermelding (
  record INTEGER NOT NULL REFERENCES record(id),
  dagtekening TEXT NOT NULL,
  bericht_identificatie TEXT NOT NULL,
  nummer INTEGER NOT NULL,
  PRIMARY KEY (record, dagtekening, bericht_identificatie)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS verstrekking (
  record INTEGER NOT NULL REFERENCES record(id),
  tegenpartij TEXT NOT NULL,
  eerste_dagtekening TEXT NOT NULL,
  laatste_dagtekening TEXT NOT NULL,
  toewijzing_einde TEXT,
  laatste_bericht_identificatie TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (record, tegenpartij)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
  volgnummer INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  sleutel TEXT REFERENCES record(sleutel),
  bericht TEXT REFERENCES bericht(id),
  object TEXT NOT NULL,
  eigenaar TEXT NOT NULL,
  versie INTEGER NOT NULL,
  soort TEXT NOT NULL CHECK (soort IN ('aangemaakt', 'gewijzigd', 'beeindigd', 'bericht')),
  tijd TEXT NOT NULL,
  CHECK ((sleutel IS NULL) != (bericht IS NULL) AND (soort = 'bericht') = (bericht IS NOT NULL))
);
CREATE TABLE IF NOT EXISTS momentopname (
  groep TEXT NOT NULL,
  record INTEGER NOT NULL REFERENCES record(id),
  PRIMARY KEY (groep, record)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS beeindiging (
  record INTEGER NOT NULL REFERENCES record(id),
  tegenpartij TEXT NOT NULL,
  dagtekening TEXT NOT NULL,
  bericht_identificatie TEXT NOT NULL,
  PRIMARY KEY (record, tegenpartij)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox_ontvanger (
  id TEXT PRIMARY KEY REFERENCES outbox(id),
  tegenpartij TEXT NOT NULL
);
`;

/**
 * The tables as schema v1–v4 had them (keyed by the Sleutel), frozen: a database of before v5 gains a missing
 * table in this shape, so the earlier migration steps (which read and write by Sleutel) find one shape before
 * the v5 step rebuilds them all. The outbox is v5's (the v6 step rebuilds it).
 */
const STORE_DDL_V4 = `
CREATE TABLE IF NOT EXISTS record (
  sleutel TEXT PRIMARY KEY, object TEXT NOT NULL, eigenaar TEXT NOT NULL, identiteit TEXT NOT NULL, aangemaakt TEXT NOT NULL,
  wet TEXT CHECK (wet IN ('wmo', 'jeugdwet')), UNIQUE (object, eigenaar, identiteit)
);
CREATE TABLE IF NOT EXISTS versie (
  sleutel TEXT NOT NULL REFERENCES record(sleutel), nummer INTEGER NOT NULL, inhoud TEXT NOT NULL, inhoud_hash TEXT NOT NULL,
  geregistreerd TEXT NOT NULL, dagtekening TEXT NOT NULL, bericht_identificatie TEXT NOT NULL, PRIMARY KEY (sleutel, nummer)
);
CREATE TABLE IF NOT EXISTS vermelding (
  sleutel TEXT NOT NULL REFERENCES record(sleutel), dagtekening TEXT NOT NULL, bericht_identificatie TEXT NOT NULL, nummer INTEGER NOT NULL,
  PRIMARY KEY (sleutel, dagtekening, bericht_identificatie)
);
CREATE TABLE IF NOT EXISTS verstrekking (
  sleutel TEXT NOT NULL REFERENCES record(sleutel), tegenpartij TEXT NOT NULL, eerste_dagtekening TEXT NOT NULL, laatste_dagtekening TEXT NOT NULL,
  toewijzing_einde TEXT, laatste_bericht_identificatie TEXT NOT NULL DEFAULT '', PRIMARY KEY (sleutel, tegenpartij)
);
CREATE TABLE IF NOT EXISTS momentopname (groep TEXT NOT NULL, sleutel TEXT NOT NULL REFERENCES record(sleutel), PRIMARY KEY (groep, sleutel));
CREATE TABLE IF NOT EXISTS beeindiging (
  sleutel TEXT NOT NULL REFERENCES record(sleutel), tegenpartij TEXT NOT NULL, dagtekening TEXT NOT NULL, bericht_identificatie TEXT NOT NULL,
  PRIMARY KEY (sleutel, tegenpartij)
);
${OUTBOX_DDL_V5}
${STORE_DDL.slice(STORE_DDL.indexOf('CREATE TABLE IF NOT EXISTS outbox_ontvanger'))}`;

/** The tables v5 rebuilt to refer to a record by its `id`: the record itself first. */
const PER_RECORD_ID = ['record', 'versie', 'vermelding', 'verstrekking', 'momentopname', 'beeindiging', 'betrokkene'] as const;

/** Whether the database is of before v5: its records have no integer `id` yet. */
function voorRecordId(db: Database.Database): boolean {
  return heeftTabel(db, 'record') && !(db.prepare('PRAGMA table_info(record)').all() as Array<{ name: string }>).some((k) => k.name === 'id');
}

/** The delivery state of notifications (notificatiestore.ts). */
export const NOTIFICATIE_DDL = `
CREATE TABLE IF NOT EXISTS abonnement (
  id TEXT PRIMARY KEY,
  deelnemer TEXT NOT NULL,
  sink TEXT NOT NULL,
  types TEXT NOT NULL,
  vorm TEXT NOT NULL CHECK (vorm IN ('cloudevents', 'iwlz')),
  credential TEXT,
  aangemaakt TEXT NOT NULL,
  beeindigd TEXT,
  reden TEXT
);
CREATE TABLE IF NOT EXISTS bezorging (
  nummer INTEGER PRIMARY KEY AUTOINCREMENT,
  notificatie TEXT NOT NULL,
  wachtrij TEXT NOT NULL,
  ontvanger TEXT NOT NULL,
  abonnement TEXT,
  status TEXT NOT NULL CHECK (status IN ('wachtend', 'geleverd', 'dood', 'vervallen')),
  pogingen INTEGER NOT NULL DEFAULT 0,
  volgende INTEGER NOT NULL,
  laatste_uitkomst TEXT,
  reden TEXT,
  bijgewerkt TEXT NOT NULL,
  UNIQUE (notificatie, wachtrij)
);
CREATE INDEX IF NOT EXISTS bezorging_open ON bezorging (status, wachtrij, nummer);
CREATE INDEX IF NOT EXISTS bezorging_notificatie ON bezorging (notificatie);
CREATE TABLE IF NOT EXISTS notificatie_cursor (naam TEXT PRIMARY KEY, volgnummer INTEGER NOT NULL);
`;

/**
 * Schema step "inzage-index" (AVG art. 15), kept apart from the numbered versions so it can be numbered at a
 * merge: the person index, one keyed hash of (owner, BSN) per record (inzage.ts). A new table only, so a
 * database of any version gains it by being opened for writing; it starts empty and is filled at
 * registration, on a replay, and at inzage time (inzage.ts). Marked in `meta` as `stap_inzage_index`.
 */
export const INZAGE_INDEX_DDL = `
CREATE TABLE IF NOT EXISTS betrokkene (
  persoon TEXT NOT NULL,
  record INTEGER NOT NULL REFERENCES record(id),
  PRIMARY KEY (persoon, record)
) WITHOUT ROWID;
`;

function stapInzageIndex(db: Database.Database): void {
  if (heeftTabel(db, 'betrokkene')) return;
  db.exec(INZAGE_INDEX_DDL);
  // made before the first record: every record is in it, so inzage needs no search beside it (inzage.ts)
  const leeg = db.prepare('SELECT 1 FROM record LIMIT 1').get() === undefined;
  db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run('stap_inzage_index', leeg ? 'volledig' : 'aangevuld');
}

/**
 * Creates every table that is not there yet and brings a database of an earlier schema version up to this one
 * (in one transaction). Idempotent; for a connection that may write. The delivery tables of notifications are
 * made only by the part that keeps them (`notificaties`), so a run that sends none leaves none behind.
 */
export function richtSchemaIn(db: Database.Database, delen: { notificaties?: boolean; wetbron?: Wetbron } = {}): Migratieverslag | undefined {
  eisWetbron(db, delen.wetbron);
  eisBekendeVersie(db);
  const nieuw = !heeftTabel(db, 'record');
  db.exec(META_DDL + (voorRecordId(db) ? STORE_DDL_V4 : STORE_DDL) + TIJDLIJN_DDL + WET_DDL + (delen.notificaties ? NOTIFICATIE_DDL : ''));
  const verslag = migreer(db, delen.wetbron);
  // v6: a re-sent key-only message finds its outbox entry by this (message entries only, so it stays small)
  if (!outboxVoorBerichten(db)) db.exec(OUTBOX_BERICHT_INDEX);
  db.prepare('INSERT OR IGNORE INTO meta VALUES (?, ?)').run('schema_versie', String(SCHEMA_VERSIE));
  // v7: a new database lays its hashes out by person; one of before keeps its own (identiteit.ts)
  db.prepare('INSERT OR IGNORE INTO meta VALUES (?, ?)').run('sleutelvorm', nieuw ? 'persoon' : 'object');
  stapInzageIndex(db);
  return verslag;
}

/** What a migration on open did (counts only): for the caller to print or log. */
export interface Migratieverslag {
  van: number;
  naar: number;
  /** v4: the law separation (wetscheiding.ts) */
  wetscheiding?: Wetscheiding;
}


/** The layout of a database's identity and group hashes (`object` for one of before v7). */
export function leesSleutelvorm(db: Database.Database): Sleutelvorm {
  return leesMeta(db, 'sleutelvorm') === 'persoon' ? 'persoon' : 'object';
}

/** The schema version in `meta`, if the file has one. */
const schemaVersie = (db: Database.Database) => leesMeta(db, 'schema_versie');

/** A database of a later schema version than this netwerkbrug knows is refused, not misread or written into. */
function eisBekendeVersie(db: Database.Database): void {
  const versie = schemaVersie(db);
  if (versie !== undefined && Number(versie) > SCHEMA_VERSIE) {
    throw new NetwerkbrugFout('GEBRUIK', `the database has schema version ${versie}, made by a newer netwerkbrug than this one (which knows up to ${SCHEMA_VERSIE}); use that version`, { bestand: db.name });
  }
}

/** A database opened read-only cannot be migrated: it must be this version's. */
export function controleerLeesbaar(db: Database.Database, pad: string): void {
  const versie = schemaVersie(db);
  if (versie === undefined) throw new NetwerkbrugFout('GEBRUIK', 'the file is not a netwerkbrug bronregistratie (no schema version)', { bestand: pad });
  eisBekendeVersie(db);
  if (Number(versie) < 4) {
    throw new NetwerkbrugFout('GEBRUIK', `the database has schema version ${versie}; run netwerkbrug bron wetscheiding ARCHIEF… (or a command that writes, such as convert) once to migrate it to ${SCHEMA_VERSIE}`, { bestand: pad });
  }
  if (Number(versie) < SCHEMA_VERSIE) {
    // v4 → v5 → v6 → v7 need no law source: any command that writes migrates it
    throw new NetwerkbrugFout('GEBRUIK', `the database has schema version ${versie}; run a command that writes (such as convert or serve) once to migrate it to ${SCHEMA_VERSIE}`, { bestand: pad });
  }
}

/** Brings a database of an earlier schema version up to this one, in one transaction. */
function migreer(db: Database.Database, wetbron: Wetbron | undefined): Migratieverslag | undefined {
  const versie = Number(schemaVersie(db) ?? SCHEMA_VERSIE);
  if (versie >= SCHEMA_VERSIE) return undefined;
  const verslag: Migratieverslag = { van: versie, naar: SCHEMA_VERSIE };
  // a table is rebuilt (v5) by the documented way: foreign keys off (they cannot be switched inside a
  // transaction), checked in full before the commit
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
    // v2: the end of the counterpart's grounds (unknown for what v1 registered, so open until the next message);
    // the notes of which message carried which version, known for v1 only where a message made a version
    if (versie < 2) {
      db.exec('ALTER TABLE verstrekking ADD COLUMN toewijzing_einde TEXT');
      db.exec('INSERT OR IGNORE INTO vermelding SELECT sleutel, dagtekening, bericht_identificatie, nummer FROM versie');
    }
    // v3: the BerichtIdentificatie of the latest message to a counterpart, so messages of one day are ordered
    // too (unknown for what v2 registered: any message of the same day comes after it)
    if (versie < 3) db.exec("ALTER TABLE verstrekking ADD COLUMN laatste_bericht_identificatie TEXT NOT NULL DEFAULT ''");
    // v4: the law separation: every record belongs to one law (wetscheiding.ts). Its own step, so a later step
    // (v5, …) goes after it.
    if (versie < 4) verslag.wetscheiding = migreerNaarWetten(db, wetbron);
    // v5: the history tables refer to a record by its integer id (see STORE_DDL)
    if (versie < 5) migreerNaarRecordId(db);
    // v6: key-only messages kept (bericht) and announced by a message-level outbox entry
    if (versie < 6) migreerNaarBerichten(db);
    // v7: nothing to rebuild; such a database keeps the layout of its hashes (`sleutelvorm = object`, set by
    // richtSchemaIn), and a new one lays them out by person
    db.prepare('UPDATE meta SET waarde = ? WHERE sleutel = ?').run(String(SCHEMA_VERSIE), 'schema_versie');
    })();
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
  return verslag;
}

/** v3 → v4: the law column, then the split of every record by the law of the messages that carried it. */
function migreerNaarWetten(db: Database.Database, wetbron: Wetbron | undefined): Wetscheiding {
  const kolommen = db.prepare('PRAGMA table_info(record)').all() as Array<{ name: string }>;
  if (!kolommen.some((k) => k.name === 'wet')) db.exec("ALTER TABLE record ADD COLUMN wet TEXT CHECK (wet IN ('wmo', 'jeugdwet'))");
  // the secret re-keys the identity hashes; a database without records needs none
  const heeftRecords = db.prepare('SELECT 1 FROM record LIMIT 1').get() !== undefined;
  const geheim = heeftRecords ? koppelGeheim(db, db.name, { aanmaken: false }) : undefined;
  return scheidWetten(db, geheim, wetbron);
}

/**
 * v4 → v5: every table of PER_RECORD_ID made anew in its v5 shape (under a temporary name), filled from the old
 * one with the record's `id` for its Sleutel, the old one dropped and the new one renamed. Records get their
 * ids in the order they were inserted. Every row must come across: a count that differs, or a foreign key that
 * does not hold, aborts the migration (and with it the transaction, so the database stays as it was).
 */
function migreerNaarRecordId(db: Database.Database): void {
  if (!voorRecordId(db)) return;
  const nieuw = (STORE_DDL + INZAGE_INDEX_DDL).replace(
    new RegExp(`CREATE TABLE IF NOT EXISTS (${PER_RECORD_ID.join('|')}) \\(`, 'g'),
    'CREATE TABLE $1_v5 (',
  );
  db.exec(nieuw);
  const kolommen = (tabel: string) => (db.prepare(`PRAGMA table_info(${tabel})`).all() as Array<{ name: string }>).map((k) => k.name).filter((k) => k !== 'sleutel' && k !== 'record');
  db.exec(`INSERT INTO record_v5 (sleutel, object, eigenaar, identiteit, aangemaakt, wet)
    SELECT sleutel, object, eigenaar, identiteit, aangemaakt, wet FROM record ORDER BY rowid`);
  for (const tabel of PER_RECORD_ID.slice(1)) {
    if (!heeftTabel(db, tabel)) continue;
    const k = kolommen(`${tabel}_v5`);
    db.exec(`INSERT INTO ${tabel}_v5 (record, ${k.join(', ')}) SELECT r.id, ${k.map((c) => `t.${c}`).join(', ')} FROM ${tabel} t JOIN record_v5 r USING (sleutel) ORDER BY r.id`);
  }
  const tel = (tabel: string) => (db.prepare(`SELECT count(*) n FROM ${tabel}`).get() as { n: number }).n;
  for (const tabel of PER_RECORD_ID) {
    if (!heeftTabel(db, tabel)) {
      db.exec(`DROP TABLE ${tabel}_v5`);
      continue;
    }
    if (tel(tabel) !== tel(`${tabel}_v5`)) throw new NetwerkbrugFout('INTERNE_FOUT', `migration to schema v5: ${tabel} has rows of no record; nothing was changed`, { bestand: db.name });
  }
  // the history first, the record last, then the new ones under their names
  for (const tabel of [...PER_RECORD_ID].reverse()) if (heeftTabel(db, tabel)) db.exec(`DROP TABLE ${tabel}`);
  for (const tabel of PER_RECORD_ID) if (heeftTabel(db, `${tabel}_v5`)) db.exec(`ALTER TABLE ${tabel}_v5 RENAME TO ${tabel}`);
  if (db.prepare('PRAGMA foreign_key_check').get() !== undefined) {
    throw new NetwerkbrugFout('INTERNE_FOUT', 'migration to schema v5: a foreign key does not hold; nothing was changed', { bestand: db.name });
  }
}

/** Whether the outbox is of before v6: it has no `bericht` column. */
function outboxVoorBerichten(db: Database.Database): boolean {
  return heeftTabel(db, 'outbox') && !(db.prepare('PRAGMA table_info(outbox)').all() as Array<{ name: string }>).some((k) => k.name === 'bericht');
}

/**
 * v5 → v6: the `bericht` table, and the outbox rebuilt so an entry names either a record (its Sleutel) or a
 * key-only message (`bericht`). Every row keeps its volgnummer and id, so the delivery state (`bezorging` by id,
 * `notificatie_cursor` by volgnummer) and `outbox_ontvanger` stay valid; the AUTOINCREMENT counter is kept, so
 * no volgnummer is handed out twice. A count that differs or a foreign key that does not hold aborts it.
 */
function migreerNaarBerichten(db: Database.Database): void {
  db.exec(BERICHT_DDL);
  if (!outboxVoorBerichten(db)) return;
  const nieuw = STORE_DDL.slice(STORE_DDL.indexOf('CREATE TABLE IF NOT EXISTS outbox ('), STORE_DDL.indexOf('CREATE TABLE IF NOT EXISTS momentopname'));
  db.exec(nieuw.replace('CREATE TABLE IF NOT EXISTS outbox (', 'CREATE TABLE outbox_v6 ('));
  const teller = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as { seq: number } | undefined)?.seq;
  db.exec(`INSERT INTO outbox_v6 (volgnummer, id, sleutel, bericht, object, eigenaar, versie, soort, tijd)
    SELECT volgnummer, id, sleutel, NULL, object, eigenaar, versie, soort, tijd FROM outbox ORDER BY volgnummer`);
  const tel = (tabel: string) => (db.prepare(`SELECT count(*) n FROM ${tabel}`).get() as { n: number }).n;
  if (tel('outbox') !== tel('outbox_v6')) throw new NetwerkbrugFout('INTERNE_FOUT', 'migration to schema v6: the outbox did not come across whole; nothing was changed', { bestand: db.name });
  db.exec('DROP TABLE outbox');
  db.exec('ALTER TABLE outbox_v6 RENAME TO outbox');
  if (teller !== undefined) db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'").run(teller);
  if (db.prepare('PRAGMA foreign_key_check').get() !== undefined) {
    throw new NetwerkbrugFout('INTERNE_FOUT', 'migration to schema v6: a foreign key does not hold; nothing was changed', { bestand: db.name });
  }
}
