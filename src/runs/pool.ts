/**
 * A run's worker threads: reading and validation spread over them. Each worker validates with its own libxml2
 * instance; the main thread names the inputs ahead of time, in small batches, and gets bytes and verdicts back
 * in input order, so a run does its bronregistratie work (serial by nature) while the other cores read,
 * validate and plan what comes next. The workers also write a run's outputs. Without a pool the same
 * interface reads and validates in the calling thread. The threads are the generic Werkpool's; their task is
 * runs/taak.ts.
 */
import { leesInvoer, type InvoerItem } from '../archief/invoer.js';
import { NetwerkbrugFout, type FoutCode, type Plaats } from '../fout.js';
import type { GeplandBericht } from '../omzetten/uitgaand.js';
import type { Config } from '../config/typen.js';
import { herken } from '../bericht/herkenning.js';
import { heeftBom } from '../bericht/lezen.js';
import type { BerichtKop } from '../bericht/kop.js';
import type { SchemaRegister } from '../bericht/schemas.js';
import { valideerBericht, type Validatiefout, type Validatieresultaat } from '../bericht/validatie.js';
import { Werkpool, zusterModule } from '../werkers/pool.js';
import type { Identiteitsgeheimen } from '../bronregistratie/eigenaren.js';

/** A message to read and validate: by path, or (a zip entry) as bytes. */
interface TeValideren {
  bestand: string;
  bytes?: Uint8Array;
}

export type Runopdracht = { soort: 'valideer'; berichten: TeValideren[] } | { soort: 'schrijf'; bestanden: Array<{ pad: string; inhoud: Uint8Array | string }> };

export interface Startgegevens {
  schemas: string;
  config?: Config;
  /** the stores' identity secrets: a worker makes each planned object's identity hash (see runs/taak.ts) */
  geheimen?: Identiteitsgeheimen;
}

/** A worker's verdict on one message, as it crosses to the main thread (which detects the message again, see `voorbereid`). */
export type Uitslag =
  | { soort: 'leesfout'; leesfout: { code: FoutCode; tekst: string; plaats?: Plaats } }
  | ({
      /** the bytes the worker read (a file; a zip entry's bytes came from the main thread) */
      bytes?: Uint8Array;
    } & (
      | { soort: 'geldig'; kop: BerichtKop; gepland?: GeplandBericht }
      | { soort: 'ongeldig'; fouten: Validatiefout[]; kop?: BerichtKop; herkend: boolean }
    ));

export interface Runuitslag {
  uitslagen?: Uitslag[];
  /** a write that failed: the file, the system's error code (ENOSPC, EROFS, ...) and text */
  fout?: { pad: string; code?: string; tekst: string };
}

/** The task module of the threads, beside this one (compiled, or the source when the tests run it). */
const TAAK = zusterModule(import.meta.url, './taak');
/** Items per thread message: enough to make its cost small, few enough to keep every worker busy. */
const PER_OPDRACHT = 16;

/** A small young generation per worker (as the bin sets for the main thread) keeps a long run's memory low. */
const JONGE_GENERATIE_MB = 6;

/** A message read and validated: its bytes and the verdict, or why its bytes could not be read. */
export type Voorbereid =
  | {
      leesfout?: undefined;
      bytes: Buffer;
      validatie: Validatieresultaat;
      /** with a conversion plan: the plan of a valid message, made in the worker */
      gepland?: GeplandBericht;
    }
  | { leesfout: NetwerkbrugFout; bytes?: undefined; validatie?: undefined; gepland?: undefined };

export class Runpool {
  private readonly pool: Werkpool<Startgegevens, Runopdracht, Runuitslag>;
  private teSchrijven: Array<{ pad: string; inhoud: Uint8Array | string; ok: () => void; nok: (e: unknown) => void }> = [];

  /**
   * With `config`, the workers also plan each valid message's conversion; with the stores' `geheimen`
   * (`Eigenaarregistraties.identiteitsgeheimen`, same process) they also make the planned objects' identity hashes.
   */
  constructor(readonly register: SchemaRegister, aantal: number, config?: Config, geheimen?: Identiteitsgeheimen) {
    this.pool = new Werkpool({ taak: TAAK, data: { schemas: register.map, ...(config ? { config } : {}), ...(geheimen ? { geheimen } : {}) }, aantal, jongeGeneratieMb: JONGE_GENERATIE_MB });
  }

  /** Reads (files by path, in the worker) and validates a batch; results come back in the batch's order. */
  async valideer(berichten: TeValideren[]): Promise<Voorbereid[]> {
    const u = await this.pool.stuur({ soort: 'valideer', berichten });
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

  /**
   * Writes always go to the first worker: threads that create files in one folder at the same time contend for
   * that folder's lock in the kernel (measured on 20,000 outputs: 1.6 s of system time against 1.3 s with one
   * writer). Validation goes to the least busy worker.
   */
  private schrijfUit(): void {
    const groep = this.teSchrijven;
    if (!groep.length) return;
    this.teSchrijven = [];
    this.pool.stuur({ soort: 'schrijf', bestanden: groep.map(({ pad, inhoud }) => ({ pad, inhoud })) }, 0).then(
      (u) => {
        // the failure keeps its code and path, so a full or read-only disk is told as such (cli/main.ts)
        const fout = u.fout && Object.assign(new Error(`cannot write ${u.fout.pad}: ${u.fout.tekst}`), { code: u.fout.code, path: u.fout.pad });
        for (const s of groep) fout ? s.nok(fout) : s.ok();
      },
      (e: unknown) => {
        for (const s of groep) s.nok(e);
      },
    );
  }

  /** A verdict made whole again in this thread: the decoded text and the detected message. */
  private voorbereid(b: TeValideren, v: Uitslag): Voorbereid {
    const { bestand } = b;
    if (v.soort === 'leesfout') return { leesfout: new NetwerkbrugFout(v.leesfout.code, v.leesfout.tekst, v.leesfout.plaats) };
    const bytes = v.bytes ? Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength) : (b.bytes as Buffer);
    if (v.soort === 'ongeldig') {
      const bericht = v.kop && v.herkend ? herken(v.kop, this.register, bestand) : undefined;
      return { bytes, validatie: { bestand, geldig: false, fouten: v.fouten, ...(v.kop ? { kop: v.kop } : {}), ...(bericht ? { bericht } : {}) } };
    }
    const bericht = herken(v.kop, this.register, bestand);
    const bom = heeftBom(bytes);
    // decoded when first asked for: most messages are delivered as they came and never need their text here
    let tekst: string | undefined;
    const gelezen = { bestand, bytes, bom, get tekst() { return (tekst ??= bytes.toString('utf8', bom ? 3 : 0)); } };
    return { bytes, validatie: { bestand, geldig: true, fouten: [], kop: v.kop, gelezen, bericht }, ...(v.gepland ? { gepland: v.gepland } : {}) };
  }

  sluit(): Promise<void> {
    return this.pool.sluit();
  }
}

/** An input item; a message comes with its bytes (or why they could not be read) and its verdict. */
export type VoorbereidItem = Exclude<InvoerItem, { soort: 'bericht' }> | (Extract<InvoerItem, { soort: 'bericht' }> & Voorbereid);

/**
 * Reads and validates inputs ahead (up to `vooruit` items), in the pool or, without one, in this thread;
 * yields every item in input order, each message with its bytes and verdict.
 */
export async function* valideerVooruit(items: AsyncIterable<InvoerItem>, register: SchemaRegister, pool?: Runpool, vooruit = 256): AsyncGenerator<VoorbereidItem> {
  if (!pool) {
    for await (const item of items) yield item.soort === 'bericht' ? { ...item, ...(await leesEnValideer(item.invoer, register)) } : item;
    return;
  }
  type Bericht = Extract<InvoerItem, { soort: 'bericht' }>;
  /** Up to PER_OPDRACHT messages sent to a worker together; their verdicts come back together. */
  interface Groep {
    opdrachten: TeValideren[];
    klaar?: Promise<Voorbereid[]>;
    /** the verdicts, once they are back */
    uitslagen?: Voorbereid[];
  }
  /**
   * An item in input order; a message with its verdict to come (the `i`-th of its group's), or known at once (a zip
   * entry that cannot be read). One promise per group, not per message: the hand-over makes less garbage.
   */
  type Plek = { item: Exclude<InvoerItem, { soort: 'bericht' }> } | { item: Bericht; klaar: Voorbereid } | { item: Bericht; groep: Groep; i: number };
  const rij: Plek[] = [];
  let open: Groep = { opdrachten: [] };
  const verstuur = () => {
    const groep = open;
    if (!groep.opdrachten.length) return;
    open = { opdrachten: [] };
    groep.klaar = pool.valideer(groep.opdrachten);
    // a failure is thrown where the group's first message is yielded; until then it is not unhandled
    groep.klaar.then(
      (u) => (groep.uitslagen = u),
      () => undefined,
    );
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
      if (item.soort !== 'bericht') {
        rij.push({ item });
        continue;
      }
      const opdracht: TeValideren = { bestand: item.invoer.bestand };
      if (item.invoer.zip) {
        // a zip entry is read here, in archive order; a file is read by the worker
        const gelezen = await lees(item.invoer);
        if (gelezen.leesfout) {
          rij.push({ item, klaar: gelezen });
          continue;
        }
        opdracht.bytes = gelezen.bytes;
      }
      rij.push({ item, groep: open, i: open.opdrachten.push(opdracht) - 1 });
      if (open.opdrachten.length >= PER_OPDRACHT) verstuur();
    }
    // a part group goes out only when the next item to yield waits for it (or the input has ended)
    const voorste = rij[0];
    if (op || (voorste && 'groep' in voorste && voorste.groep === open)) verstuur();
    const kop = rij.shift();
    if (!kop) return;
    if ('groep' in kop) {
      const { groep, i } = kop;
      yield { ...kop.item, ...(groep.uitslagen ?? (await groep.klaar!))[i]! };
    } else yield 'klaar' in kop ? { ...kop.item, ...kop.klaar } : kop.item;
  }
}

type Invoer = Extract<InvoerItem, { soort: 'bericht' }>['invoer'];

/** Reads a message: its bytes, or the NetwerkbrugFout that says why it cannot be read. */
async function lees(invoer: Invoer): Promise<{ bytes: Buffer; leesfout?: undefined } | { leesfout: NetwerkbrugFout; bytes?: undefined }> {
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
