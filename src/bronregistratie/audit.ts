/**
 * The audit log of `serve`: one row per attempt to fetch a record or hand in a message, allowed or not, in
 * the bronregistratie's own SQLite file (its own connection and prepared statements). Append-only: triggers
 * refuse UPDATE, DELETE and an INSERT that would replace a row (`REPLACE` deletes without firing delete
 * triggers), and, since triggers can be dropped, every row is chained to the one before it by an HMAC keyed
 * from the identity secret, with the head kept outside the database (auditketen.ts): `netwerkbrug audit
 * verifieer` finds any change. It never holds personal data: the participant code, the object name, the
 * Sleutel (a random UUID), the purpose, the outcome and the trace id.
 */
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { NetwerkbrugFout } from '../fout.js';
import { BEGIN, ketenKey, Kopbestand, kopPad, rijHash, type Kop, type Ketenrij } from './auditketen.js';
import { zoekAudit, type Auditfilter, type Auditpost } from './auditvraag.js';
import { koppelGeheim } from './geheim.js';
import { richtSchemaIn } from './schema.js';
import { openDatabase } from './verbinding.js';

export type { Auditfilter, Auditpost } from './auditvraag.js';

const TABEL = `
CREATE TABLE IF NOT EXISTS audit (
  volgnummer INTEGER PRIMARY KEY AUTOINCREMENT,
  tijd TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  deelnemer TEXT,
  actie TEXT NOT NULL,
  object TEXT,
  sleutel TEXT,
  versie INTEGER,
  doel TEXT,
  uitkomst TEXT NOT NULL,
  status INTEGER NOT NULL,
  vorige TEXT,
  hash TEXT,
  wet TEXT,
  grond TEXT,
  kanaal TEXT
);
`;

/**
 * Retention (bewaring.ts) removes the oldest entries, a prefix of the chain, after recording an anchor: the
 * last removed entry's sequence number and hash with an HMAC under the chain key (auditketen.ts). The delete
 * trigger lets an entry go only when an anchor at or after it is recorded, so a removal needs the anchor
 * first (in the same transaction, as bewaring.ts does it). The trigger cannot check an HMAC: a party without
 * the identity secret can insert an anchor row, as it can drop a trigger, and then delete; what it cannot do
 * is make the anchor's HMAC, so `audit verifieer` reports the forged anchor, exactly as it reports a deletion
 * after a dropped trigger. So this adds no way past the chain that dropping the trigger did not give already.
 * The anchors themselves are append-only, must name an entry of the log (by number only: a trigger that read
 * the hash column would stand in the way of the log's own checks of a dropped column) and must come after the previous one
 * (an `INSERT OR REPLACE` over an anchor is refused by the same rule, since it cannot be newer).
 */
const ALLEEN_NA_ANKER = 'WHEN OLD.volgnummer > coalesce((SELECT max(volgnummer) FROM audit_anker), 0)';

const ANKER = `
CREATE TABLE IF NOT EXISTS audit_anker (
  volgnummer INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  mac TEXT NOT NULL,
  tijd TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_anker_geen_wijziging BEFORE UPDATE ON audit_anker BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_anker_geen_verwijdering BEFORE DELETE ON audit_anker BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_anker_volgorde BEFORE INSERT ON audit_anker
  WHEN NEW.volgnummer <= coalesce((SELECT max(volgnummer) FROM audit_anker), 0)
    OR NOT EXISTS (SELECT 1 FROM audit WHERE volgnummer = NEW.volgnummer)
  BEGIN SELECT RAISE(ABORT, 'an anchor names an entry of the log after the previous anchor'); END;
`;

/**
 * The anchor table and its triggers, and the delete trigger that allows removal up to an anchor (replacing
 * the unconditional one of a log made before retention). Idempotent; inside a transaction. For the log and for
 * `opschonen`, which may open a log that `serve` has not opened since this version.
 */
export function richtAnkerIn(db: Database.Database): void {
  db.exec(ANKER);
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_geen_verwijdering'").get() as { sql: string } | undefined)?.sql;
  if (sql !== undefined && !sql.includes('audit_anker')) db.exec('DROP TRIGGER audit_geen_verwijdering');
  db.exec(TRIGGERS);
}

/** Columns added after the chain: `null` in older entries (whose hash does not cover them: auditketen.ts). */
const LATERE_KOLOMMEN = ['wet', 'grond', 'kanaal'] as const;

const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS audit_geen_wijziging BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_geen_verwijdering BEFORE DELETE ON audit ${ALLEEN_NA_ANKER} BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_geen_vervanging BEFORE INSERT ON audit WHEN EXISTS (SELECT 1 FROM audit WHERE volgnummer = NEW.volgnummer) BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_alleen_geketend BEFORE INSERT ON audit WHEN NEW.hash IS NULL OR NEW.vorige IS NULL BEGIN SELECT RAISE(ABORT, 'an audit row must be chained'); END;
`;

/** An entry as it is written: a stored entry (auditvraag.ts) without its sequence number; law, ground and channel may be left out. */
export type Auditregel = Omit<Auditpost, 'volgnummer' | 'wet' | 'grond' | 'kanaal'> & Partial<Pick<Auditpost, 'wet' | 'grond' | 'kanaal'>>;

/** A stored row: the entry and its place in the chain (auditketen.ts). */
type Rij = Ketenrij;

export class Auditlog {
  private readonly db: Database.Database;
  private readonly q;
  private readonly key: Buffer;
  /** the head file; `null` for an in-memory database */
  private readonly kop: Kopbestand | null;
  /** the last entry this connection wrote: rows after it that disappear leave a visible gap */
  private laatst: Kop | null = null;

  /** whether this log opened its connection (and closes it) */
  private readonly eigenVerbinding: boolean;

  /**
   * `verbinding`: the store's own connection to the same file, shared (as `serve` does): a log on a connection
   * of its own makes every other connection drop its page cache after each entry, and a read then pays for it.
   */
  constructor(
    readonly pad: string,
    busyTimeoutMs = 5000,
    verbinding?: Database.Database,
  ) {
    this.eigenVerbinding = verbinding === undefined;
    this.db = verbinding ?? openDatabase(pad, busyTimeoutMs);
    // checkpoints are run off the request thread (checkpoint.ts)
    if (this.eigenVerbinding) this.db.pragma('wal_autocheckpoint = 0');
    // the chain's key comes from the database's own identity secret, checked against its verifier (geheim.ts);
    // the schema is in place whoever opens the file first (schema.ts); for a new empty database, the log makes the secret
    richtSchemaIn(this.db);
    this.key = ketenKey(koppelGeheim(this.db, pad, { aanmaken: true }));
    this.kop = pad === ':memory:' ? null : new Kopbestand(kopPad(pad), this.key);
    try {
      this.richtIn();
    } catch (e) {
      if (this.eigenVerbinding) this.db.close();
      throw e;
    }
    this.q = {
      // the last entry, or the anchor when retention removed every entry (the chain goes on from it)
      laatste: this.db.prepare<[], { volgnummer: number; hash: string | null }>(
        `SELECT volgnummer, hash FROM (
           SELECT * FROM (SELECT volgnummer, hash FROM audit ORDER BY volgnummer DESC LIMIT 1)
           UNION ALL SELECT * FROM (SELECT volgnummer, hash FROM audit_anker ORDER BY volgnummer DESC LIMIT 1)
         ) ORDER BY volgnummer DESC LIMIT 1`,
      ),
      schrijf: this.db.prepare(
        'INSERT INTO audit (volgnummer, tijd, trace_id, deelnemer, actie, object, sleutel, versie, doel, uitkomst, status, wet, grond, kanaal, vorige, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      alle: this.db.prepare<[], Rij>('SELECT * FROM audit ORDER BY volgnummer'),
      ping: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sqlite_master'),
    };
  }

  /**
   * Creates the table and its triggers; a table of an older version (no chain columns) gets them and its rows
   * are chained, in one transaction. A log whose head file exists was chained before: missing columns then
   * mean it was altered, and it is not chained anew (that would launder the change).
   */
  private richtIn(): void {
    let kop: Kop | null = null;
    this.db
      .transaction(() => {
        this.db.exec(TABEL);
        const kolommen = new Set((this.db.pragma('table_info(audit)') as Array<{ name: string }>).map((k) => k.name));
        if (!kolommen.has('hash') || !kolommen.has('vorige')) {
          if (this.kop && existsSync(this.kop.pad)) {
            throw new NetwerkbrugFout('GEBRUIK', 'the audit log was chained (its head file exists) but its chain columns are gone: it was altered; see netwerkbrug audit verifieer', { bestand: this.pad });
          }
          if (!kolommen.has('vorige')) this.db.exec('ALTER TABLE audit ADD COLUMN vorige TEXT');
          if (!kolommen.has('hash')) this.db.exec('ALTER TABLE audit ADD COLUMN hash TEXT');
          this.db.exec('DROP TRIGGER IF EXISTS audit_geen_wijziging');
          const zet = this.db.prepare('UPDATE audit SET vorige = ?, hash = ? WHERE volgnummer = ?');
          let vorige: Kop = { volgnummer: 0, hash: BEGIN };
          for (const r of this.db.prepare<[], Rij>('SELECT * FROM audit ORDER BY volgnummer').all()) {
            const hash = rijHash(this.key, vorige.hash, r);
            zet.run(vorige.hash, hash, r.volgnummer);
            vorige = { volgnummer: r.volgnummer, hash };
          }
          if (vorige.volgnummer > 0) kop = vorige;
        }
        // law, ground and channel came later: an older table gets them empty (older hashes do not cover them)
        for (const k of LATERE_KOLOMMEN) if (!kolommen.has(k)) this.db.exec(`ALTER TABLE audit ADD COLUMN ${k} TEXT`);
        richtAnkerIn(this.db);
      })
      .immediate();
    if (kop) this.zetKop(kop);
  }

  /**
   * Appends one row (its own transaction), chained to the last one. The last row is read inside the write
   * transaction, so two processes appending to one database chain in turn. When this connection or the head
   * file knows of a later entry than the table holds, entries were removed: the new one follows that later
   * entry, so the gap stays visible instead of being papered over.
   */
  schrijf(r: Auditregel): void {
    const kop = this.kop?.lees() ?? null;
    const nieuw = this.db
      .transaction(() => {
        const laatste = this.q.laatste.get();
        let basis: Kop = laatste ? { volgnummer: laatste.volgnummer, hash: laatste.hash ?? BEGIN } : { volgnummer: 0, hash: BEGIN };
        for (const k of [this.laatst, kop]) if (k && k !== 'beschadigd' && k.volgnummer > basis.volgnummer) basis = k;
        const rij = { volgnummer: basis.volgnummer + 1, tijd: r.tijd, trace_id: r.traceId, deelnemer: r.deelnemer, actie: r.actie, object: r.object, sleutel: r.sleutel, versie: r.versie, doel: r.doel, uitkomst: r.uitkomst, status: r.status, wet: r.wet ?? null, grond: r.grond ?? null, kanaal: r.kanaal ?? null };
        const hash = rijHash(this.key, basis.hash, rij);
        this.q.schrijf.run(rij.volgnummer, r.tijd, r.traceId, r.deelnemer, r.actie, r.object, r.sleutel, r.versie, r.doel, r.uitkomst, r.status, rij.wet, rij.grond, rij.kanaal, basis.hash, hash);
        return { volgnummer: rij.volgnummer, hash };
      })
      .immediate();
    this.laatst = nieuw;
    // another process may have moved the head past this entry meanwhile: never move it back; a damaged head
    // is left for `audit verifieer` to report (overwriting it could hide what it was damaged to hide)
    const nu = this.kop?.lees() ?? null;
    if (nu !== 'beschadigd' && (!nu || nu.volgnummer < nieuw.volgnummer)) this.zetKop(nieuw);
  }

  private zetKop(k: Kop): void {
    this.kop?.schrijf(k);
  }

  alle(): Auditregel[] {
    return this.q.alle.all().map((r) => ({
      tijd: r.tijd,
      traceId: r.trace_id,
      deelnemer: r.deelnemer,
      actie: r.actie,
      object: r.object,
      sleutel: r.sleutel,
      versie: r.versie,
      doel: r.doel,
      uitkomst: r.uitkomst,
      status: r.status,
      wet: r.wet ?? null,
      grond: r.grond ?? null,
      kanaal: r.kanaal ?? null,
    }));
  }

  /** The entries a filter selects, in order, one page (auditvraag.ts): for the auditors' API. */
  zoek(filter: Auditfilter): Auditpost[] {
    return zoekAudit(this.db, filter);
  }

  /** Whether the database file answers a query (for /ready). */
  bereikbaar(): boolean {
    try {
      return this.q.ping.get()!.n > 0;
    } catch {
      return false;
    }
  }

  sluit(): void {
    this.kop?.sluit();
    if (this.eigenVerbinding) this.db.close();
  }
}
