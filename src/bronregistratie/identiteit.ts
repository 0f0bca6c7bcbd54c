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
  const h = createHmac('sha256', geheim);
  for (const d of [object, eigenaar, ...delen]) h.update(`${d.length}:${d}|`);
  return h.digest('hex');
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

/** The key of the person index (inzage.ts), derived from the identity secret (HKDF). */
export const inzageSleutel = (geheim: Buffer) => Buffer.from(hkdfSync('sha256', geheim, Buffer.alloc(0), 'netwerkbrug inzage v1', 32));

/** A person's keyed hash within one owner, for the person index: HMAC(inzage key, owner ‖ BSN). */
export function persoonHash(sleutel: Buffer, eigenaar: string, bsn: string): string {
  return createHmac('sha256', sleutel).update(`${eigenaar.length}:${eigenaar}|${bsn.length}:${bsn}|`).digest('hex');
}
