/**
 * Who is asking: the participant code (a 4-digit gemeentecode or an 8-digit AGB code) behind a request,
 * from its TLS client certificate (mutual TLS, the main mode) or from a signed bearer token (JWT).
 *
 * - Certificate: the TLS layer has checked that the CA of `server.tls.ca` signed it; the code comes from
 *   `server.deelnemers`, by the certificate's SHA-256 fingerprint (preferred: names exactly one key pair)
 *   or by its subject CN (only with a CA that gives a CN to one party alone).
 * - Token: signature by the configured key, `iss` as configured, `aud` exactly one audience equal to ours, `exp` and `iat` required,
 *   lifetime at most `maxGeldigheidSeconden` (≤ 1 hour), scopes in `scope` (space separated) or `scopes`,
 *   the code in the claim `deelnemerClaim` (default `deelnemer`).
 * - Both: the token decides the scopes, and its participant must be the certificate's.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import { createLocalJWKSet, errors as joseFouten, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isDeelnemercode } from '../config/schema.js';
import { SCOPES, STANDAARD_SCOPES, type DeelnemerCertificaten, type Scope, type ServerTokens } from '../config/typen.js';
import { NetwerkbrugFout } from '../fout.js';

export interface Identiteit {
  code: string;
  scopes: ReadonlySet<Scope>;
  via: 'certificaat' | 'token';
}

/**
 * A refused identification: NIET_GEAUTHENTICEERD (401: who you are is not established) or GEEN_TOEGANG (403:
 * established, but not a participant). A NetwerkbrugFout of the error vocabulary (src/fout.ts).
 */
export class Identiteitsfout extends NetwerkbrugFout {
  constructor(status: 401 | 403, message: string) {
    super(status === 401 ? 'NIET_GEAUTHENTICEERD' : 'GEEN_TOEGANG', message);
    this.name = 'Identiteitsfout';
  }
}


export interface Verzoekgegevens {
  authorization?: string | undefined;
  /** the client certificate, when one was presented */
  certificaat?: PeerCertificate | undefined;
  /** whether the TLS layer verified it against the configured CA */
  geverifieerd: boolean;
}

export class Deelnemerherkenning {
  private readonly perVingerafdruk = new Map<string, string>();
  private readonly perCn = new Map<string, string>();
  private readonly scopesPerCode = new Map<string, ReadonlySet<Scope>>();

  private constructor(
    deelnemers: Record<string, DeelnemerCertificaten>,
    private readonly tokens: ServerTokens | undefined,
    private readonly tokenKey: KeyObject | JWTVerifyGetKey | undefined,
  ) {
    for (const [code, d] of Object.entries(deelnemers)) {
      for (const v of d.certificaten ?? []) this.perVingerafdruk.set(v, code);
      for (const cn of d.onderwerpen ?? []) this.perCn.set(cn, code);
      this.scopesPerCode.set(code, new Set(d.scopes ?? STANDAARD_SCOPES));
    }
  }

  /** Reads the token verification key (PEM or JWK set) once. */
  static maak(deelnemers: Record<string, DeelnemerCertificaten> = {}, tokens?: ServerTokens): Deelnemerherkenning {
    let tokenKey: KeyObject | JWTVerifyGetKey | undefined;
    if (tokens?.publiekeSleutel) tokenKey = createPublicKey(readFileSync(tokens.publiekeSleutel));
    else if (tokens?.jwks) tokenKey = createLocalJWKSet(JSON.parse(readFileSync(tokens.jwks, 'utf8')) as Parameters<typeof createLocalJWKSet>[0]);
    return new Deelnemerherkenning(deelnemers, tokens, tokenKey);
  }

  get tokensAan(): boolean {
    return this.tokenKey !== undefined;
  }

  /** The participant behind a request; throws `Identiteitsfout`. */
  async herken(v: Verzoekgegevens): Promise<Identiteit> {
    const uitCertificaat = v.certificaat && v.geverifieerd ? this.uitCertificaat(v.certificaat) : undefined;
    const bearer = /^Bearer\s+(\S+)$/i.exec(v.authorization ?? '')?.[1];
    if (bearer) {
      const token = await this.uitToken(bearer);
      if (uitCertificaat && uitCertificaat.code !== token.code) throw new Identiteitsfout(403, 'the token names another participant than the client certificate');
      return token;
    }
    if (v.authorization) throw new Identiteitsfout(401, 'the Authorization header is not a bearer token');
    if (uitCertificaat) return uitCertificaat;
    if (v.certificaat && v.geverifieerd) throw new Identiteitsfout(403, 'the client certificate belongs to no participant');
    throw new Identiteitsfout(401, v.certificaat ? 'the client certificate is not signed by a trusted CA' : 'no client certificate and no bearer token');
  }

  private uitCertificaat(c: PeerCertificate): Identiteit | undefined {
    const cn = Array.isArray(c.subject?.CN) ? undefined : c.subject?.CN;
    const code = this.perVingerafdruk.get(c.fingerprint256) ?? (cn ? this.perCn.get(cn) : undefined);
    return code ? { code, scopes: this.scopesPerCode.get(code) ?? new Set(STANDAARD_SCOPES), via: 'certificaat' } : undefined;
  }

  private async uitToken(token: string): Promise<Identiteit> {
    const t = this.tokens;
    if (!t || !this.tokenKey) throw new Identiteitsfout(401, 'bearer tokens are not accepted here');
    const max = t.maxGeldigheidSeconden ?? 3600;
    let claims: JWTPayload;
    try {
      const opties = {
        issuer: t.uitgever,
        audience: t.publiek,
        algorithms: t.algoritmen ?? ['ES256', 'RS256', 'PS256', 'EdDSA'],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: max,
      };
      claims = (typeof this.tokenKey === 'function' ? await jwtVerify(token, this.tokenKey, opties) : await jwtVerify(token, this.tokenKey, opties)).payload;
    } catch (e) {
      throw new Identiteitsfout(401, `the bearer token is not accepted: ${tokenReden(e)}`);
    }
    // exactly one audience, ours: a token meant for several services is not accepted here (jose alone would accept it)
    const aud = Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud;
    if (aud !== t.publiek) throw new Identiteitsfout(401, 'the bearer token is not accepted: claim aud must name this service alone');
    if (claims.exp! - claims.iat! > max) throw new Identiteitsfout(401, `the bearer token is not accepted: it lives longer than ${max} s`);
    const code = claims[t.deelnemerClaim ?? 'deelnemer'];
    if (typeof code !== 'string' || !isDeelnemercode(code)) throw new Identiteitsfout(401, 'the bearer token is not accepted: it names no participant code');
    const ruw = typeof claims.scope === 'string' ? claims.scope.split(/\s+/) : Array.isArray(claims.scopes) ? claims.scopes : [];
    const scopes = new Set(SCOPES.filter((s) => ruw.includes(s)));
    return { code, scopes, via: 'token' };
  }
}

/** Why jose refused a token, without echoing any of its content. */
function tokenReden(e: unknown): string {
  if (e instanceof joseFouten.JWTExpired) return 'it has expired';
  if (e instanceof joseFouten.JWTClaimValidationFailed) return `claim ${e.claim} is not as required`;
  if (e instanceof joseFouten.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (e instanceof joseFouten.JOSEAlgNotAllowed) return 'its algorithm is not allowed';
  return 'it is not a valid signed token';
}
