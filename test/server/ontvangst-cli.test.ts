/** `serve` with an `ontvangst` section whose delivery folder is missing: one sentence on stderr, exit 2, no server. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { maakPki } from '../helpers/pki.js';

it('serve refuses a delivery folder that does not exist: one sentence, exit 2', () => {
  const pki = maakPki();
  const map = mkdtempSync(join(tmpdir(), 'nb-ontvangst-cli-'));
  try {
    writeFileSync(
      join(map, 'netwerkbrug.yaml'),
      JSON.stringify({
        deelnemer: { code: '12345678' },
        bronregistratie: { database: './bron.db' },
        server: { poort: 0, tls: { certificaat: pki.server.cert, sleutel: pki.server.key, ca: pki.ca } },
        ontvangst: { aflevering: { map: './binnen' } },
      }),
    );
    const r = spawnSync(process.execPath, [...CLI, 'serve', '--config', join(map, 'netwerkbrug.yaml')], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/ontvangst\.aflevering\.map: the folder does not exist/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).not.toMatch(/luistert/);
  } finally {
    rmSync(map, { recursive: true, force: true });
    rmSync(pki.map, { recursive: true, force: true });
  }
}, 30_000);
