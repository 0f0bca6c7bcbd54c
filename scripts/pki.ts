/**
 * A throw-away PKI made with the openssl CLI (tests and bench:serve): a CA, a server certificate for 127.0.0.1/localhost,
 * client certificates per participant, and a second CA ("elders") whose certificates must be refused.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificaat {
  cert: string;
  key: string;
  /** PEM contents */
  certPem: Buffer;
  keyPem: Buffer;
  vingerafdruk: string;
}

export interface Pki {
  map: string;
  ca: string;
  caPem: Buffer;
  server: Certificaat;
  /** a certificate of `ca` for a CN (and optional AGB/gemeente code in the CN) */
  client(naam: string): Certificaat;
  /** a certificate of another CA */
  elders(naam: string): Certificaat;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

function maakCa(map: string, naam: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${naam}.key`, '-out', `${naam}.pem`, '-days', '2', '-subj', `/CN=${naam}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], map);
}

function teken(map: string, ca: string, naam: string, cn: string, ext: string): Certificaat {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${naam}.key`, '-out', `${naam}.csr`, '-subj', `/CN=${cn}`], map);
  writeFileSync(join(map, `${naam}.ext`), ext);
  openssl(['x509', '-req', '-in', `${naam}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${naam}.pem`, '-days', '2', '-extfile', `${naam}.ext`], map);
  const cert = join(map, `${naam}.pem`);
  const key = join(map, `${naam}.key`);
  const certPem = readFileSync(cert);
  return { cert, key, certPem, keyPem: readFileSync(key), vingerafdruk: new X509Certificate(certPem).fingerprint256 };
}

const BEIDE = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n';

export function maakPki(): Pki {
  const map = mkdtempSync(join(tmpdir(), 'nb-pki-'));
  mkdirSync(map, { recursive: true });
  maakCa(map, 'ca');
  maakCa(map, 'elders-ca');
  const server = teken(map, 'ca', 'server', 'localhost', `${BEIDE}subjectAltName=IP:127.0.0.1,DNS:localhost\n`);
  return {
    map,
    ca: join(map, 'ca.pem'),
    caPem: readFileSync(join(map, 'ca.pem')),
    server,
    client: (naam) => teken(map, 'ca', `client-${naam}`, naam, BEIDE),
    elders: (naam) => teken(map, 'elders-ca', `elders-${naam}`, naam, BEIDE),
  };
}
