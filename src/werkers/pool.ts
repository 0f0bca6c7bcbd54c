/**
 * Reading and validation spread over worker threads. Each worker validates with its own libxml2 instance;
 * the main thread names the inputs ahead of time, in small batches, and gets bytes and verdicts back in
 * input order, so a run does its bronregistratie work (serial by nature) while the other cores read,
 * validate and plan what comes next. The workers also write a run's outputs. Without a pool the same
 * interface reads and validates in the calling thread.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { leesInvoer, type InvoerItem } from '../archief/invoer.js';
import { NetwerkbrugFout, type FoutCode, type Plaats } from '../fout.js';
import type { GeplandBericht } from '../omzetten/verwerking.js';
import { PAKKET_ROOT } from '../pakket.js';
import type { Config } from '../plan/config.js';
import { herken } from '../bericht/herkenning.js';
import { heeftBom } from '../bericht/lezen.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type Validatiefout, type Validatieresultaat } from '../bericht/validatie.js';

/** A message to read and validate: by path, or (a zip entry) as bytes. */
interface TeValideren {
  bestand: string;
  bytes?: Uint8Array;
}

type Opdracht = { soort: 'valideer'; berichten: TeValideren[] } | { soort: 'schrijf'; bestanden: Array<{ pad: string; inhoud: Uint8Array | string }> };

export type Werkopdracht = Opdracht & { id: number };

export interface Uitslag {
  geldig?: boolean;
  fouten?: Validatiefout[];
  kop?: BerichtKop;
  herkend?: boolean;
  /** the bytes the worker read */
  bytes?: Uint8Array;
  gepland?: GeplandBericht;
  leesfout?: { code: FoutCode; tekst: string; plaats?: Plaats };
}

export interface Werkuitslag {
  id: number;
  uitslagen?: Uitslag[];
  /** a write that failed */
  fout?: string;
}

/** The compiled worker (tests run the sources, but a worker thread needs JavaScript: `npm run build` makes it). */
const WERKER = join(PAKKET_ROOT, 'dist', 'src', 'werkers', 'werker.js');
/** Items per thread message: enough to make its cost small, few enough to keep every worker busy. */
const PER_OPDRACHT = 16;

/** A small young generation per worker (as the bin sets for the main thread) keeps a long run's memory low. */
const JONGE_GENERATIE_MB = 6;

/** The default number of workers: one per core. */
export const standaardWerkers = () => availableParallelism();

/** A message read and validated: its bytes (or why they could not be read) and the verdict. */
export interface Voorbereid {
  bytes?: Buffer;
  leesfout?: NetwerkbrugFout;
  validatie?: Validatieresultaat;
  /** with a conversion plan: the plan of a valid message, made in the worker */
  gepland?: GeplandBericht;
}

export class Werkpool {
  private readonly werkers: Worker[] = [];
  private readonly wachtend = new Map<number, { ok: (u: Werkuitslag) => void; nok: (e: unknown) => void; werker: number }>();
  private readonly bezig: number[] = [];
  private volgende = 0;
  private fout: unknown;
  private teSchrijven: Array<{ pad: string; inhoud: Uint8Array | string; ok: () => void; nok: (e: unknown) => void }> = [];

  /** With `config`, the workers also plan each valid message's conversion. */
  constructor(readonly register: SchemaRegister, aantal: number, config?: Config) {
    for (let i = 0; i < aantal; i++) {
      const w = new Worker(WERKER, { workerData: { schemas: register.map, ...(config ? { config } : {}) }, resourceLimits: { maxYoungGenerationSizeMb: JONGE_GENERATIE_MB } });
      w.on('message', (u: Werkuitslag) => {
        const taak = this.wachtend.get(u.id)!;
        this.wachtend.delete(u.id);
        this.bezig[taak.werker]!--;
        taak.ok(u);
      });
      w.on('error', (e) => this.stop(e));
      w.on('exit', (code) => code !== 0 && this.stop(new Error(`worker thread ended with exit code ${code}`)));
      this.werkers.push(w);
      this.bezig.push(0);
    }
  }

  /** Reads (files by path, in the worker) and validates a batch; results come back in the batch's order. */
  async valideer(berichten: TeValideren[]): Promise<Voorbereid[]> {
    const u = await this.stuur({ soort: 'valideer', berichten });
    return u.uitslagen!.map((v, i) => this.voorbereid(berichten[i]!, v));
  }

  /** Writes a file atomically in a worker; writes are sent in batches. */
  schrijf(pad: string, inhoud: Uint8Array | string): Promise<void> {
    return new Promise((ok, nok) => {
      this.teSchrijven.push({ pad, inhoud, ok, nok });
      if (this.teSchrijven.length >= PER_OPDRACHT) this.schrijfUit();
      else if (this.teSchrijven.length === 1) setImmediate(() => this.schrijfUit());
    });
  }

  private schrijfUit(): void {
    const groep = this.teSchrijven;
    if (!groep.length) return;
    this.teSchrijven = [];
    this.stuur({ soort: 'schrijf', bestanden: groep.map(({ pad, inhoud }) => ({ pad, inhoud })) }).then(
      (u) => {
        for (const s of groep) u.fout ? s.nok(new Error(`cannot write ${u.fout}`)) : s.ok();
      },
      (e: unknown) => {
        for (const s of groep) s.nok(e);
      },
    );
  }

  /**
   * Sends validation to the least busy worker, writes always to the first: threads that create files in one
   * folder at the same time contend for that folder's lock in the kernel (measured on 20,000 outputs: 1.6 s of
   * system time against 1.3 s with one writer).
   */
  private stuur(opdracht: Opdracht): Promise<Werkuitslag> {
    if (this.fout) return Promise.reject(this.fout);
    const id = this.volgende++;
    let werker = 0;
    if (opdracht.soort === 'valideer') for (let i = 1; i < this.bezig.length; i++) if (this.bezig[i]! < this.bezig[werker]!) werker = i;
    this.bezig[werker]!++;
    return new Promise<Werkuitslag>((ok, nok) => {
      this.wachtend.set(id, { ok, nok, werker });
      this.werkers[werker]!.postMessage({ ...opdracht, id } satisfies Werkopdracht);
    });
  }

  /** A verdict made whole again in this thread: the decoded text and the detected message. */
  private voorbereid(b: TeValideren, v: Uitslag): Voorbereid {
    const { bestand } = b;
    if (v.leesfout) return { leesfout: new NetwerkbrugFout(v.leesfout.code, v.leesfout.tekst, v.leesfout.plaats) };
    const bytes = v.bytes ? Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength) : (b.bytes as Buffer);
    const bericht = v.kop && v.herkend ? herken(v.kop, this.register, bestand) : undefined;
    if (!v.geldig || !v.kop || !bericht) {
      return { bytes, validatie: { bestand, geldig: false, fouten: v.fouten ?? [], ...(v.kop ? { kop: v.kop } : {}), ...(bericht ? { bericht } : {}) } };
    }
    const bom = heeftBom(bytes);
    // decoded when first asked for: most messages are delivered as they came and never need their text here
    let tekst: string | undefined;
    const gelezen = { bestand, bytes, bom, get tekst() { return (tekst ??= bytes.toString('utf8', bom ? 3 : 0)); } };
    return { bytes, validatie: { bestand, geldig: true, fouten: [], kop: v.kop, gelezen, bericht }, ...(v.gepland ? { gepland: v.gepland } : {}) };
  }

  private stop(e: unknown): void {
    this.fout ??= e;
    for (const t of this.wachtend.values()) t.nok(e);
    this.wachtend.clear();
  }

  async sluit(): Promise<void> {
    await Promise.all(this.werkers.map((w) => w.terminate()));
  }
}

/** An input item; a message comes with its bytes (or why they could not be read) and its verdict. */
export type VoorbereidItem = Exclude<InvoerItem, { soort: 'bericht' }> | (Extract<InvoerItem, { soort: 'bericht' }> & Voorbereid);

/**
 * Reads and validates inputs ahead (up to `vooruit` items), in the pool or, without one, in this thread;
 * yields every item in input order, each message with its bytes and verdict.
 */
export async function* valideerVooruit(items: AsyncIterable<InvoerItem>, register: SchemaRegister, pool?: Werkpool, vooruit = 256): AsyncGenerator<VoorbereidItem> {
  if (!pool) {
    for await (const item of items) yield item.soort === 'bericht' ? { ...item, ...(await leesEnValideer(item.invoer, register)) } : item;
    return;
  }
  interface Plek {
    item: VoorbereidItem;
    klaar?: Promise<void>;
  }
  const rij: Plek[] = [];
  let open: Array<{ plek: Plek; opdracht: TeValideren }> = [];
  const verstuur = () => {
    if (!open.length) return;
    const groep = open;
    open = [];
    const klaar = pool.valideer(groep.map((g) => g.opdracht));
    for (const [i, g] of groep.entries()) g.plek.klaar = klaar.then((r) => void Object.assign(g.plek.item, r[i]!));
  };
  const bron = items[Symbol.asyncIterator]();
  let op = false;
  for (;;) {
    while (!op && rij.length < vooruit) {
      const n = await bron.next();
      if (n.done) {
        op = true;
        break;
      }
      const item = n.value;
      const plek: Plek = { item: { ...item } };
      rij.push(plek);
      if (item.soort !== 'bericht') continue;
      const opdracht: TeValideren = { bestand: item.invoer.bestand };
      if (item.invoer.zip) {
        // a zip entry is read here, in archive order; a file is read by the worker
        const gelezen = await lees(item.invoer);
        if (gelezen.leesfout) {
          Object.assign(plek.item, gelezen);
          continue;
        }
        opdracht.bytes = gelezen.bytes;
      }
      open.push({ plek, opdracht });
      if (open.length >= PER_OPDRACHT) verstuur();
    }
    // a part batch goes out only when the next item to yield waits for it (or the input has ended)
    if (op || (rij[0] && open.some((g) => g.plek === rij[0]))) verstuur();
    const kop = rij.shift();
    if (!kop) return;
    await kop.klaar;
    yield kop.item;
  }
}

type Invoer = Extract<InvoerItem, { soort: 'bericht' }>['invoer'];

/** Reads a message: its bytes, or the NetwerkbrugFout that says why it cannot be read. */
async function lees(invoer: Invoer): Promise<{ bytes: Buffer; leesfout?: undefined } | { leesfout: NetwerkbrugFout }> {
  try {
    return { bytes: await leesInvoer(invoer) };
  } catch (e) {
    if (!(e instanceof NetwerkbrugFout)) throw e;
    return { leesfout: e };
  }
}

async function leesEnValideer(invoer: Invoer, register: SchemaRegister): Promise<Voorbereid> {
  const gelezen = await lees(invoer);
  return gelezen.leesfout ? gelezen : { bytes: gelezen.bytes, validatie: valideerBericht(gelezen.bytes, invoer.bestand, register) };
}
