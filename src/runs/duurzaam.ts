/**
 * Outputs made durable in groups, before their journal entries say so. A message's journal entry is committed
 * with its registration, before its output is written (no output may name a Sleutel the bronregistratie does not
 * hold), and its batch's inputs are marked unconfirmed in one row (`journaal_onbevestigd_groep`) in the same
 * transaction. Once a group of outputs is written, one syncfs(2) makes the whole file system durable, every
 * file and rename of the group with it, and the group's batches are confirmed in one statement. A run stopped
 * before that (killed, or a power loss) writes the outputs of unconfirmed entries again when it is started again.
 *
 * Why syncfs: an fsync per file cost 4.5–8 ms on the development machine (ext4 on a virtual disk), which at
 * 200,000 outputs is longer than the whole conversion; one syncfs per group costs what the group's dirty data
 * costs to write. Node has no binding for it, so it is called through coreutils `sync -f` (Linux, coreutils
 * 8.24 or later), off the main thread: by a small shell started once, at the start of the run, that runs it
 * for each folder it is given on its stdin. Spawning `sync` from the run itself would fork a process of a few
 * hundred MB every time (20–40 ms of the main thread each, measured). Where that is not available the group's
 * files and their folders are fsynced one by one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Runjournaal } from './journaal.js';

/**
 * syncfs(2) through one long-lived shell: `syncfs(map)` resolves true when `sync -f map` succeeded, false when
 * it failed or the shell is not there (then every later call is false at once).
 */
class Syncfs {
  private sh: ChildProcessWithoutNullStreams | undefined;
  private wachtend: Array<(ok: boolean) => void> = [];
  private kapot = false;

  private start(): ChildProcessWithoutNullStreams | undefined {
    if (this.kapot) return undefined;
    if (this.sh) return this.sh;
    const sh = spawn('sh', ['-c', 'while IFS= read -r d; do sync -f -- "$d" >/dev/null 2>&1; echo $?; done']);
    const stop = () => {
      this.kapot = true;
      this.sh = undefined;
      for (const w of this.wachtend.splice(0)) w(false);
    };
    sh.on('error', stop);
    sh.on('close', stop);
    sh.stdin.on('error', stop);
    sh.stderr.resume();
    createInterface({ input: sh.stdout }).on('line', (regel) => this.wachtend.shift()?.(regel.trim() === '0'));
    // the run does not wait for it: it ends when its stdin closes
    sh.unref();
    return (this.sh = sh);
  }

  /** Starts the shell now, while the process is small (it is forked once). */
  warm(): void {
    this.start();
  }

  syncfs(map: string): Promise<boolean> {
    const sh = /[\n\r]/.test(map) ? undefined : this.start();
    if (!sh) return Promise.resolve(false);
    return new Promise((ok) => {
      this.wachtend.push(ok);
      sh.stdin.write(`${map}\n`);
    });
  }

  sluit(): void {
    this.sh?.stdin.end();
    this.sh = undefined;
  }
}

/** The fallback: each file and each folder they are in, fsynced. */
async function fsyncElk(paden: readonly string[]): Promise<void> {
  for (const pad of new Set([...paden, ...paden.map((p) => dirname(p))])) {
    const f = await open(pad, 'r');
    try {
      await f.sync();
    } finally {
      await f.close();
    }
  }
}


export interface DuurzaamOpties {
  /** a group is made durable once this long has passed since the last one (default 2 s) */
  elkeMs?: number;
  /** or once this many outputs wait (default 10,000) */
  maxWachtend?: number;
}

export class Duurzaamheid {
  /** the paths of the outputs written since the last group (for the fallback, an fsync each) */
  private wachtend: string[] = [];
  private lopend: Promise<void> | undefined;
  private fout: unknown;
  private sinds = Date.now();
  private syncfsWerkt = true;
  private readonly sync = new Syncfs();
  private readonly elkeMs: number;
  private readonly maxWachtend: number;
  /** the groups of earlier attempts of the run are numbered up to this one; this attempt's come after */
  private readonly vanGroep: number;
  /** the last group this attempt numbered, and the last one confirmed */
  private groep: number;
  private bevestigd: number;

  /**
   * `map`: where the outputs are (its file system is synced); `journalen`: the run's journals (an entry is in the
   * one of the store its message registered in); `geschreven`: resolves when every output write started so far
   * is done (the run's Runuitvoer.wacht).
   */
  constructor(
    private readonly map: string,
    private readonly run: string,
    private readonly journalen: readonly Runjournaal[],
    private readonly geschreven: () => Promise<void>,
    opties: DuurzaamOpties = {},
  ) {
    this.elkeMs = opties.elkeMs ?? 2000;
    this.maxWachtend = opties.maxWachtend ?? 10_000;
    this.vanGroep = this.groep = this.bevestigd = Math.max(0, ...journalen.map((j) => j.laatsteGroep(run)));
    this.sync.warm();
  }

  /** The number of the next batch's group (its inputs are marked under it, in the batch's transaction). */
  volgendeGroep(): number {
    return ++this.groep;
  }

  /** An output whose write has started (`pad`), its entry unconfirmed in the current group. */
  noteer(pad: string): void {
    this.wachtend.push(pad);
  }

  /** After a batch: starts making the waiting outputs durable when it is time and no group is under way. */
  naBatch(): void {
    if (this.fout) throw this.fout;
    if (this.lopend || !this.wachtend.length) return;
    if (this.wachtend.length < this.maxWachtend && Date.now() - this.sinds < this.elkeMs) return;
    this.lopend = this.maakDuurzaam()
      .catch((e: unknown) => {
        this.fout ??= e;
      })
      .finally(() => (this.lopend = undefined));
  }

  /** At the end of the run: every output durable, and no unconfirmed group of the run left (of any attempt). */
  async einde(): Promise<void> {
    await this.lopend;
    if (this.fout) throw this.fout;
    await this.maakDuurzaam();
    for (const journaal of this.journalen) journaal.bevestigAlles(this.run);
  }

  /** Stops the sync shell (after `einde`, or when the run stops on an error). */
  sluit(): void {
    this.sync.sluit();
  }

  private async maakDuurzaam(): Promise<void> {
    const paden = this.wachtend;
    this.wachtend = [];
    this.sinds = Date.now();
    // every group numbered so far had its outputs' writes started before this point
    const tot = this.groep;
    if (!paden.length && tot === this.bevestigd) return;
    await this.geschreven();
    if (paden.length && !(this.syncfsWerkt && (await this.sync.syncfs(this.map)))) {
      this.syncfsWerkt = false;
      await fsyncElk(paden);
    }
    // no transaction is open across an await in the run, so this stands alone; a group is in one journal
    for (const journaal of this.journalen) journaal.bevestig(this.run, Math.max(this.vanGroep, this.bevestigd), tot);
    this.bevestigd = tot;
  }
}
