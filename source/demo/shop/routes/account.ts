// The members' side in HTML, Django style: a login form with a CSRF token, a session cookie, logout, the
// dashboard and the settings form (post/redirect/get). Without a session, members' pages redirect to the login.
import {checkCredentials} from '../../catalog.js';
import * as pages from '../../pages.js';
import {csrfMatches, maskCsrfSecret, newCsrfSecret, randomId} from '../../tokens.js';
import {csrfCookie, csrfFailure, csrfOf} from '../csrf.js';
import type {ShopParts} from '../parts.js';
import {html, redirect} from '../reply.js';
import {safeNext} from '../request.js';
import type {Router} from '../router.js';

export function accountRoutes(router: Router, {settings, state}: ShopParts): void {
  router.add('GET', '/login', 15, (ctx) => {
    const {secret, setCookie} = csrfOf(ctx);
    const next = safeNext(ctx.url.searchParams.get('next'));
    return html(200, pages.loginPage(maskCsrfSecret(secret), undefined, next), setCookie ? {'set-cookie': setCookie} : {});
  });
  router.add('POST', '/login', 120, (ctx) => {
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    if (!csrfMatches(form.get('csrfmiddlewaretoken') ?? undefined, ctx.cookies.csrftoken)) return csrfFailure(ctx);
    const user = checkCredentials(form.get('username') ?? '', form.get('password') ?? '', settings.accounts);
    if (!user) {
      // Like Django: the form comes back (200) with an error, not a 401.
      const error = 'Please enter a correct username and password.';
      return html(200, pages.loginPage(maskCsrfSecret(ctx.cookies.csrftoken), error, safeNext(form.get('next'))));
    }
    const id = randomId();
    state.openSession(id, user);
    // The CSRF secret rotates on login, as in Django.
    const cookies = [`sessionid=${id}; Path=/; HttpOnly; SameSite=Lax`, csrfCookie(newCsrfSecret())];
    return redirect(safeNext(form.get('next')) ?? '/dashboard', cookies);
  });
  router.add('GET', '/logout', 10, (ctx) => {
    const id = ctx.cookies.sessionid;
    if (id) state.sessions.delete(id);
    return redirect('/', ['sessionid=; Path=/; Max-Age=0']);
  });
  router.add('GET', '/dashboard', 80, (ctx) => {
    const s = state.session(ctx.cookies);
    if (!s) return redirect('/login?next=/dashboard');
    return html(200, pages.dashboardPage(s.user, state.profile(s.user), state.orderCounts.get(s.user) ?? 0));
  });
  router.add('GET', '/settings', 30, (ctx) => {
    const s = state.session(ctx.cookies);
    if (!s) return redirect('/login?next=/settings');
    const {secret, setCookie} = csrfOf(ctx);
    const page = pages.settingsPage(s.user, state.profile(s.user), maskCsrfSecret(secret), ctx.url.searchParams.has('saved'));
    return html(200, page, setCookie ? {'set-cookie': setCookie} : {});
  });
  router.add('POST', '/profile', 60, (ctx) => {
    const s = state.session(ctx.cookies);
    if (!s) return redirect('/login?next=/settings');
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    if (!csrfMatches(form.get('csrfmiddlewaretoken') ?? undefined, ctx.cookies.csrftoken)) return csrfFailure(ctx);
    const displayName = (form.get('display_name') ?? '').trim();
    const email = (form.get('email') ?? '').trim();
    const timezone = (form.get('timezone') ?? 'UTC').trim() || 'UTC';
    if (!displayName || displayName.length > 100 || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      const p = state.profile(s.user);
      return html(400, pages.settingsPage(s.user, p, maskCsrfSecret(ctx.cookies.csrftoken), false));
    }
    state.profiles.set(s.user, {displayName, email, timezone});
    return redirect('/settings?saved=1'); // post/redirect/get
  });
}
