// Bearer-token handling shared by the API scenarios (shop-api, upload, reports).
//
// The API hands out short-lived access tokens (the demo shop's live 30 s) and a refresh token. A
// virtual user keeps the token's expiry in `vars`, refreshes it a little before it runs out, and logs
// in again if the refresh token itself is no longer accepted. Without this, a run longer than the
// token's life fills up with 401s that say nothing about the server's capacity.
import type {HttpMethod, RequestOptions, Response, UserContext} from 'brink';

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/** Logs in with e-mail and password; on success every later request of this user carries the token. */
export async function apiLogin(ctx: UserContext, email: string, password: string): Promise<boolean> {
  const res = await ctx.http.post('/api/auth/login', {
    json: {email, password},
    check: (r) => typeof r.json().access_token === 'string' || 'the login answer has no access_token',
  });
  if (res.failed) return false;
  ctx.vars.credentials = {email, password};
  remember(ctx, res.json<TokenAnswer>());
  return true;
}

/** Refreshes the access token when less than a fifth of its life (and at most 5 s) is left. */
export async function keepTokenFresh(ctx: UserContext): Promise<boolean> {
  const left = (ctx.vars.tokenExpiresAt ?? 0) - Date.now();
  const margin = Math.min(5000, (ctx.vars.tokenLifetimeMs ?? 0) / 5);
  return left > margin ? true : refreshToken(ctx);
}

/** Trades the refresh token for a new access token; logs in again when the refresh token is refused. */
export async function refreshToken(ctx: UserContext): Promise<boolean> {
  const res = await ctx.http.post('/api/auth/refresh', {
    json: {refresh_token: ctx.vars.refreshToken},
    // 401 here means "log in again", which is handled below, not a failure of the server.
    expect: [200, 401],
  });
  if (res.status === 200) {
    remember(ctx, res.json<TokenAnswer>());
    return true;
  }
  if (res.status === 401 && ctx.vars.credentials) {
    const {email, password} = ctx.vars.credentials as {email: string; password: string};
    return apiLogin(ctx, email, password);
  }
  return false;
}

/**
 * Sends a request that needs the token. A 401 (the token ran out while the request waited in the
 * server's queue) is handled once: it is not counted as a failure, the user refreshes the token and
 * sends the request again; a second 401 is a real failure.
 */
export async function authed(ctx: UserContext, method: HttpMethod, path: string, options?: RequestOptions): Promise<Response> {
  await keepTokenFresh(ctx);
  const first = await ctx.http.request(method, path, options);
  if (first.status !== 401) return first;
  first.success();
  if (!(await refreshToken(ctx))) return first;
  return ctx.http.request(method, path, options);
}

function remember(ctx: UserContext, answer: TokenAnswer): void {
  ctx.vars.refreshToken = answer.refresh_token;
  ctx.vars.tokenLifetimeMs = answer.expires_in * 1000;
  ctx.vars.tokenExpiresAt = Date.now() + answer.expires_in * 1000;
  ctx.http.bearer(answer.access_token);
}
