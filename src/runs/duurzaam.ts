/**
 * Outputs made durable in groups, before their journal entries say so. A message's journal entry is committed
 * with its registration, before its output is written (no output may name a Sleutel the bronregistratie does not
 * hold), and marked unconfirmed (`journaal_onbevestigd`) in the same transaction. Once a group of outputs is
 * written, one syncfs(2) makes the whole file system durable, every file and rename of the group with it, and
 * the group's entries are confirmed in one transaction. A run stopped before that (killed, or a power loss)
 * writes the outputs of unconfirmed entries again when it is started again.
 *
 * Why syncfs: an fsync per file cost 4.5–8 ms on the development machine (ext4 on a virtual disk), which at
 * 200,000 outputs is longer than the whole conversion; one syncfs per group costs what the group's dirty data
 * costs to write. Node has no binding for it, so it is called through coreutils `sync -f` (Linux, coreutils
 * 8.24 or later), in a child process, off the main thread. Where that is not available the group's files and
 * their folders are fsynced one by one.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Runjournaal } from './journaal.js';

/** syncfs(2) of the file system that holds `map`; false when `sync -f` is not available or fails. */
function syncfs(map: string): Promise<boolean> {
  return new Promise((ok) => {
    const p = spawn('sync', ['-f', map], { stdio: 'ignore' });
    p.on('error', () => ok(false));
    p.on('close', (code) => ok(code === 0));
  });
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

interface Wachtend {
  invoer: string;
  pad: string;
}

export interface DuurzaamOpties {
  /** a group is made durable once this long has passed since the last one (default 2 s) */
  elkeMs?: number;
  /** or once this many outputs wait (default 10,000) */
  maxWachtend?: number;
}

export class Duurzaamheid {
  private wachtend: Wachtend[] = [];
  private lopend: Promise<void> | undefined;
  private fout: unknown;
  private sinds = Date.now();
  private syncfsWerkt = true;
  private readonly elkeMs: number;
  private readonly maxWachtend: number;

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
  }

  /** An output whose write has started (`pad`), its entry unconfirmed. */
  noteer(invoer: string, pad: string): void {
    this.wachtend.push({ invoer, pad });
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

  /** At the end of the run: every output durable and every entry confirmed. */
  async einde(): Promise<void> {
    await this.lopend;
    if (this.fout) throw this.fout;
    await this.maakDuurzaam();
  }

  private async maakDuurzaam(): Promise<void> {
    const groep = this.wachtend;
    this.wachtend = [];
    this.sinds = Date.now();
    if (!groep.length) return;
    // every write of the group was started before this point, so it is among those waited for
    await this.geschreven();
    if (!(this.syncfsWerkt && (await syncfs(this.map)))) {
      this.syncfsWerkt = false;
      await fsyncElk(groep.map((w) => w.pad));
    }
    // no transaction is open across an await in the run, so these stand alone; an entry is in one journal, and
    // confirming one that another journal holds deletes nothing
    const invoeren = groep.map((w) => w.invoer);
    for (const journaal of this.journalen) journaal.bevestig(this.run, invoeren);
  }
}
