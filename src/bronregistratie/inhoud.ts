/** A version's content as the store keeps and compares it; apart from store.ts so a worker thread can make it. */
import { createHash } from 'node:crypto';

/** JSON with a stable text for equal content (object keys keep document order, which is schema order). */
export const inhoudTekst = (inhoud: unknown) => JSON.stringify(inhoud);

/** The hash a version's content is compared by: SHA-256 of its text, hex. */
export const inhoudHash = (tekst: string) => createHash('sha256').update(tekst).digest('hex');
