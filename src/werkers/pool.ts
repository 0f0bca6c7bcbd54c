/**
 * A pool of worker threads that runs a task module it is given. It knows nothing of what the task does:
 * the module (see `Taak`) is loaded in every thread with the pool's start data, and each
 * task sent to the pool goes to the least busy thread (or to a named one) and comes back as a promise. A thread
 * that fails stops the pool: every waiting and later task is rejected with that failure.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * What a task module exports: `start` is called once per thread with the pool's start data and gives the
 * function that carries out one task. Its result may name buffers to move to the calling thread without a copy.
 */
export interface Taak<D, O, U> {
  start(data: D): ((opdracht: O) => Promise<Taakuitslag<U>> | Taakuitslag<U>) | Promise<(opdracht: O) => Promise<Taakuitslag<U>> | Taakuitslag<U>>;
}
export interface Taakuitslag<U> {
  uitslag: U;
  overdracht?: ArrayBuffer[];
}

/** What goes between the threads. */
export type Draadbericht<O> = { id: number; opdracht: O };
export type Draadantwoord<U> = { id: number; uitslag: U; fout?: undefined } | { id: number; fout: string };

/**
 * The module beside the one at `moduleUrl` (its `import.meta.url`), e.g. `zusterModule(import.meta.url, './taak')`:
 * `taak.js` when that module is compiled JavaScript (dist, the package), `taak.ts` when it runs from its
 * TypeScript source (the tests). A path, for `PoolOpties.taak`.
 */
export function zusterModule(moduleUrl: string, naam: string): string {
  return fileURLToPath(new URL(`${naam}${vanBron(moduleUrl) ? '.ts' : '.js'}`, moduleUrl));
}

const vanBron = (moduleUrl: string) => new URL(moduleUrl).pathname.endsWith('.ts');

/** The thread entry, beside this module: draad.js, or draad.ts when the pool runs from its source. */
const DRAAD = zusterModule(import.meta.url, './draad');

/**
 * How a thread starts. Compiled (dist, the package), it runs draad.js as the process runs and needs nothing more.
 * From the TypeScript source (the tests, which run without `dist/`) it needs a loader for the `.ts` modules:
 * tsx, a development dependency. Node 20 does not apply `--import` hooks given in a worker's `execArgv` to that
 * worker's modules, so the thread starts with a line of JavaScript that registers tsx's hooks in it and then
 * imports draad.ts (and draad.ts the task module, also through those hooks).
 */
function draadStart(): { bestand: string; opties: { eval?: true } } {
  if (!vanBron(import.meta.url)) return { bestand: DRAAD, opties: {} };
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(DRAAD).href)}); });`;
  return { bestand: code, opties: { eval: true } };
}

/** The default number of workers: one per core. */
export const standaardWerkers = () => availableParallelism();

export interface PoolOpties<D> {
  /** the task module: a path (`zusterModule` finds one beside the calling module, compiled or from source) */
  taak: string;
  /** given to the task module's `start` in every thread (structured-cloned) */
  data: D;
  aantal: number;
  /** the young generation of each thread, in MB */
  jongeGeneratieMb?: number;
}

export class Werkpool<D, O, U> {
  private readonly werkers: Worker[] = [];
  private readonly wachtend = new Map<number, { ok: (u: U) => void; nok: (e: unknown) => void; werker: number; klaar: Promise<unknown> }>();
  private readonly bezig: number[] = [];
  private volgende = 0;
  private fout: unknown;

  constructor(opties: PoolOpties<D>) {
    const draad = draadStart();
    for (let i = 0; i < opties.aantal; i++) {
      const w = new Worker(draad.bestand, {
        ...draad.opties,
        workerData: { taak: opties.taak, data: opties.data },
        ...(opties.jongeGeneratieMb ? { resourceLimits: { maxYoungGenerationSizeMb: opties.jongeGeneratieMb } } : {}),
      });
      w.on('message', (a: Draadantwoord<U>) => {
        const taak = this.wachtend.get(a.id)!;
        this.wachtend.delete(a.id);
        this.bezig[taak.werker]!--;
        if (a.fout !== undefined) taak.nok(new Error(a.fout));
        else taak.ok(a.uitslag);
      });
      w.on('error', (e) => this.stop(e));
      w.on('exit', (code) => code !== 0 && this.stop(new Error(`worker thread ended with exit code ${code}`)));
      this.werkers.push(w);
      this.bezig.push(0);
    }
  }

  /** Sends a task to the named thread, or to the least busy one. */
  stuur(opdracht: O, werker?: number): Promise<U> {
    if (this.fout) return Promise.reject(this.fout);
    const id = this.volgende++;
    let w = werker ?? 0;
    if (werker === undefined) for (let i = 1; i < this.bezig.length; i++) if (this.bezig[i]! < this.bezig[w]!) w = i;
    this.bezig[w]!++;
    let klaar!: () => void;
    const afgerond = new Promise<unknown>((ok) => (klaar = () => ok(undefined)));
    const taak = new Promise<U>((ok, nok) => {
      this.wachtend.set(id, { ok, nok, werker: w, klaar: afgerond });
      this.werkers[w]!.postMessage({ id, opdracht } satisfies Draadbericht<O>);
    });
    void taak.then(klaar, klaar);
    return taak;
  }

  private stop(e: unknown): void {
    this.fout ??= e;
    for (const t of this.wachtend.values()) t.nok(e);
    this.wachtend.clear();
  }

  /**
   * Lets the tasks in flight finish (at most `wachtMs`), then ends the threads: a thread ended in the middle of
   * a task could leave its work half done (a temporary file of an atomic write).
   */
  async sluit(wachtMs = 5000): Promise<void> {
    const einde = Date.now() + wachtMs;
    // tasks sent while waiting (a batch of writes queued just before) are waited for too
    while (this.wachtend.size && Date.now() < einde) {
      const bezig = [...this.wachtend.values()].map((t) => t.klaar);
      await Promise.race([Promise.allSettled(bezig), new Promise((ok) => setTimeout(ok, Math.max(0, einde - Date.now())).unref())]);
      await new Promise((ok) => setImmediate(ok));
    }
    await Promise.all(this.werkers.map((w) => w.terminate()));
  }
}
