// What `brink demo` runs against the built-in demo shop: a day's traffic mix of the other examples.
//   visitors (browse.ts)      anonymous, public HTML pages
//   members  (form-login.ts)  signed in through the CSRF form, members' pages
//   shoppers (shop-api.ts)    JSON API with a bearer token, cart and checkout
// As users rise, checkout (POST /api/orders, one at a time behind a lock) slows down first, then the
// whole shop queues, then it sheds load with 503s. Lower the users and watch it recover.
//
//   brink demo                      (starts the shop and runs this)
//   brink run scenarios/demo.ts --host http://127.0.0.1:PORT    (after brink demo --serve-only)
import {scenario, between} from 'brink';
import {visitor} from './browse.js';
import {member} from './form-login.js';
import {shopper} from './shop-api.js';

// Demo users click a little faster than the examples' users (1–3 s), so the shop's limits show up
// within a couple of hundred users.
const busy = between(0.5, 2);

export default scenario({
  name: 'demo shop',
  users: [
    {...visitor, weight: 5, wait: busy},
    {...member, weight: 2, wait: busy},
    {...shopper, weight: 3, wait: busy},
  ],
});
