import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laadConfig, leesConfig } from '../../src/config/laden.js';

const tls = { certificaat: 'pki/server.pem', sleutel: 'pki/server.key', ca: 'pki/ca.pem' };

describe('serve configuration', () => {
  it('resolves the server\'s files against the configuration file and normalises fingerprints', () => {
    const map = mkdtempSync(join(tmpdir(), 'nb-config-'));
    const pad = join(map, 'netwerkbrug.yaml');
    writeFileSync(
      pad,
      JSON.stringify({
        server: {
          tls: { ...tls, clientCertificaat: 'pki/client.pem' },
          deelnemers: { '12345678': { certificaten: ['ab'.repeat(32)] } },
          tokens: { uitgever: 'https://auth.test', publiek: 'https://bron.test', jwks: 'jwks.json' },
        },
      }),
    );
    const c = laadConfig(pad);
    expect(c.server?.tls).toEqual({ certificaat: join(map, 'pki/server.pem'), sleutel: join(map, 'pki/server.key'), ca: join(map, 'pki/ca.pem'), clientCertificaat: join(map, 'pki/client.pem') });
    expect(c.server?.tokens?.jwks).toBe(join(map, 'jwks.json'));
    expect(c.server?.quarantaine).toBe(join(map, 'quarantaine'));
    expect(c.server?.deelnemers?.['12345678']?.certificaten).toEqual([Array(32).fill('AB').join(':')]);
  });

  it('names every wrong key of the server section', () => {
    const fout = () => leesConfig({ server: { tls: { ...tls, certficaat: 'x' }, poort: 'acht' } });
    expect(fout).toThrow(/server\.tls\.certficaat: is not a known key/);
    expect(fout).toThrow(/server\.poort: expected integer/);
    expect(() => leesConfig({ server: { tls, deelnemers: { '123': {} } } })).toThrow(/server\.deelnemers\.123: is not a counterpart code/);
    expect(() => leesConfig({ server: { tls, deelnemers: { '0344': { certificaten: ['nee'] } } } })).toThrow(/server\.deelnemers\.0344\.certificaten\.0/);
    expect(() => leesConfig({ server: { tls, tokens: { uitgever: 'a', publiek: 'b' } } })).toThrow(/server\.tokens/);
    expect(() => leesConfig({ server: { poort: 8443 } })).toThrow(/server: must have required property 'tls'/);
  });
});
