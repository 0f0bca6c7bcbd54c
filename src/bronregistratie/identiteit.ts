/**
 * The identity index keys records by a keyed hash (HMAC-SHA256) of object, owner and natural identity
 * (which holds a client BSN). The secret lives outside the database: a leaked database alone cannot be
 * searched for a BSN, because the 10^8 valid BSNs cannot be tried without the secret.
 * The secret comes from NETWERKBRUG_IDENTITEITSGEHEIM (64 hex characters) or from the file `<database>.geheim`,
 * created with mode 0600 on first use.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';
import { NetwerkbrugFout } from '../fout.js';

export function laadGeheim(databasePad: string): Buffer {
  const env = process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  if (env) {
    if (!/^[0-9a-fA-F]{64}$/.test(env)) {
      throw new NetwerkbrugFout('GEBRUIK', 'NETWERKBRUG_IDENTITEITSGEHEIM must be 64 hexadecimal characters (32 bytes)', { bestand: 'environment' });
    }
    return Buffer.from(env, 'hex');
  }
  if (databasePad === ':memory:') return randomBytes(32);
  const pad = `${databasePad}.geheim`;
  if (!existsSync(pad)) {
    try {
      // 'wx': exactly one process creates it; a concurrent creator reads the winner's secret below
      const fd = openSync(pad, 'wx', 0o600);
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
      fsyncSync(fd);
      closeSync(fd);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const hex = readFileSync(pad, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new NetwerkbrugFout('GEBRUIK', 'identity secret file is damaged: expected 64 hexadecimal characters', { bestand: pad });
  }
  return Buffer.from(hex, 'hex');
}

export function identiteitHash(geheim: Buffer, object: string, eigenaar: string, delen: readonly string[]): string {
  const h = createHmac('sha256', geheim);
  for (const d of [object, eigenaar, ...delen]) h.update(`${d.length}:${d}|`);
  return h.digest('hex');
}
