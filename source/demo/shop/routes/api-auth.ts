// The JSON API's login and refresh: both answer a bearer token pair (tokens.ts; stateless, so free to issue).
import {checkCredentials} from '../../catalog.js';
import {randomId} from '../../tokens.js';
import {tokenPair} from '../bearer.js';
import type {ShopParts} from '../parts.js';
import {badJson, json} from '../reply.js';
import {isObject, parseJson} from '../request.js';
import type {Router} from '../router.js';

export function apiAuthRoutes(router: Router, {settings, tokens}: ShopParts): void {
  router.add('POST', '/api/auth/login', 100, (ctx) => {
    const body = parseJson(ctx.body);
    if (!isObject(body)) return badJson();
    const login = typeof body.email === 'string' ? body.email : typeof body.username === 'string' ? body.username : '';
    const user = checkCredentials(login, typeof body.password === 'string' ? body.password : '', settings.accounts);
    if (!user) return json(401, {error: 'invalid_credentials', detail: 'unknown e-mail or wrong password'});
    return json(200, tokenPair(tokens, settings, user, randomId(8)));
  });
  router.add('POST', '/api/auth/refresh', 10, (ctx) => {
    const body = parseJson(ctx.body);
    if (!isObject(body) || typeof body.refresh_token !== 'string') {
      return json(400, {error: 'invalid_request', detail: 'send {"refresh_token": "..."}'});
    }
    const check = tokens.verify(body.refresh_token, 'refresh');
    if (!check.ok) {
      const error = check.error === 'token_expired' ? 'refresh_token_expired' : 'invalid_refresh_token';
      return json(401, {error, detail: 'log in again'});
    }
    return json(200, tokenPair(tokens, settings, check.claims.sub, check.claims.sid));
  });
}
