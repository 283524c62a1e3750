// Anonymous visitors browsing a shop's public pages: the home page most, then product pages, the
// catalog, search and pricing, with 1–3 s of reading between clicks. Product URLs are grouped under
// one endpoint with `name`, so 500 product ids make one row, not 500.
//
//   brink run scenarios/browse.ts --host http://localhost:8000
import {scenario, user, task, between} from 'brink';

// What people type into the search box.
const SEARCHES = [
  'wireless mouse',
  'mechanical keyboard',
  'usb-c hub',
  'monitor arm',
  'laptop stand',
  'webcam',
  'headphones',
  'desk lamp',
  'speaker',
  'charger',
];
// A few products everybody looks at; the rest of the catalog (ids 1..500) gets the long tail.
const BESTSELLERS = [12, 45, 101, 205, 319, 404];

export const visitor = user('visitor', {wait: between(1, 3)}, [
  task(5, 'home', ({http}) => http.get('/')),
  task(4, 'product', ({http, pick, randomInt}) => {
    const id = Math.random() < 0.5 ? pick(BESTSELLERS) : randomInt(1, 500);
    return http.get(`/products/${id}`, {name: 'GET /products/:id'});
  }),
  task(3, 'catalog', async ({http, pick, randomInt}) => {
    // A catalog page, then one of the products it links to, as a reader clicking through would.
    const page = await http.get('/products', {query: {page: randomInt(1, 20)}});
    const ids = [...page.text().matchAll(/href="\/products\/(\d+)"/g)].map((m) => m[1]);
    if (ids.length > 0) await http.get(`/products/${pick(ids)}`, {name: 'GET /products/:id'});
  }),
  task(2, 'search', ({http, pick}) => http.get('/search', {query: {q: pick(SEARCHES)}})),
  task(1, 'pricing', ({http}) => http.get('/pricing')),
]);

export default scenario({name: 'browse', users: [visitor]});
