// Customers of a shop's JSON API (the backend of a single-page app or a mobile app). Two kinds:
//   browser (3 of 4): anonymous, lists and searches the catalog and opens products;
//   shopper (1 of 4): logs in for a bearer token, fills a cart and checks out.
// Checkout (POST /api/orders) is the write path that serialises on the server (stock reservation),
// so it is the endpoint to watch as users rise. Each shopper logs in with its own row of
// data/accounts.csv (e-mail `<username>@example.com`).
//
//   brink run scenarios/shop-api.ts --host http://localhost:8000
import {scenario, user, task, between, csv, type UserContext} from 'brink';
import {apiLogin, authed} from './lib/api-auth.js';

const accounts = csv<{username: string; password: string}>('data/accounts.csv');
const SEARCHES = ['mouse', 'keyboard', 'hub', 'monitor', 'stand', 'webcam', 'headphones', 'lamp'];
const CATEGORIES = ['audio', 'peripherals', 'displays', 'accessories', 'office'];
const json = {accept: 'application/json'};

export const browser = user('browser', {weight: 3, wait: between(1, 3), headers: json}, [
  task(4, 'list products', ({http, pick, randomInt}) =>
    http.get('/api/products', {query: {page: randomInt(1, 10), limit: 20, sort: pick(['price_asc', 'price_desc', 'rating_desc'])}}),
  ),
  task(3, 'product detail', ({http, randomInt}) => http.get(`/api/products/${randomInt(1, 500)}`, {name: 'GET /api/products/:id'})),
  task(2, 'search', ({http, pick}) => http.get('/api/products', {query: {q: pick(SEARCHES), limit: 10}})),
]);

async function addToCart(ctx: UserContext): Promise<boolean> {
  const res = await authed(ctx, 'POST', '/api/cart/items', {
    json: {product_id: ctx.randomInt(1, 500), quantity: ctx.randomInt(1, 3)},
    expect: 201,
  });
  return !res.failed;
}

export const shopper = user(
  'shopper',
  {
    weight: 1,
    wait: between(1, 3),
    headers: json,
    onStart: (ctx) => {
      const {username, password} = ctx.data(accounts);
      return apiLogin(ctx, `${username}@example.com`, password);
    },
  },
  [
    task(3, 'browse a category', async (ctx) => {
      const list = await ctx.http.get('/api/products', {query: {category: ctx.pick(CATEGORIES), limit: 20}});
      if (list.failed) return;
      const items = list.json<{items: Array<{id: number}>}>().items;
      if (items.length > 0) await ctx.http.get(`/api/products/${ctx.pick(items).id}`, {name: 'GET /api/products/:id'});
    }),
    task(3, 'add to cart', addToCart),
    task(1, 'view cart', (ctx) => authed(ctx, 'GET', '/api/cart')),
    task(1, 'checkout', async (ctx) => {
      // Look at the cart first; an empty cart gets one item, since the API refuses empty orders.
      const cart = await authed(ctx, 'GET', '/api/cart');
      if (cart.status !== 200) return;
      if (cart.json<{items: unknown[]}>().items.length === 0 && !(await addToCart(ctx))) return;
      await authed(ctx, 'POST', '/api/orders', {
        json: {
          shipping_address: {full_name: `Shopper ${ctx.userId}`, line1: '1 Test Street', city: 'Lyon', postal_code: '69001', country: 'FR'},
          payment_method: 'card_test_visa',
        },
        expect: 201,
        check: (res) => Number.isInteger(res.json().id) || 'the order answer has no id',
      });
    }),
  ],
);

export default scenario({name: 'shop-api', users: [browser, shopper]});
