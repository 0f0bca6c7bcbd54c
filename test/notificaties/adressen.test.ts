import { describe, expect, it } from 'vitest';
import { Sinkbeleid } from '../../src/notificaties/adressen.js';

describe('sinks may not point at internal addresses unless allowed', () => {
  const beleid = new Sinkbeleid();

  it('refuses private, loopback, link-local, unspecified and multicast literals, IPv4 and IPv6, IPv4-mapped included', async () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/x',
      'https://172.20.0.1/x',
      'https://192.168.1.1/x',
      'https://127.0.0.1/x',
      'https://0.0.0.0/x',
      'https://224.0.0.1/x',
      'https://[::1]/x',
      'https://[::]/x',
      'https://[fe80::1]/x',
      'https://[fd00::1]/x',
      'https://[ff02::1]/x',
      'https://[::ffff:169.254.169.254]/x',
      'https://[::ffff:7f00:1]/x',
    ]) {
      expect(await beleid.controleer(url), url).toMatch(/internal address/);
    }
    for (const url of ['https://93.184.216.34/x', 'https://[2606:2800:220:1::1]/x']) expect(await beleid.controleer(url), url).toBeUndefined();
  });

  it('checks the addresses a name resolves to, at subscription time and when connecting', async () => {
    expect(await beleid.controleer('https://localhost:8443/x')).toMatch(/internal address/);
    const fout = await new Promise<NodeJS.ErrnoException | null>((ok) => beleid.lookup('localhost', {}, (e) => ok(e)));
    expect(fout?.code).toBe('ESINKINTERN');
  });

  it('allows the networks of notificaties.interneSinks, and loopback in development mode', async () => {
    const toegestaan = new Sinkbeleid(['10.1.0.0/16', 'fd00::/8']);
    expect(await toegestaan.controleer('https://10.1.2.3/x')).toBeUndefined();
    expect(await toegestaan.controleer('https://[fd00::1]/x')).toBeUndefined();
    expect(await toegestaan.controleer('https://10.2.0.1/x')).toMatch(/internal/);
    expect(await new Sinkbeleid([], true).controleer('http://127.0.0.1:9/x')).toBeUndefined();
    expect(() => new Sinkbeleid(['10.0.0.0'])).toThrow(/CIDR/);
  });
});
