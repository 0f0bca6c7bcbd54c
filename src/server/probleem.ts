/**
 * Errors of the HTTP API as RFC 9457 problem details (`application/problem+json`), each with a stable type.
 * Thrown by name in the routes, turned into a response in one place (app.ts).
 */
export const PROBLEEM_MEDIATYPE = 'application/problem+json';

export type ProbleemSoort =
  | 'niet-geauthenticeerd'
  | 'geen-toegang'
  | 'niet-gevonden'
  | 'ongeldig-verzoek'
  | 'bericht-ongeldig'
  | 'niet-beschikbaar'
  | 'niet-gereed'
  | 'bezet'
  | 'eigenaar-onbereikbaar'
  | 'te-groot'
  | 'mediatype'
  | 'interne-fout';

const TITELS: Record<ProbleemSoort, string> = {
  'niet-geauthenticeerd': 'Not authenticated',
  'geen-toegang': 'Forbidden',
  'niet-gevonden': 'Not found',
  'ongeldig-verzoek': 'Bad request',
  'bericht-ongeldig': 'The message is not valid',
  'niet-beschikbaar': 'Not implemented',
  'niet-gereed': 'Service unavailable',
  bezet: 'Service unavailable',
  'eigenaar-onbereikbaar': 'Bad gateway',
  'te-groot': 'Payload too large',
  mediatype: 'Unsupported media type',
  'interne-fout': 'Internal server error',
};

export class Probleem extends Error {
  constructor(
    readonly status: number,
    readonly soort: ProbleemSoort,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'Probleem';
  }

  /** The body; it names no request-specific value unless `extra` does, so equal refusals are equal bytes. */
  get body(): Record<string, unknown> {
    return { type: `urn:netwerkbrug:probleem:${this.soort}`, title: TITELS[this.soort], status: this.status, detail: this.detail, ...this.extra };
  }
}
