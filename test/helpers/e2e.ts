/**
 * Real `netwerkbrug serve` processes for the end-to-end tests: each started from its own configuration in a
 * folder of its own, on a port given or chosen, with mTLS requests made as a participant's certificate.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { CLI } from './cli.js';
import type { Certificaat, Pki } from './pki.js';

export interface Instantie {
  url: string;
  map: string;
  proces: ChildProcess;
  log: () => string;
}

/**
 * Starts `serve` with `config` (written as JSON in a new folder, or in `map`) and `argumenten` (e.g.
 * `--notificaties`), and waits until it listens.
 */
export async function startServe(config: Record<string, unknown>, map = mkdtempSync(join(tmpdir(), 'nb-e2e-')), argumenten: readonly string[] = []): Promise<Instantie> {
  writeFileSync(join(map, 'netwerkbrug.yaml'), JSON.stringify(config));
  const proces = spawn(process.execPath, [...CLI, 'serve', '--config', join(map, 'netwerkbrug.yaml'), ...argumenten], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proces.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  proces.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const t0 = Date.now();
  while (!/"adres":"https:/.test(log)) {
    if (Date.now() - t0 > 60_000 || proces.exitCode !== null) throw new Error(`serve did not start:\n${log}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return { url: /"adres":"(https:[^"]+)"/.exec(log)![1]!, map, proces, log: () => log };
}

/** A TCP port that was free a moment ago (for two instances that must know each other's address before they start). */
export async function vrijePoort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const poort = (s.address() as { port: number }).port;
  await new Promise((ok) => s.close(ok));
  return poort;
}

/** Requests over TLS against the test CA, as `als` (a client certificate) or with a bearer token. */
export function vrager(pki: Pki) {
  const agents: Agent[] = [];
  const vraag = async (url: string, o: { als?: Certificaat; body?: string; token?: string } = {}) => {
    const agent = new Agent({ connect: { ca: pki.caPem, ...(o.als ? { cert: o.als.certPem, key: o.als.keyPem } : {}) } });
    agents.push(agent);
    const r = await request(url, {
      dispatcher: agent,
      method: o.body === undefined ? 'GET' : 'POST',
      // a read names its purpose
      headers: { ...(o.body !== undefined ? { 'content-type': 'application/xml' } : { 'x-doel': 'berichtverkeer' }), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
      ...(o.body !== undefined ? { body: o.body } : {}),
    });
    return { status: r.statusCode, tekst: await r.body.text() };
  };
  return { vraag, sluit: () => Promise.all(agents.map((a) => a.close())) };
}
