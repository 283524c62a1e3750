// Credentials the demo shop hands out: HS256 JWTs for the JSON API (stateless, so they cost no memory
// however many logins a run makes) and Django-style CSRF tokens for the HTML forms.
import {createHmac, randomBytes, randomInt, timingSafeEqual} from 'node:crypto';

export interface TokenClaims {
  /** The user name, e.g. `user12`. */
  readonly sub: string;
  /** The login session: carts belong to it, so two virtual users sharing an account do not share a cart. */
  readonly sid: string;
  readonly typ: 'access' | 'refresh';
  /** Seconds since the epoch (fractional, so sub-second lifetimes work in tests). */
  readonly iat: number;
  readonly exp: number;
}

export type TokenCheck =
  {readonly ok: true; readonly claims: TokenClaims} | {readonly ok: false; readonly error: 'invalid_token' | 'token_expired'};

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const HEADER = b64(JSON.stringify({alg: 'HS256', typ: 'JWT'}));

export class TokenIssuer {
  private readonly key = randomBytes(32);

  issue(sub: string, sid: string, typ: TokenClaims['typ'], ttlMs: number, now = Date.now()): string {
    const claims: TokenClaims = {sub, sid, typ, iat: now / 1000, exp: (now + ttlMs) / 1000};
    const body = `${HEADER}.${b64(JSON.stringify(claims))}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(token: string, typ: TokenClaims['typ'], now = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return {ok: false, error: 'invalid_token'};
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return {ok: false, error: 'invalid_token'};
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return {ok: false, error: 'invalid_token'};
    }
    if (claims.typ !== typ) return {ok: false, error: 'invalid_token'};
    if (!(claims.exp * 1000 > now)) return {ok: false, error: 'token_expired'};
    return {ok: true, claims};
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

// Django's CSRF scheme: the cookie holds a 32-character secret; every rendered form carries the secret
// masked with a fresh random mask (64 characters), so the form value changes on each visit while
// staying tied to the cookie.
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_LENGTH = 32;

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CHARS[randomInt(CHARS.length)];
  return out;
}

export function newCsrfSecret(): string {
  return randomString(SECRET_LENGTH);
}

export function isCsrfSecret(value: string | undefined): value is string {
  return value !== undefined && value.length === SECRET_LENGTH && /^[a-zA-Z0-9]+$/.test(value);
}

export function maskCsrfSecret(secret: string): string {
  const mask = randomString(SECRET_LENGTH);
  let cipher = '';
  for (let i = 0; i < SECRET_LENGTH; i++) cipher += CHARS[(CHARS.indexOf(secret[i]) + CHARS.indexOf(mask[i])) % CHARS.length];
  return mask + cipher;
}

/** True when the form's token unmasks to the cookie's secret. */
export function csrfMatches(token: string | undefined, secret: string | undefined): boolean {
  if (!isCsrfSecret(secret) || typeof token !== 'string' || token.length !== 2 * SECRET_LENGTH || !/^[a-zA-Z0-9]+$/.test(token))
    return false;
  let unmasked = '';
  for (let i = 0; i < SECRET_LENGTH; i++) {
    const m = CHARS.indexOf(token[i]);
    const c = CHARS.indexOf(token[SECRET_LENGTH + i]);
    unmasked += CHARS[(c - m + CHARS.length) % CHARS.length];
  }
  return timingSafeEqual(Buffer.from(unmasked), Buffer.from(secret));
}

/** An opaque random id (sessions, login sessions). */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}
