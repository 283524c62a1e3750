// Members of a server-rendered (Django-style) site: sign in through the HTML form, which carries a
// CSRF token tied to the `csrftoken` cookie, keep the session cookie, then use the members' pages.
// Each virtual user signs in with its own row of data/accounts.csv.
//
// The flow: GET /login, read the hidden `csrfmiddlewaretoken` field, POST it back with the credentials
// (the cookie jar sends the cookie); a good login redirects to /dashboard, a bad one shows the form again
// (status 200), so the check looks at where the redirect landed, not at the status.
//
//   brink run scenarios/form-login.ts --host http://localhost:8000
import {scenario, user, task, between, csv, type UserContext} from 'brink';

const accounts = csv<{username: string; password: string}>('data/accounts.csv');

async function signIn({http, data}: UserContext): Promise<void> {
  const {username, password} = data(accounts);
  const page = await http.get('/login');
  const token = page.formField('csrfmiddlewaretoken');
  if (!page.check(token, 'no csrfmiddlewaretoken field on the login page')) return;
  await http.post('/login', {
    form: {username, password, csrfmiddlewaretoken: token!},
    headers: {referer: `${http.baseUrl}/login`},
    check: (res) => new URL(res.url).pathname === '/dashboard' || `login as ${username} failed: landed on ${new URL(res.url).pathname}`,
  });
}

/** A members' page must not bounce back to the login form. */
const signedIn = (res: {url: string}) => !new URL(res.url).pathname.startsWith('/login') || 'session lost: redirected to /login';

export const member = user('member', {wait: between(2, 4), onStart: signIn}, [
  task(4, 'dashboard', ({http}) => http.get('/dashboard', {check: signedIn})),
  task(2, 'settings', ({http}) => http.get('/settings', {check: signedIn})),
  task(1, 'update profile', async ({http, userId, randomInt}) => {
    // Forms after login carry a fresh token too (the CSRF secret rotates when signing in).
    const page = await http.get('/settings', {check: signedIn});
    const token = page.formField('csrfmiddlewaretoken');
    if (!page.check(token, 'no csrfmiddlewaretoken field on /settings')) return;
    await http.post('/profile', {
      form: {
        display_name: `Load Tester ${userId}`,
        email: `member${userId}@example.com`,
        timezone: randomInt(0, 1) ? 'Europe/Paris' : 'UTC',
        csrfmiddlewaretoken: token!,
      },
      headers: {referer: `${http.baseUrl}/settings`},
      // Post/redirect/get: a saved profile lands on /settings?saved=1.
      check: (res) => new URL(res.url).searchParams.has('saved') || 'profile not saved',
    });
  }),
]);

export default scenario({name: 'form-login', users: [member]});
