/**
 * The identity index keys records by a keyed hash (HMAC-SHA256) of object, owner and natural identity
 * (which holds a client BSN). The secret lives outside the database: a leaked database alone cannot be
 * searched for a BSN, because the 10^8 valid BSNs cannot be tried without the secret.
 * Where the secret comes from, and how it is tied to its database: geheim.ts.
 */
import { createHmac } from 'node:crypto';

export function identiteitHash(geheim: Buffer, object: string, eigenaar: string, delen: readonly string[]): string {
  const h = createHmac('sha256', geheim);
  for (const d of [object, eigenaar, ...delen]) h.update(`${d.length}:${d}|`);
  return h.digest('hex');
}
