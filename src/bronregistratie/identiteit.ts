/**
 * The identity index keys records by a keyed hash (HMAC-SHA256) of law, object, owner and natural identity
 * (which holds a client BSN). The secret lives outside the database: a leaked database alone cannot be
 * searched for a BSN, because the 10^8 valid BSNs cannot be tried without the secret.
 * Where the secret comes from, and how it is tied to its database: geheim.ts.
 *
 * The law goes in as an outer HMAC over the law-free hash of schema v3 (`identiteitHashZonderWet`), so the
 * same person under the Wmo and under the Jeugdwet has two unrelated keys, and a v3 database can be migrated
 * without the natural identity (which it never stored): wetHash(secret, law, v3 hash).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Wet } from '../bericht/catalogus.js';

/** The identity hash of schema v3 (no law); still the inner part of the v4 hash. */
export function identiteitHashZonderWet(geheim: Buffer, object: string, eigenaar: string, delen: readonly string[]): string {
  // one update of the parts joined: the same HMAC as one update per part, with one call into node:crypto
  let tekst = `${object.length}:${object}|${eigenaar.length}:${eigenaar}|`;
  for (const d of delen) tekst += `${d.length}:${d}|`;
  return createHmac('sha256', geheim).update(tekst).digest('hex');
}

/** A law-free hash (v3) made a law's hash (v4). */
export function wetHash(geheim: Buffer, wet: Wet, zonderWet: string): string {
  return createHmac('sha256', geheim).update(`wet:${wet}|${zonderWet}`).digest('hex');
}

export function identiteitHash(geheim: Buffer, wet: Wet, object: string, eigenaar: string, delen: readonly string[]): string {
  return wetHash(geheim, wet, identiteitHashZonderWet(geheim, object, eigenaar, delen));
}

/** The keyed hash of a snapshot group (momentopname): the identity hash of `<object>#groep` and the group. */
export function groepHash(geheim: Buffer, wet: Wet, object: string, eigenaar: string, groep: readonly string[]): string {
  return identiteitHash(geheim, wet, `${object}#groep`, eigenaar, groep);
}

/**
 * How a database lays out its identity and group hashes (schema v7, issue 13; kept in `meta` as `sleutelvorm`):
 *
 * - `object`: as before v7, one HMAC per object (`identiteitHash`, `groepHash`). Every record of a person lands in
 *   a random place of the identity index, and every snapshot group (one per object) in a random place of the
 *   snapshot tables: a 301 with four objects touches some eight random pages of them.
 * - `persoon`: the first half is a keyed hash of the person (the first part of the natural identity, the
 *   client's BSN; for a group, the group), the second half the object's own: `personDeel ‖ objectDeel`, 128 bits
 *   each, as long as before. A person's records and groups lie side by side in their indexes, so the objects of one
 *   message share a page. It links the records of one person within one owner, as the person index
 *   (`betrokkene`) already does; without the secret it is as opaque as the identity index.
 *
 * A database made by v7 is `persoon`; one made before keeps `object` (its hashes cannot be made again without the
 * natural identities it never stored).
 */
export type Sleutelvorm = 'object' | 'persoon';

/** Whether a person's records are one range of the identity index (`persoon`): then no person index is kept beside it (inzage.ts). */
export const identiteitIsPersonenindex = (vorm: Sleutelvorm): boolean => vorm === 'persoon';

/** A store's identity secret and the layout of its hashes: what a run's worker needs to make them. */
export interface Hashgeheim {
  geheim: Uint8Array;
  vorm: Sleutelvorm;
}

/** The last person's half made (the objects of one message share it). */
let laatstePersoon: { geheim: Buffer; sleutel: string; deel: string } | undefined;

/**
 * The person's half of a `persoon` hash: of the law, the owner and the parts that name the person. Every record of
 * a person (the first part of its natural identity) under one law and owner has an identity hash that starts with
 * it, so in such a database the identity index is a person index too (inzage.ts).
 */
export function persoonsdeel(geheim: Buffer, wet: Wet, eigenaar: string, delen: readonly string[]): string {
  const sleutel = JSON.stringify([wet, eigenaar, delen]);
  if (laatstePersoon?.sleutel !== sleutel || !laatstePersoon.geheim.equals(geheim)) {
    laatstePersoon = { geheim, sleutel, deel: identiteitHash(geheim, wet, '#persoon', eigenaar, delen).slice(0, 32) };
  }
  return laatstePersoon.deel;
}

/** The identity index's key of an object's natural identity, in the database's layout. */
export function identiteitSleutel(vorm: Sleutelvorm, geheim: Buffer, wet: Wet, object: string, eigenaar: string, delen: readonly string[]): string {
  const eigen = identiteitHash(geheim, wet, object, eigenaar, delen);
  return vorm === 'object' ? eigen : persoonsdeel(geheim, wet, eigenaar, delen.slice(0, 1)) + eigen.slice(0, 32);
}

/** A snapshot group's key, in the database's layout. */
export function groepSleutel(vorm: Sleutelvorm, geheim: Buffer, wet: Wet, object: string, eigenaar: string, groep: readonly string[]): string {
  const eigen = groepHash(geheim, wet, object, eigenaar, groep);
  return vorm === 'object' ? eigen : persoonsdeel(geheim, wet, eigenaar, groep) + eigen.slice(0, 32);
}

/** The key of the person index (inzage.ts), derived from the identity secret (HKDF). */
export const inzageSleutel = (geheim: Buffer) => Buffer.from(hkdfSync('sha256', geheim, Buffer.alloc(0), 'netwerkbrug inzage v1', 32));

/** A person's keyed hash within one owner, for the person index: HMAC(inzage key, owner ‖ BSN). */
export function persoonHash(sleutel: Buffer, eigenaar: string, bsn: string): string {
  return createHmac('sha256', sleutel).update(`${eigenaar.length}:${eigenaar}|${bsn.length}:${bsn}|`).digest('hex');
}
