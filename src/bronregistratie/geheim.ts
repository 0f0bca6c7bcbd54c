/**
 * The identity secret and its database belong together. The secret keys the identity index (identiteit.ts)
 * and lives outside the database: `NETWERKBRUG_IDENTITEITSGEHEIM` (64 hex characters) or the file
 * `<database>.geheim` (mode 0600). The database holds a verifier of its secret in `meta`
 * (`identiteitsgeheim_verificatie`: an HMAC-SHA256 of a fixed label under the secret, which tells nothing about
 * the secret itself), so a lost or swapped secret is refused instead of silently giving every identity a new
 * Sleutel.
 *
 * - A new secret is made only together with a new, empty database (no records, no verifier).
 * - A database with records or a verifier opens only with its own secret.
 * - A database made before verifiers (records, no verifier) gets its verifier on first open with its existing
 *   secret.
 */
import type Database from 'better-sqlite3';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { NetwerkbrugFout } from '../fout.js';
import { heeftTabel, leesMeta } from './verbinding.js';

export const GEHEIM_OMGEVING = 'NETWERKBRUG_IDENTITEITSGEHEIM';
const VERIFICATIE = 'identiteitsgeheim_verificatie';
const LABEL = 'netwerkbrug:identiteitsgeheim:verificatie:v1';

/** The file that holds a database's secret when the environment does not. */
export const geheimBestand = (databasePad: string) => `${databasePad}.geheim`;

/** Where the secret of a database comes from, for messages: the environment variable or the file. */
export function geheimHerkomst(databasePad: string): string {
  return process.env[GEHEIM_OMGEVING] ? GEHEIM_OMGEVING : geheimBestand(databasePad);
}

/** The verifier of a secret as stored in `meta`. */
export function verificatieVan(geheim: Buffer): string {
  return createHmac('sha256', geheim).update(LABEL).digest('hex');
}

/** Reads the secret (environment first, then the file); `undefined` when there is none. Never creates one. */
export function leesGeheim(databasePad: string): Buffer | undefined {
  const env = process.env[GEHEIM_OMGEVING];
  if (env) {
    if (!/^[0-9a-fA-F]{64}$/.test(env)) {
      throw new NetwerkbrugFout('GEBRUIK', `${GEHEIM_OMGEVING} must be 64 hexadecimal characters (32 bytes)`, { bestand: 'environment' });
    }
    return Buffer.from(env, 'hex');
  }
  const pad = geheimBestand(databasePad);
  let hex: string;
  try {
    hex = readFileSync(pad, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NetwerkbrugFout('GEBRUIK', `identity secret file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { bestand: pad });
  }
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new NetwerkbrugFout('GEBRUIK', 'identity secret file is damaged: expected 64 hexadecimal characters; restore it from your backup', { bestand: pad });
  }
  return Buffer.from(hex, 'hex');
}

/** Creates `<database>.geheim` (mode 0600); a concurrent creator's file wins and is read back. */
function maakGeheim(databasePad: string): Buffer {
  const pad = geheimBestand(databasePad);
  try {
    const fd = openSync(pad, 'wx', 0o600);
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return leesGeheim(databasePad)!;
}


/** The verifier stored in a database, if any. */
export function opgeslagenVerificatie(db: Database.Database): string | undefined {
  return leesMeta(db, VERIFICATIE);
}

/** Whether the database holds any record (whose identity depends on the secret). */
export function heeftRecords(db: Database.Database): boolean {
  return heeftTabel(db, 'record') && db.prepare('SELECT 1 FROM record LIMIT 1').get() !== undefined;
}

/** Whether `geheim` is the secret whose verifier is `verificatie`. */
export function pastBij(geheim: Buffer, verificatie: string): boolean {
  const a = Buffer.from(verificatieVan(geheim), 'hex');
  const b = Buffer.from(verificatie, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const ontbreekt = (databasePad: string) =>
  new NetwerkbrugFout(
    'GEBRUIK',
    `the database has records but its identity secret ${geheimBestand(databasePad)} is missing: restore the secret from your backup (or set ${GEHEIM_OMGEVING}); a new secret would give every record a new Sleutel`,
    { bestand: databasePad },
  );

const verkeerd = (databasePad: string) =>
  new NetwerkbrugFout(
    'GEBRUIK',
    `the identity secret (${geheimHerkomst(databasePad)}) is not the one this database was made with: restore the database's own secret from your backup`,
    { bestand: databasePad },
  );

export interface Koppelopties {
  /** may make a new secret when the database is empty (never for a command that only reads) */
  aanmaken?: boolean;
  /** the connection cannot write: a missing verifier is not stored */
  alleenLezen?: boolean;
}

/**
 * The secret of an open database, checked against its verifier; stores the verifier when the database has
 * none yet (a new database, or one made before verifiers). Refuses (exit 2, one sentence) a missing or wrong
 * secret for a database that depends on one. Call with the `meta` table in place (the store makes it).
 */
export function koppelGeheim(db: Database.Database, databasePad: string, opties: Koppelopties = {}): Buffer {
  const opgeslagen = opgeslagenVerificatie(db);
  if (databasePad === ':memory:' && !opgeslagen && !process.env[GEHEIM_OMGEVING]) {
    const geheim = randomBytes(32);
    if (!opties.alleenLezen) bewaarVerificatie(db, geheim);
    return geheim;
  }
  let geheim = leesGeheim(databasePad);
  if (opgeslagen) {
    if (!geheim) throw ontbreekt(databasePad);
    if (!pastBij(geheim, opgeslagen)) throw verkeerd(databasePad);
    return geheim;
  }
  if (!geheim) {
    // a secret is made only for a database nothing depends on yet
    if (heeftRecords(db)) throw ontbreekt(databasePad);
    // reading an empty database needs no secret: nothing in it was keyed with one
    if (opties.alleenLezen) return randomBytes(32);
    if (!opties.aanmaken) {
      throw new NetwerkbrugFout('GEBRUIK', `the database has no identity secret (${geheimBestand(databasePad)} or ${GEHEIM_OMGEVING})`, { bestand: databasePad });
    }
    geheim = maakGeheim(databasePad);
  }
  if (!opties.alleenLezen) bewaarVerificatie(db, geheim);
  return geheim;
}

/** Stores the verifier unless one is there; a concurrent opener's verifier must then match. */
function bewaarVerificatie(db: Database.Database, geheim: Buffer): void {
  db.prepare('INSERT OR IGNORE INTO meta (sleutel, waarde) VALUES (?, ?)').run(VERIFICATIE, verificatieVan(geheim));
  const opgeslagen = opgeslagenVerificatie(db)!;
  if (!pastBij(geheim, opgeslagen)) throw new NetwerkbrugFout('GEBRUIK', 'another process stored a different identity secret for this database at the same moment', { bestand: db.name });
}

/**
 * The verified secret bytes of an open bronregistratie database, for anything keyed from it (the audit chain).
 * Never makes a secret; open the database through `Bronregistratie` first, which stores the verifier.
 */
export function geverifieerdGeheim(db: Database.Database, databasePad: string): Buffer {
  return koppelGeheim(db, databasePad, { aanmaken: false, alleenLezen: db.readonly });
}
