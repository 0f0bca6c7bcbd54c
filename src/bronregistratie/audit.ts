/**
 * The audit log of `serve`: one row per attempt to fetch a record or hand in a message, allowed or not, in
 * the bronregistratie's own SQLite file (its own connection and prepared statements). Append-only: triggers
 * refuse UPDATE and DELETE, so a row, once written, stays as it was. It never holds personal data: the
 * participant code, the object name, the Sleutel (a random UUID), the purpose, the outcome and the trace id.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './verbinding.js';

const DDL = `
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
  status INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_geen_wijziging BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_geen_verwijdering BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

export interface Auditregel {
  tijd: string;
  traceId: string;
  /** the participant code, `null` when the caller was not identified */
  deelnemer: string | null;
  /** what was tried: `bronregistratie:lezen`, `berichten:uitgaand`, … */
  actie: string;
  object: string | null;
  sleutel: string | null;
  versie: number | null;
  doel: string | null;
  /** verstrekt, geweigerd, niet-geauthenticeerd, niet-gevonden, ongeldig-verzoek, afgekeurd, omgezet, fout */
  uitkomst: string;
  status: number;
}

interface Rij {
  tijd: string;
  trace_id: string;
  deelnemer: string | null;
  actie: string;
  object: string | null;
  sleutel: string | null;
  versie: number | null;
  doel: string | null;
  uitkomst: string;
  status: number;
}

export class Auditlog {
  private readonly db: Database.Database;
  private readonly q;

  constructor(
    readonly pad: string,
    busyTimeoutMs = 5000,
  ) {
    this.db = openDatabase(pad, busyTimeoutMs);
    // checkpoints are run off the request thread (checkpoint.ts)
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.exec(DDL);
    this.q = {
      schrijf: this.db.prepare('INSERT INTO audit (tijd, trace_id, deelnemer, actie, object, sleutel, versie, doel, uitkomst, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      alle: this.db.prepare<[], Rij>('SELECT * FROM audit ORDER BY volgnummer'),
      ping: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sqlite_master'),
    };
  }

  /** Appends one row (its own transaction). */
  schrijf(r: Auditregel): void {
    this.q.schrijf.run(r.tijd, r.traceId, r.deelnemer, r.actie, r.object, r.sleutel, r.versie, r.doel, r.uitkomst, r.status);
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
    }));
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
    this.db.close();
  }
}
