/**
 * The database as the sidecar's request paths see it.
 *
 * - Busy: better-sqlite3 is synchronous, so a request waiting for a write lock held by another process stalls
 *   the event loop (and `/health` with it) for the whole busy timeout. The server's connections wait
 *   `server.databaseWachttijdMs` (default 500 ms); a request that still finds the database busy is answered
 *   `503` with `Retry-After`, and for the next second (`Zekering`) requests that need the database are answered
 *   the same without touching it, so a queue of requests cannot stall the loop one timeout each.
 * - Integrity: `PRAGMA quick_check` at start (a damaged file stops `serve`, exit 2) and then every
 *   `server.integriteitscontroleSeconden` (default 3600) in a worker thread with its own connection, so the
 *   request thread never runs it; the last outcome is what `/ready` reports.
 */
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { NetwerkbrugFout } from '../fout.js';

export const STANDAARD_WACHTTIJD_MS = 500;
export const STANDAARD_INTEGRITEITSCONTROLE_S = 3600;
/** how long requests that need the database are answered 503 after it was found busy */
export const ZEKERING_MS = 1000;

/** Whether `e` is SQLite's "the database is locked by another connection". */
export function isBezet(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Whether `e` is SQLite's "this is not (or no longer) a sound database file". */
export function isBeschadigd(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

/** After the database was found busy: for `ms`, requests that need it get 503 at once. */
export class Zekering {
  private tot = 0;

  constructor(
    private readonly ms = ZEKERING_MS,
    private readonly klok: () => number = Date.now,
  ) {}

  slaDoor(): void {
    this.tot = this.klok() + this.ms;
  }

  get doorgeslagen(): boolean {
    return this.klok() < this.tot;
  }

  /** seconds for `Retry-After` */
  get wachtSeconden(): number {
    return Math.max(1, Math.ceil(this.ms / 1000));
  }
}

/** `PRAGMA quick_check` on its own connection: `undefined` when sound, otherwise why not (SQLite's first finding, no data). */
export function snelleControle(pad: string): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(pad, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const uitkomst = db.pragma('quick_check(1)', { simple: true });
    return uitkomst === 'ok' ? undefined : String(uitkomst);
  } catch (e) {
    // locked by another process is not damaged: the periodic check looks again
    return isBezet(e) ? undefined : (e as Error).message;
  } finally {
    db?.close();
  }
}

/** The check at start: throws GEBRUIK (one sentence, exit 2) for a database that is damaged or not a database. */
export function eisGaveDatabase(pad: string): void {
  const fout = snelleControle(pad);
  if (fout) throw new NetwerkbrugFout('GEBRUIK', `the bronregistratie database is damaged (PRAGMA quick_check: ${fout.split('\n')[0]}); restore it from a backup`, { bestand: pad });
}

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const controleer = () => {
  let db;
  try {
    db = new Database(workerData.pad, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const u = db.pragma('quick_check(1)', { simple: true });
    parentPort.postMessage(u === 'ok' ? null : String(u));
  } catch (e) {
    // locked by another process is not damaged: keep the last finding
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String(e && e.code))) parentPort.postMessage(String(e && e.message));
  } finally {
    if (db) db.close();
  }
};
const timer = setInterval(controleer, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  parentPort.close();
});
`;

/** The periodic check in a worker thread; `fout` is the last finding (`undefined`: sound). */
export class Integriteitscontrole {
  fout: string | undefined;
  private readonly worker: Worker | undefined;
  private readonly klaar: Promise<void>;

  constructor(pad: string, intervalSeconden: number, melding: (fout: string | undefined) => void = () => undefined) {
    if (intervalSeconden <= 0) {
      this.worker = undefined;
      this.klaar = Promise.resolve();
      return;
    }
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(CODE, { eval: true, workerData: { pad, intervalMs: Math.round(intervalSeconden * 1000), module } });
    this.worker.unref();
    this.worker.on('message', (m: string | null) => {
      const fout = m ?? undefined;
      if (fout !== this.fout) melding(fout);
      this.fout = fout;
    });
    this.worker.on('error', (e) => {
      this.fout = e.message;
      melding(e.message);
    });
    this.klaar = new Promise((ok) => this.worker!.once('exit', () => ok()));
  }

  async stop(): Promise<void> {
    this.worker?.postMessage('stop');
    await this.klaar;
  }
}
