import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Ontvangen {
  pad: string;
  headers: IncomingHttpHeaders;
  body: string;
  tijd: number;
}

export interface Antwoord {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** ms before answering */
  vertraging?: number;
}

export interface Ontvanger {
  url: string;
  ontvangen: Ontvangen[];
  /** what arrived at a path, in order */
  op(pad: string): Ontvangen[];
  sluit(): Promise<void>;
}

/**
 * A real HTTP receiver on loopback. `gedrag` decides each answer from the request and how many requests that
 * path has had before (0 for the first), so a test can make it fail, flap, slow down, or answer 410 or 429.
 */
export async function startOntvanger(gedrag: (o: Ontvangen, eerder: number) => Antwoord = () => ({ status: 204 })): Promise<Ontvanger> {
  const ontvangen: Ontvangen[] = [];
  const perPad = new Map<string, number>();
  const server = createServer((req, res) => {
    const delen: Buffer[] = [];
    req.on('data', (d: Buffer) => delen.push(d));
    req.on('end', () => {
      const o: Ontvangen = { pad: req.url ?? '', headers: req.headers, body: Buffer.concat(delen).toString('utf8'), tijd: Date.now() };
      const eerder = perPad.get(o.pad) ?? 0;
      perPad.set(o.pad, eerder + 1);
      ontvangen.push(o);
      const a = gedrag(o, eerder);
      const antwoord = () => {
        if (res.destroyed) return;
        res.writeHead(a.status, a.headers);
        res.end(a.body ?? '');
      };
      if (a.vertraging) setTimeout(antwoord, a.vertraging);
      else antwoord();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ontvangen,
    op: (pad) => ontvangen.filter((o) => o.pad === pad),
    sluit: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Personal data in generated messages: BSNs, names, addresses, phone numbers, e-mail addresses. */
export function persoonsgegevens(xml: string): string[] {
  const waarden = [...xml.matchAll(/<(?:\w+:)?(Bsn|Achternaam|Voornamen|Straatnaam|Postcode|Telefoonnummer|Emailadres|Plaatsnaam)>([\s\S]*?)<\//g)]
    .map((m) => m[2]!.replace(/<[^>]+>/g, '').trim())
    .filter((w) => w.length >= 4);
  return [...new Set(waarden)];
}
