/**
 * Where a sink may point: not at this network's inside (private, loopback, link-local such as the cloud
 * metadata address 169.254.169.254, unspecified, multicast or reserved ranges; IPv4 and IPv6, IPv4-mapped
 * IPv6 included) unless `notificaties.interneSinks` lists the network (CIDR). Loopback is allowed in
 * development mode. Checked when a subscription is made (the literal address, or the addresses the name
 * resolves to now) and again at every delivery (the address actually connected to: DNS can change).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const INTERN: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const LOOPBACK: [string, number, 'ipv4' | 'ipv6'][] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];

function lijst(netten: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const b = new BlockList();
  for (const [net, prefix, familie] of netten) b.addSubnet(net, prefix, familie);
  return b;
}

const familie = (adres: string) => (isIP(adres) === 6 ? 'ipv6' : 'ipv4');

export class Sinkbeleid {
  private readonly intern = lijst(INTERN);
  private readonly toegestaan: BlockList;

  /** `interneSinks`: CIDR networks allowed anyway; throws for a malformed one */
  constructor(interneSinks: readonly string[] = [], ontwikkeling = false) {
    const netten = interneSinks.map((cidr): [string, number, 'ipv4' | 'ipv6'] => {
      const [net = '', prefix = ''] = cidr.split('/');
      if (!isIP(net) || !/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > (isIP(net) === 6 ? 128 : 32)) throw new Error(`${cidr} is not a CIDR network`);
      return [net, Number(prefix), familie(net)];
    });
    this.toegestaan = lijst(ontwikkeling ? [...netten, ...LOOPBACK] : netten);
  }

  /** Why `adres` (an IP address) may not be a sink's, or `undefined` when it may. */
  adresFout(adres: string): string | undefined {
    const a = adres.replace(/^\[|\]$/g, '');
    if (!isIP(a)) return undefined;
    // BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 rules
    if (this.intern.check(a, familie(a)) && !this.toegestaan.check(a, familie(a))) return 'points at an internal address (private, loopback, link-local, multicast or reserved); allow its network in notificaties.interneSinks';
    return undefined;
  }

  /** The check of a sink URL now: its literal address, or every address its name resolves to (a name that does not resolve passes; delivery checks again). */
  async controleer(url: string): Promise<string | undefined> {
    let host: string;
    try {
      host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return undefined; // the URL rule (sinkFout) answers for that
    }
    if (isIP(host)) return this.adresFout(host);
    let adressen: LookupAddress[];
    try {
      adressen = await new Promise<LookupAddress[]>((ok, nok) => dnsLookup(host, { all: true }, (e, a) => (e ? nok(e) : ok(a))));
    } catch {
      return undefined;
    }
    for (const a of adressen) {
      const fout = this.adresFout(a.address);
      if (fout) return fout;
    }
    return undefined;
  }

  /** A `lookup` for the delivery agent's connections: an internal address is refused at connect time. */
  readonly lookup = (host: string, opties: LookupOptions, klaar: (e: NodeJS.ErrnoException | null, adres: string | LookupAddress[], familie?: number) => void): void => {
    dnsLookup(host, { ...opties, all: true }, (e, adressen) => {
      if (e) return klaar(e, '');
      const fout = adressen.find((a) => this.adresFout(a.address));
      if (fout) {
        const f: NodeJS.ErrnoException = new Error('the sink resolves to an internal address (notificaties.interneSinks)');
        f.code = 'ESINKINTERN';
        return klaar(f, '');
      }
      if (opties.all) return klaar(null, adressen);
      const eerste = adressen[0]!;
      klaar(null, eerste.address, eerste.family);
    });
  };
}
