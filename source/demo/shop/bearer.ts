// The JSON API's credentials: an access token in `Authorization: Bearer …`, issued in pairs with a refresh token.
import type {TokenClaims, TokenIssuer} from '../tokens.js';
import type {Settings} from './options.js';
import {json, type Reply} from './reply.js';
import type {Ctx} from './router.js';

/** The access token's claims, or the 401 to answer (missing, invalid or expired token). */
export function bearer(tokens: TokenIssuer, ctx: Ctx): TokenClaims | Reply {
  const header = ctx.req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    const detail = 'send Authorization: Bearer <access_token>';
    return json(401, {error: 'missing_token', detail}, {'www-authenticate': 'Bearer realm="shop"'});
  }
  const check = tokens.verify(match[1], 'access');
  if (!check.ok) {
    const detail = check.error === 'token_expired' ? 'the access token expired: refresh it' : 'the access token is not valid';
    const challenge = `Bearer realm="shop", error="invalid_token", error_description="${detail}"`;
    return json(401, {error: check.error, detail}, {'www-authenticate': challenge});
  }
  return check.claims;
}

export function isClaims(value: TokenClaims | Reply): value is TokenClaims {
  return 'sub' in value;
}

export function claimsOf(value: TokenClaims | Reply): TokenClaims | undefined {
  return isClaims(value) ? value : undefined;
}

/** The body of a successful login or refresh. */
export function tokenPair(tokens: TokenIssuer, settings: Settings, user: string, sid: string): Record<string, unknown> {
  const {tokenTtlMs, refreshTtlMs} = settings;
  return {
    access_token: tokens.issue(user, sid, 'access', tokenTtlMs),
    refresh_token: tokens.issue(user, sid, 'refresh', refreshTtlMs),
    token_type: 'Bearer',
    expires_in: tokenTtlMs / 1000,
  };
}
