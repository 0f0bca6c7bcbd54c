export { maakPki, type Certificaat, type Pki } from '../../scripts/pki.js';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import type { Pki } from '../../scripts/pki.js';

/**
 * A token issuer for the tests: an ES256 key pair whose public key (SPKI PEM) is written into the PKI's folder
 * as `naam`, for `tokens.publiekeSleutel`; the private key signs the tokens.
 */
export async function tokenUitgever(pki: Pki, naam = 'token.pub.pem'): Promise<{ sleutel: CryptoKey; pub: string }> {
  const paar = await generateKeyPair('ES256');
  const pub = join(pki.map, naam);
  writeFileSync(pub, await exportSPKI(paar.publicKey));
  return { sleutel: paar.privateKey, pub };
}
