/**
 * Limits that keep clients without identity from starving the server: timeouts for the TLS handshake, the
 * request headers, the whole request and idle connections, a cap on open connections, and a lower cap on
 * connections that have not (yet) shown an accepted identity. A connection counts as identified once its
 * client certificate verified against `tls.ca` in the handshake, or once a request on it carried an accepted
 * identity (`erkend`); new unidentified connections beyond the cap are closed at once.
 */
import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { ServerLimieten } from '../config/typen.js';

export interface Limieten {
  verzoekMs: number;
  kopMs: number;
  inactiefMs: number;
  keepAliveMs: number;
  handdrukMs: number;
  maxVerbindingen: number;
  maxOngeauthenticeerd: number;
}

export const STANDAARD_LIMIETEN: Required<ServerLimieten> = {
  verzoekSeconden: 30,
  kopSeconden: 10,
  inactiefSeconden: 30,
  keepAliveSeconden: 5,
  handdrukSeconden: 10,
  maxVerbindingen: 1000,
  maxOngeauthenticeerd: 100,
};

/** The configured limits with their defaults, in ms; the header timeout never exceeds the request timeout (Node requires it). */
export function limieten(l: ServerLimieten = {}): Limieten {
  const s = { ...STANDAARD_LIMIETEN, ...l };
  const ms = (seconden: number) => Math.max(1, Math.round(seconden * 1000));
  return {
    verzoekMs: ms(s.verzoekSeconden),
    kopMs: Math.min(ms(s.kopSeconden), ms(s.verzoekSeconden)),
    inactiefMs: ms(s.inactiefSeconden),
    keepAliveMs: ms(s.keepAliveSeconden),
    handdrukMs: ms(s.handdrukSeconden),
    maxVerbindingen: s.maxVerbindingen,
    maxOngeauthenticeerd: Math.min(s.maxOngeauthenticeerd, s.maxVerbindingen),
  };
}

const TELT = Symbol('netwerkbrug.ongeauthenticeerd');
type Gevolgd = Socket & { [TELT]?: boolean };

export class Verbindingbewaker {
  private ongeauthenticeerd = 0;

  constructor(
    private readonly max: number,
    private readonly geweigerd: () => void = () => undefined,
  ) {}

  /** Counts the server's TLS connections from the end of their handshake. */
  bewaak(server: Server): void {
    server.on('secureConnection', (socket: Gevolgd & { authorized?: boolean }) => {
      if (socket.authorized === true) return;
      if (this.ongeauthenticeerd >= this.max) {
        this.geweigerd();
        socket.destroy();
        return;
      }
      this.ongeauthenticeerd++;
      socket[TELT] = true;
      socket.once('close', () => this.erkend(socket));
    });
  }

  /** A request on `socket` carried an accepted identity (or the socket closed): it no longer counts. */
  erkend(socket: Socket): void {
    const s = socket as Gevolgd;
    if (!s[TELT]) return;
    s[TELT] = false;
    this.ongeauthenticeerd--;
  }

  get aantalOngeauthenticeerd(): number {
    return this.ongeauthenticeerd;
  }
}
