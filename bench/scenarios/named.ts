// Bench scenario of issue 24's goal: a session cookie from a login (the cookie jar), a named request to dynamic
// URLs and a status check on every response, back to back (no think time), so that it compares with quick mode
// at the same number of users. cookies.ts adds a check that reads every body.
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
  [task(1, 'item', ({http, randomInt}) => http.get(`/s/item/${randomInt(1, 1000)}`, {name: 'GET /s/item/:id', expect: 200}))],
);

export default scenario({name: 'bench-named', users: [shopper]});
