// The HTML forms' CSRF check, Django style: a `csrftoken` cookie holds the secret, each form a masked copy.
import * as pages from '../pages.js';
import {isCsrfSecret, newCsrfSecret} from '../tokens.js';
import {html, type Reply} from './reply.js';
import type {Ctx} from './router.js';

/** The CSRF secret of the visitor's cookie, or a new one with the Set-Cookie that gives it. */
export function csrfOf(ctx: Ctx): {secret: string; setCookie?: string} {
  const secret = ctx.cookies.csrftoken;
  if (isCsrfSecret(secret)) return {secret};
  const fresh = newCsrfSecret();
  return {secret: fresh, setCookie: csrfCookie(fresh)};
}

export function csrfCookie(secret: string): string {
  return `csrftoken=${secret}; Path=/; Max-Age=31449600; SameSite=Lax`;
}

/** Django's 403 page, saying whether the cookie or the form's token was wrong. */
export function csrfFailure(ctx: Ctx): Reply {
  const reason = isCsrfSecret(ctx.cookies.csrftoken) ? 'the CSRF token is missing or incorrect' : 'the CSRF cookie is not set';
  return html(403, pages.messagePage('Forbidden (403)', `CSRF verification failed: ${reason}.`));
}
