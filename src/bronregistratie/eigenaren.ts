/**
 * Technical separation per owner. A sidecar that serves several owners (a software house hosting gemeenten,
 * `bronregistratie.eigenaren` in the configuration) keeps each owner's records in a database file of its own,
 * keyed by an identity secret of its own (the file beside it, geheim.ts): one owner's database, secret, audit
 * log or backup says nothing about another's, and neither can be read with the other's secret.
 *
 * - `kiesDatabase`: the one database a command works on (`--db`, else the owner's named with `--eigenaar`,
 *   else `bronregistratie.database`).
 * - `Eigenaarregistraties`: `convert` over an archive of several owners: each message registers in its owner's
 *   database, its journal entry in the same transaction; a message of an owner that is not listed registers
 *   nothing (the core quarantines it). Without `eigenaren` it is the one database, as before.
 */
import type Database from 'better-sqlite3';
import type { Wet } from '../bericht/catalogus.js';
import { isDeelnemercode } from '../config/schema.js';
import type { Config } from '../config/typen.js';
import { NetwerkbrugFout } from '../fout.js';
import { GEHEIM_OMGEVING, opgeslagenVerificatie } from './geheim.js';
import type { Hashgeheim } from './identiteit.js';
import { Bronregistratie, type Beeindiging, type Registratie, type Registratieresultaat } from './store.js';
import type { Openopties } from './verbinding.js';

/** The owners that have a database of their own (empty: one database for every owner). */
export const eigenaren = (config: Config): string[] => Object.keys(config.bronregistratie.eigenaren ?? {});

export interface Databasekeuze {
  pad: string;
  /** the owner whose database it is, when owners are separated */
  eigenaar?: string;
}

/**
 * The database of a command: `--db` when given; with owners separated, the database of the owner named by
 * `--eigenaar` (a command that is not told which owner is refused: it must not guess); else
 * `bronregistratie.database`, where `--eigenaar` may only name `deelnemer.code` (anything else is refused, not
 * ignored).
 */
export function kiesDatabase(config: Config, opties: { db?: string | undefined; eigenaar?: string | undefined }): Databasekeuze {
  const codes = eigenaren(config);
  const bestand = config.bestand ?? '(configuration)';
  // one database: --eigenaar can only name its owner; another code would be ignored, so it is refused
  if (codes.length === 0 && opties.eigenaar !== undefined && opties.eigenaar !== config.deelnemer?.code) {
    throw new NetwerkbrugFout(
      'GEBRUIK',
      `--eigenaar ${isDeelnemercode(opties.eigenaar) ? opties.eigenaar : '(not a participant code)'}: this configuration keeps one database (no bronregistratie.eigenaren)${config.deelnemer?.code ? `, of ${config.deelnemer.code}` : ''}; leave --eigenaar out`,
      { bestand },
    );
  }
  if (codes.length === 0 || opties.db !== undefined) {
    if (opties.eigenaar !== undefined && codes.length > 0 && !codes.includes(opties.eigenaar)) throw nietBediend(opties.eigenaar, codes, bestand);
    return { pad: opties.db ?? config.bronregistratie.database, ...(opties.eigenaar !== undefined && codes.length ? { eigenaar: opties.eigenaar } : {}) };
  }
  eisEigenGeheimen(bestand);
  if (opties.eigenaar === undefined) {
    throw new NetwerkbrugFout('GEBRUIK', `this configuration keeps a database per owner (bronregistratie.eigenaren: ${codes.join(', ')}): name the owner with --eigenaar`, { bestand });
  }
  if (!codes.includes(opties.eigenaar)) throw nietBediend(opties.eigenaar, codes, bestand);
  return { pad: config.bronregistratie.eigenaren![opties.eigenaar]!.database, eigenaar: opties.eigenaar };
}

const nietBediend = (eigenaar: string, codes: string[], bestand: string) =>
  new NetwerkbrugFout('GEBRUIK', `--eigenaar ${isDeelnemercode(eigenaar) ? eigenaar : '(not a participant code)'} is not one of bronregistratie.eigenaren (${codes.join(', ')})`, { bestand });

/** One secret in the environment would key every owner's database alike: with owners separated, each has its file. */
function eisEigenGeheimen(bestand: string): void {
  if (process.env[GEHEIM_OMGEVING]) {
    throw new NetwerkbrugFout(
      'GEBRUIK',
      `${GEHEIM_OMGEVING} would give every owner's database the same identity secret; with bronregistratie.eigenaren each owner's secret is the file beside its database: unset the variable`,
      { bestand },
    );
  }
}

/** Two owners' databases with the same secret (a copied secret file) are refused: the separation would be a name only. */
function eisVerschillendeGeheimen(stores: ReadonlyArray<[string, Bronregistratie]>, bestand: string): void {
  const gezien = new Map<string, string>();
  for (const [eigenaar, store] of stores) {
    const v = opgeslagenVerificatie(store.verbinding);
    if (v === undefined) continue;
    const ander = gezien.get(v);
    if (ander !== undefined) {
      throw new NetwerkbrugFout('GEBRUIK', `the databases of owners ${ander} and ${eigenaar} have the same identity secret; each owner needs its own (a new database makes its own secret file)`, { bestand });
    }
    gezien.set(v, eigenaar);
  }
}

/** The stores' identity secrets by owner (`Eigenaarregistraties.identiteitsgeheimen`). */
export interface Identiteitsgeheimen {
  standaard?: Hashgeheim;
  perEigenaar: Record<string, Hashgeheim>;
}

/**
 * The stores of a run over messages of several owners, and the one place that picks among them. It offers
 * what the sending core needs of a bronregistratie (registreer, zoekSleutel, beeindigOntbrekende, transactie,
 * bedient), so the core does not know that there is more than one.
 */
export class Eigenaarregistraties {
  /** the database of `bronregistratie.database`: the journal of messages that register nothing; every owner's records when owners are not separated */
  readonly standaard: Bronregistratie;
  private readonly perEigenaar: Map<string, Bronregistratie>;
  /** the stores in a fixed order: the default first */
  readonly alle: Bronregistratie[];
  /** the store the message in hand registered in (its journal entry goes there, in the same transaction) */
  private geraakt: Bronregistratie | undefined;
  /** inside `batchZonderSavepoints`: a message's writes go straight into the batch's transaction */
  private zonderSavepoints = false;

  private constructor(standaard: Bronregistratie, perEigenaar: ReadonlyMap<string, Bronregistratie>) {
    this.standaard = standaard;
    this.perEigenaar = new Map(perEigenaar);
    this.alle = [standaard, ...perEigenaar.values()];
  }

  /** Opens the default database and every listed owner's (refusing one secret for two owners). */
  static open(config: Config, opties: { db?: string | undefined } & Openopties = {}): Eigenaarregistraties {
    const codes = eigenaren(config);
    const bestand = config.bestand ?? '(configuration)';
    const { db, ...open } = opties;
    if (codes.length) eisEigenGeheimen(bestand);
    const standaard = new Bronregistratie(db ?? config.bronregistratie.database, open);
    const perEigenaar = new Map<string, Bronregistratie>();
    try {
      for (const code of codes) perEigenaar.set(code, new Bronregistratie(config.bronregistratie.eigenaren![code]!.database, { ...open, eigenaar: code }));
      eisVerschillendeGeheimen([...perEigenaar], bestand);
    } catch (e) {
      new Eigenaarregistraties(standaard, perEigenaar).sluit();
      throw e;
    }
    return new Eigenaarregistraties(standaard, perEigenaar);
  }

  /** One database for every owner (a store opened elsewhere). */
  static enkel(store: Bronregistratie): Eigenaarregistraties {
    return new Eigenaarregistraties(store, new Map());
  }

  /** Whether owners have databases of their own. */
  get gescheiden(): boolean {
    return this.perEigenaar.size > 0;
  }

  /** Whether this installation keeps the records of `eigenaar`: every owner in one database, or a listed one. */
  bedient(eigenaar: string): boolean {
    return !this.gescheiden || this.perEigenaar.has(eigenaar);
  }

  /**
   * The identity secret of each store, for a run's worker threads to make identity hashes with (runs/taak.ts):
   * `standaard` when every owner is in one database, else per owner.
   */
  identiteitsgeheimen(): Identiteitsgeheimen {
    if (!this.gescheiden) return { standaard: this.standaard.hashgeheim, perEigenaar: {} };
    return { perEigenaar: Object.fromEntries([...this.perEigenaar].map(([e, s]) => [e, s.hashgeheim])) };
  }

  /** The store of an owner's records. */
  voor(eigenaar: string): Bronregistratie {
    if (!this.gescheiden) return this.standaard;
    const store = this.perEigenaar.get(eigenaar);
    // the core asks `bedient` before it registers anything: reaching here is a bug, not an input
    if (!store) throw new NetwerkbrugFout('INTERNE_FOUT', 'a record of an owner without a database of its own was about to be registered');
    return store;
  }

  private raak(eigenaar: string): Bronregistratie {
    const store = this.voor(eigenaar);
    this.geraakt = store;
    return store;
  }

  registreer(r: Registratie, nu?: string): Registratieresultaat {
    return this.raak(r.eigenaar).registreer(r, nu);
  }

  zoekSleutel(wet: Wet, object: string, eigenaar: string, identiteit: readonly string[], hash?: string): string | undefined {
    return this.raak(eigenaar).zoekSleutel(wet, object, eigenaar, identiteit, hash);
  }

  beeindigOntbrekende(b: Beeindiging, nu?: string): string[] {
    return this.raak(b.eigenaar).beeindigOntbrekende(b, nu);
  }

  /**
   * One message: a savepoint in every store, so whatever it registered anywhere is undone together. The store
   * it touched is known inside only: a message outside one (nothing to register) journals in the default store.
   * In `batchZonderSavepoints`, no savepoint: a message that throws undoes its batch (`Batchherhaling`).
   */
  transactie<T>(fn: () => T): T {
    this.geraakt = undefined;
    try {
      if (this.zonderSavepoints) {
        try {
          return fn();
        } catch (e) {
          throw new Batchherhaling(e);
        }
      }
      return this.alle.reduceRight<() => T>((binnen, store) => () => store.transactie(binnen), fn)();
    } finally {
      this.geraakt = undefined;
    }
  }

  /**
   * A batch of messages: one write transaction in every store, committed one after the other when `fn`
   * returns (each message's registration and journal entry are in one store, so a stop between two commits
   * leaves every message whole in one store or absent, and a new run completes it).
   */
  batch<T>(fn: () => T): T {
    return this.alle.reduceRight<() => T>((binnen, store) => () => store.batch(binnen), fn)();
  }

  /**
   * `batch`, first without a savepoint per message: nearly every message of a run registers whole, and a
   * savepoint costs its release and a copy of every page it changes (a fifth of `convert`'s main thread, see
   * docs/speed.md). When a message throws inside its `transactie`, the whole batch is rolled back and done
   * again with a savepoint per message, where the message is undone alone as always. So `fn` runs once or twice
   * and must do the same both times: everything it writes is in the stores' transactions.
   */
  batchZonderSavepoints<T>(fn: () => T): T {
    this.zonderSavepoints = true;
    try {
      return this.batch(fn);
    } catch (e) {
      if (!(e instanceof Batchherhaling)) throw e;
    } finally {
      this.zonderSavepoints = false;
    }
    return this.batch(fn);
  }

  /** The connection for the journal entry of the message in hand: the store it registered in, else the default. */
  get journaalverbinding(): Database.Database {
    return (this.geraakt ?? this.standaard).verbinding;
  }

  sluit(): void {
    for (const store of this.alle) {
      try {
        store.sluit();
      } catch {
        // closing the others still matters
      }
    }
  }
}

/** A message threw inside a batch without savepoints: the batch is undone and done again with them. */
class Batchherhaling extends Error {
  constructor(oorzaak: unknown) {
    super('a message of the batch is undone: the batch is done again with a savepoint per message', { cause: oorzaak });
    this.name = 'Batchherhaling';
  }
}
