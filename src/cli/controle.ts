/**
 * `netwerkbrug config controleer`: checks a configuration before a service starts with it. The schema and the
 * date rules (as every command loads it), then the files it names: TLS certificates, keys and CAs readable and
 * parseable (a key that fits its certificate, a certificate not expired), the database folder present and
 * writable, the identity secret well-formed and private, the quarantine folder usable, the adresboek's CA
 * files. It opens no database, starts nothing and creates nothing. Every problem is one sentence.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { NetwerkbrugFout } from '../fout.js';
import { instellingen } from '../notificaties/instellingen.js';
import { laadConfig } from '../config/laden.js';
import { STANDAARD_CONFIG } from '../config/standaard.js';
import type { Config } from '../config/typen.js';

export interface Controle {
  bestand: string;
  /** one sentence per problem */
  problemen: string[];
  /** what was checked and found in order */
  inOrde: string[];
}

const foutcode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? '';
const reden = (e: unknown) => {
  const code = foutcode(e);
  return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
};

export function controleerConfig(pad?: string): Controle {
  const bestand = pad ?? STANDAARD_CONFIG;
  const c: Controle = { bestand, problemen: [], inOrde: [] };
  if (!existsSync(bestand)) {
    c.problemen.push(`The configuration file ${bestand} does not exist (write one with: netwerkbrug init).`);
    return c;
  }
  let config: Config;
  try {
    config = laadConfig(bestand);
  } catch (e) {
    if (!(e instanceof NetwerkbrugFout)) throw e;
    const [kop, ...regels] = e.message.split('\n').map((r) => r.trim());
    if (regels.length) for (const r of regels) c.problemen.push(`Schema: ${r}.`);
    else c.problemen.push(`${e.plaats?.regel !== undefined ? `Line ${e.plaats.regel}: ` : ''}${kop}.`);
    return c;
  }
  c.inOrde.push('schema');
  try {
    instellingen(config);
  } catch (e) {
    if (!(e instanceof NetwerkbrugFout)) throw e;
    c.problemen.push(`${e.message}.`);
  }

  const s = config.server;
  if (s) {
    const cert = certificaat(c, 'server.tls.certificaat', s.tls.certificaat);
    const key = leesPrivateKey(c, 'server.tls.sleutel', s.tls.sleutel);
    if (cert && key && !cert.checkPrivateKey(key)) c.problemen.push(`server.tls.sleutel (${s.tls.sleutel}) is not the key of server.tls.certificaat.`);
    certificaat(c, 'server.tls.ca', s.tls.ca);
    if (s.tls.clientCertificaat || s.tls.clientSleutel) {
      const cc = s.tls.clientCertificaat ? certificaat(c, 'server.tls.clientCertificaat', s.tls.clientCertificaat) : cert;
      const cs = s.tls.clientSleutel ? leesPrivateKey(c, 'server.tls.clientSleutel', s.tls.clientSleutel) : key;
      if (cc && cs && !cc.checkPrivateKey(cs)) c.problemen.push('server.tls.clientSleutel is not the key of the client certificate.');
    }
    if (s.tokens?.publiekeSleutel) leesPublicKey(c, 'server.tokens.publiekeSleutel', s.tokens.publiekeSleutel);
    if (s.tokens?.jwks) jwks(c, 'server.tokens.jwks', s.tokens.jwks);
    if (!s.tokens && Object.keys(s.deelnemers ?? {}).length === 0) {
      c.problemen.push('server.deelnemers is empty and there are no tokens: no client would be recognised (add the fingerprints of the participants\' certificates).');
    }
    map(c, 'server.quarantaine', s.quarantaine!, true);
  }
  for (const [code, adres] of Object.entries(config.adresboek)) {
    if (adres.ca) certificaat(c, `adresboek.${code}.ca`, adres.ca);
  }
  if (config.ontvangst?.aflevering.map !== undefined) map(c, 'ontvangst.aflevering.map', config.ontvangst.aflevering.map);
  database(c, config.bronregistratie.database);
  const eigen = Object.entries(config.bronregistratie.eigenaren ?? {});
  for (const [code, e] of eigen) database(c, e.database, `bronregistratie.eigenaren.${code}.database`);
  if (eigen.length && process.env.NETWERKBRUG_IDENTITEITSGEHEIM) c.problemen.push('NETWERKBRUG_IDENTITEITSGEHEIM is set while bronregistratie.eigenaren keeps a database per owner: every owner would get the same identity secret; unset it (each owner\'s secret is the file beside its database).');
  return c;
}

function lees(c: Controle, instelling: string, pad: string): Buffer | undefined {
  try {
    return readFileSync(pad);
  } catch (e) {
    c.problemen.push(`${instelling}: ${pad} ${reden(e)}.`);
    return undefined;
  }
}

function certificaat(c: Controle, instelling: string, pad: string): X509Certificate | undefined {
  const pem = lees(c, instelling, pad);
  if (!pem) return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    c.problemen.push(`${instelling}: ${pad} is not a PEM certificate.`);
    return undefined;
  }
  const tot = new Date(cert.validTo);
  if (tot.getTime() < Date.now()) c.problemen.push(`${instelling}: the certificate in ${pad} expired on ${tot.toISOString().slice(0, 10)}.`);
  else if (new Date(cert.validFrom).getTime() > Date.now()) c.problemen.push(`${instelling}: the certificate in ${pad} is not valid before ${new Date(cert.validFrom).toISOString().slice(0, 10)}.`);
  else c.inOrde.push(instelling);
  return cert;
}

function leesPrivateKey(c: Controle, instelling: string, pad: string): KeyObject | undefined {
  const pem = lees(c, instelling, pad);
  if (!pem) return undefined;
  let k: KeyObject;
  try {
    k = createPrivateKey(pem);
  } catch {
    c.problemen.push(`${instelling}: ${pad} is not an unencrypted PEM private key.`);
    return undefined;
  }
  const modus = statSync(pad).mode & 0o777;
  if (modus & 0o007) c.problemen.push(`${instelling}: ${pad} can be read by every user (mode ${modus.toString(8).padStart(4, '0')}); make it 0600 or 0640.`);
  else c.inOrde.push(instelling);
  return k;
}

function leesPublicKey(c: Controle, instelling: string, pad: string): void {
  const pem = lees(c, instelling, pad);
  if (!pem) return;
  try {
    createPublicKey(pem);
    c.inOrde.push(instelling);
  } catch {
    c.problemen.push(`${instelling}: ${pad} is not a PEM public key.`);
  }
}

function jwks(c: Controle, instelling: string, pad: string): void {
  const tekst = lees(c, instelling, pad);
  if (!tekst) return;
  try {
    const set = JSON.parse(tekst.toString('utf8')) as { keys?: unknown };
    if (!Array.isArray(set.keys) || set.keys.length === 0) throw new Error('no keys');
    c.inOrde.push(instelling);
  } catch {
    c.problemen.push(`${instelling}: ${pad} is not a JWK set (a JSON object with a non-empty keys array).`);
  }
}

/** A folder this process may create files in; `magOntbreken`: a missing folder is fine if its parent is one. */
function map(c: Controle, instelling: string, pad: string, magOntbreken = false): boolean {
  let st;
  try {
    st = statSync(pad);
  } catch (e) {
    if (foutcode(e) === 'ENOENT' && magOntbreken) return map(c, instelling, dirname(pad));
    c.problemen.push(`${instelling}: the folder ${pad} ${foutcode(e) === 'ENOENT' ? 'does not exist' : 'cannot be read'}.`);
    return false;
  }
  if (!st.isDirectory()) {
    c.problemen.push(`${instelling}: ${pad} is not a folder.`);
    return false;
  }
  try {
    accessSync(pad, constants.W_OK | constants.X_OK);
  } catch {
    c.problemen.push(`${instelling}: the folder ${pad} is not writable for this user (uid ${process.getuid?.() ?? '?'}); run the check as the service's user.`);
    return false;
  }
  c.inOrde.push(instelling);
  return true;
}

function database(c: Controle, db: string, instelling = 'bronregistratie.database'): void {
  if (!map(c, instelling, dirname(db))) return;
  const bestaat = existsSync(db);
  if (bestaat) {
    try {
      accessSync(db, constants.R_OK | constants.W_OK);
    } catch {
      c.problemen.push(`${instelling}: ${db} is not writable for this user.`);
    }
    // it holds personal data (the records), and so do its WAL files beside it
    const modus = statSync(db).mode & 0o777;
    if (modus & 0o007) c.problemen.push(`${instelling}: ${db} can be read by every user (mode ${modus.toString(8).padStart(4, '0')}); make it 0600 or 0640 (the unit's UMask=0077 does so for new files).`);
  }
  const env = process.env.NETWERKBRUG_IDENTITEITSGEHEIM;
  if (env) {
    if (!/^[0-9a-fA-F]{64}$/.test(env)) c.problemen.push('NETWERKBRUG_IDENTITEITSGEHEIM must be 64 hexadecimal characters (32 bytes).');
    else c.inOrde.push('identity secret (environment)');
    return;
  }
  const geheim = `${db}.geheim`;
  if (!existsSync(geheim)) {
    // a new secret would be made at first use; with records already there it would not find them
    if (bestaat) c.problemen.push(`The identity secret ${geheim} is missing while the database exists: restore it from its backup (a new secret would not find the existing records).`);
    return;
  }
  const modus = statSync(geheim).mode & 0o777;
  if (modus !== 0o600) c.problemen.push(`The identity secret ${geheim} has mode ${modus.toString(8).padStart(4, '0')}; it must be 0600.`);
  let hex = '';
  try {
    hex = readFileSync(geheim, 'utf8').trim();
  } catch (e) {
    c.problemen.push(`The identity secret ${geheim} ${reden(e)}.`);
    return;
  }
  if (!/^[0-9a-f]{64}$/i.test(hex)) c.problemen.push(`The identity secret ${geheim} is damaged: expected 64 hexadecimal characters.`);
  else if (modus === 0o600) c.inOrde.push('identity secret');
}
