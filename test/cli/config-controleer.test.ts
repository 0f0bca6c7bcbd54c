import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alsGebruiker, CLI, netwerkbrug } from '../helpers/cli.js';
import { maakPki, type Pki } from '../helpers/pki.js';

let pki: Pki;
const mappen: string[] = [];
beforeAll(() => {
  pki = maakPki();
  mappen.push(pki.map);
});
afterAll(() => {
  for (const m of mappen) rmSync(m, { recursive: true, force: true });
});

/** A configuration written by init, its TLS files and deelnemers filled in: in order. */
function opzet(): { map: string; config: string } {
  const map = mkdtempSync(join(tmpdir(), 'nb-controleer-'));
  mappen.push(map);
  expect(netwerkbrug(['init', '--rol', 'gemeente', '--code', '0344', '--data', './data'], map).status).toBe(0);
  mkdirSync(join(map, 'data'));
  const config = join(map, 'netwerkbrug.yaml');
  const tekst = readFileSync(config, 'utf8')
    .replace('certificaat: ./tls/server.pem', `certificaat: ${pki.server.cert}`)
    .replace('sleutel: ./tls/server.key', `sleutel: ${pki.server.key}`)
    .replace(/^    ca: .\/tls\/ca.pem$/m, `    ca: ${pki.ca}`)
    .replace(/^  deelnemers: \{\}$/m, `  deelnemers: { "0344": { certificaten: ["${pki.server.vingerafdruk}"] } }`)
    .replace(/^adresboek: \{\}$/m, `adresboek: { "12345678": { basisUrl: "https://127.0.0.1:9444", ca: ${JSON.stringify(pki.ca)} } }`);
  writeFileSync(config, tekst);
  return { map, config };
}

/** Every file and folder below `map`, to see that a check creates nothing. */
const inhoud = (map: string) => readdirSync(map, { recursive: true }).map(String).sort();

describe('netwerkbrug config controleer', () => {
  it('says a complete configuration is in order, exit 0, and creates nothing', () => {
    const { map, config } = opzet();
    const voor = inhoud(map);
    const r = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/in order \(schema, server\.tls\.certificaat, server\.tls\.sleutel, server\.tls\.ca, /);
    expect(inhoud(map)).toEqual(voor); // no database, no identity secret, no quarantine folder
  });

  it('finds a missing certificate and a CA file that is no certificate, one sentence each, exit 2', () => {
    const { map, config } = opzet();
    writeFileSync(join(map, 'geen-ca.pem'), 'not a certificate\n');
    writeFileSync(config, readFileSync(config, 'utf8').replace(pki.server.cert, join(map, 'weg.pem')).replace(`ca: ${JSON.stringify(pki.ca)}`, 'ca: ./geen-ca.pem'));
    const voor = inhoud(map);
    const r = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([`server.tls.certificaat: ${join(map, 'weg.pem')} does not exist.`, `adresboek.12345678.ca: ${join(map, 'geen-ca.pem')} is not a PEM certificate.`]);
    expect(r.stderr).toMatch(/2 problems/);
    expect(inhoud(map)).toEqual(voor);
  });

  it('finds a key that is not the certificate\'s, and a database and identity secret readable by others', () => {
    const { map, config } = opzet();
    const ander = pki.client('ander');
    writeFileSync(config, readFileSync(config, 'utf8').replace(pki.server.key, ander.key));
    writeFileSync(join(map, 'data', 'netwerkbrug.db'), '', { mode: 0o644 });
    chmodSync(join(map, 'data', 'netwerkbrug.db'), 0o644);
    writeFileSync(join(map, 'data', 'netwerkbrug.db.geheim'), `${'ab'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(join(map, 'data', 'netwerkbrug.db.geheim'), 0o644);
    const r = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/server\.tls\.sleutel \(.*\) is not the key of server\.tls\.certificaat\./);
    expect(r.stdout).toMatch(/identity secret .*netwerkbrug\.db\.geheim has mode 0644; it must be 0600\./);
    expect(r.stdout).toMatch(/^bronregistratie\.database: .*netwerkbrug\.db can be read by every user \(mode 0644\)/m);
  });

  it('checks the receiving folder (ontvangst.aflevering.map): in order when it is there, one sentence when it is not', () => {
    const { map, config } = opzet();
    writeFileSync(config, `${readFileSync(config, 'utf8')}\nontvangst:\n  aflevering: { map: ./legacy-in }\n`);
    const zonder = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(zonder.status).toBe(2);
    expect(zonder.stdout).toContain(`ontvangst.aflevering.map: the folder ${join(map, 'legacy-in')} does not exist.`);
    mkdirSync(join(map, 'legacy-in'));
    const met = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(met.status, met.stdout + met.stderr).toBe(0);
    expect(met.stdout).toMatch(/ontvangst\.aflevering\.map/);
  });

  it('finds a database whose identity secret is missing', () => {
    const { map, config } = opzet();
    writeFileSync(join(map, 'data', 'netwerkbrug.db'), '', { mode: 0o600 });
    const r = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stdout.trim()).toMatch(/^The identity secret .*netwerkbrug\.db\.geheim is missing while the database exists/);
    expect(inhoud(map)).not.toContain('data/netwerkbrug.db.geheim');
  });

  it('finds a database folder that does not exist, and one that is not writable', () => {
    const { map, config } = opzet();
    rmSync(join(map, 'data'), { recursive: true });
    const weg = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(weg.status).toBe(2);
    expect(weg.stdout).toContain(`bronregistratie.database: the folder ${join(map, 'data')} does not exist.`);
    expect(inhoud(map)).toEqual(['netwerkbrug.yaml']);

    // not writable: a folder of mode 0555, checked as an ordinary user (root may write anywhere)
    const alleenLezen = mkdtempSync(join(tmpdir(), 'nb-controleer-'));
    mappen.push(alleenLezen);
    chmodSync(alleenLezen, 0o755);
    mkdirSync(join(alleenLezen, 'data'), { mode: 0o555 });
    chmodSync(join(alleenLezen, 'data'), 0o555);
    const bestand = join(alleenLezen, 'netwerkbrug.yaml');
    writeFileSync(bestand, 'bronregistratie: { database: ./data/bron.db }\n', { mode: 0o644 });
    const root = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [...CLI, 'config', 'controleer', '--config', bestand], { encoding: 'utf8', ...(root ? alsGebruiker(65534, 65534) : {}) });
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^bronregistratie\.database: the folder .*\/data is not writable for this user \(uid \d+\); run the check as the service's user\.$/m);
    expect(inhoud(alleenLezen)).toEqual(['data', 'netwerkbrug.yaml']);
  });

  it('reports schema errors by key, and a file that does not exist', () => {
    const { map, config } = opzet();
    writeFileSync(config, readFileSync(config, 'utf8').replace('poort: 8443', 'poort: "acht"').replace('logniveau: info', 'logniveau: info\n  kleur: paars'));
    const r = netwerkbrug(['config', 'controleer', '--config', config]);
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['Schema: server.kleur: is not a known key.', 'Schema: server.poort: expected integer.']);
    const geen = netwerkbrug(['config', 'controleer', '--config', join(map, 'geen.yaml')]);
    expect(geen.status).toBe(2);
    expect(geen.stdout).toMatch(/does not exist \(write one with: netwerkbrug init\)/);
    expect(inhoud(map)).toEqual(['data', 'netwerkbrug.yaml']);
  });
});
