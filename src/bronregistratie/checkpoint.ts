/**
 * WAL checkpoints off the request thread: a worker thread with its own connection (one per database file) runs a
 * PASSIVE checkpoint every `intervalMs` (it never blocks writers), while the server's connections (and a `convert`
 * run's, up to a bound) have automatic checkpoints turned off. Without this, the request that happens to cross the
 * WAL threshold waits for the checkpoint's fsync (measured here: 50–650 ms stalls at 200 requests/s).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const dbs = workerData.paden.map((pad) => {
  const db = new Database(pad);
  db.pragma('busy_timeout = 5000');
  return db;
});
const tik = () => {
  for (const db of dbs) {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage(db.name + ': ' + String(e && e.message)); }
  }
};
const timer = setInterval(tik, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  tik();
  for (const db of dbs) db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly klaar: Promise<void>;

  /** `paden`: the database files, one connection each, all checkpointed by this one thread. */
  constructor(paden: string | readonly string[], intervalMs = 1000, fout: (melding: string) => void = () => undefined) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(CODE, { eval: true, workerData: { paden: typeof paden === 'string' ? [paden] : [...paden], intervalMs, module } });
    this.worker.on('message', (m: string) => fout(m));
    this.worker.on('error', (e) => fout(e.message));
    this.klaar = new Promise((ok) => this.worker.once('exit', () => ok()));
  }

  /** A last checkpoint, then the worker ends. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.klaar;
  }
}
