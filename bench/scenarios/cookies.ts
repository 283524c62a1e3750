// Bench scenario: a session cookie from a login, named dynamic URLs and a body check on every request,
// back to back (no think time), so it compares with quick mode at the same number of users.
// Targets: bench/servers/target.mjs (plain) or the bench's nginx; both answer 401 to /s/* without the cookie.
import {scenario, user, task} from 'brink';

export const shopper = user(
  'shopper',
  {
    onStart: async ({http}) => {
      const res = await http.post('/s/login', {name: 'POST /s/login'});
      res.check(http.cookie('sid') === 'bench-session', 'no session cookie');
    },
  },
  [
    task(1, 'item', ({http, randomInt}) =>
      http.get(`/s/item/${randomInt(1, 1000)}`, {
        name: 'GET /s/item/:id',
        check: (res) => res.text() === 'hello world\n' || `unexpected body ${JSON.stringify(res.text().slice(0, 40))}`,
      }),
    ),
  ],
);

export default scenario({name: 'bench-cookies', users: [shopper]});
