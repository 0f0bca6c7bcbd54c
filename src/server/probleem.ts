/**
 * Errors of the HTTP API as RFC 9457 problem details (`application/problem+json`). A Probleem is a
 * NetwerkbrugFout whose status, title and type come from the error vocabulary (src/fout.ts); thrown by code in
 * the routes, turned into a response in one place (app.ts). Any other NetwerkbrugFout that reaches the HTTP
 * layer is answered with its own code's status too (`alsProbleem`).
 */
import { FOUTEN, NetwerkbrugFout, probleemBody, type FoutCode } from '../fout.js';

export const PROBLEEM_MEDIATYPE = 'application/problem+json';

export class Probleem extends NetwerkbrugFout {
  constructor(
    code: FoutCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** only for fastify's own 4xx answers (a bad URL 400 or 414, a bad body 400), which have no code of their own */
    private readonly eigenStatus?: number,
  ) {
    super(code, detail);
    this.name = 'Probleem';
  }

  override get status(): number {
    return this.eigenStatus ?? FOUTEN[this.code].status;
  }

  /** The body; it names no request-specific value unless `extra` does, so equal refusals are equal bytes. */
  get body(): Record<string, unknown> {
    return probleemBody(this.code, this.detail, this.extra, this.status);
  }
}
