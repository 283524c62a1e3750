// The starter scenarios `brink init --pattern …` writes: self-contained versions of the examples in
// scenarios/ (no data files, no shared helpers), aimed at brink's demo shop so they run as written.
// `__FILE__` stands for the file's name in the run command of the header.

export interface Pattern {
  readonly name: string;
  readonly summary: string;
  readonly source: string;
}

// What the api and upload starters share, written once (each starter still gets its own copy of it).
const EMAIL_ACCOUNTS = `// One account per virtual user; for real ones, \`csv('accounts.csv')\` next to this file.
const accounts = rows(Array.from({length: 100}, (_, i) => ({email: \`user\${i + 1}@example.com\`, password: \`pass\${i + 1}\`})));`;

const BEARER_LOGIN = `/** Logs in; every later request of this user carries the bearer token. */
async function logIn(ctx: UserContext): Promise<boolean> {
  const {email, password} = ctx.data(accounts);
  const res = await ctx.http.post('/api/auth/login', {
    json: {email, password},
    check: (r) => typeof r.json().access_token === 'string' || 'the login answer has no access_token',
  });
  if (res.failed) return false;
  const {access_token, expires_in} = res.json<{access_token: string; expires_in: number}>();
  ctx.http.bearer(access_token);
  ctx.vars.tokenExpiresAt = Date.now() + expires_in * 1000;
  return true;
}`;

export const PATTERNS: ReadonlyArray<Pattern> = [
  {
    name: 'browse',
    summary: 'anonymous visitors browsing pages (HTML), with think time',
    source: `// Anonymous visitors browsing a web app's public pages: the home page most, then product pages, the
// catalog, search and pricing, with 1–3 s of reading between clicks. Dynamic URLs are grouped under one
// endpoint with \`name\`, so 500 product ids make one row in the table, not 500.
//
// Written by \`brink init --pattern browse\`. The paths are those of brink's demo shop: change them to
// your app's pages (try it first: \`brink demo --serve-only\`, then --host the URL it prints).
//
//   brink run __FILE__ --host http://localhost:8000
import {scenario, user, task, between} from 'brink';

// What people type into the search box.
const SEARCHES = ['wireless mouse', 'mechanical keyboard', 'usb-c hub', 'monitor arm', 'laptop stand', 'webcam'];
// A few products everybody looks at; the rest of the catalog (ids 1..500) gets the long tail.
const BESTSELLERS = [12, 45, 101, 205, 319, 404];

export const visitor = user('visitor', {wait: between(1, 3)}, [
  task(5, 'home', ({http}) => http.get('/')),
  task(4, 'product', ({http, pick, randomInt}) => {
    const id = Math.random() < 0.5 ? pick(BESTSELLERS) : randomInt(1, 500);
    return http.get(\`/products/\${id}\`, {name: 'GET /products/:id'});
  }),
  task(3, 'catalog', async ({http, pick, randomInt}) => {
    // A catalog page, then one of the products it links to, as a reader clicking through would.
    const page = await http.get('/products', {query: {page: randomInt(1, 20)}});
    const ids = [...page.text().matchAll(/href="\\/products\\/(\\d+)"/g)].map((m) => m[1]);
    if (ids.length > 0) await http.get(\`/products/\${pick(ids)}\`, {name: 'GET /products/:id'});
  }),
  task(2, 'search', ({http, pick}) => http.get('/search', {query: {q: pick(SEARCHES)}})),
  task(1, 'pricing', ({http}) => http.get('/pricing')),
]);

export default scenario({name: 'browse', users: [visitor]});
`,
  },
  {
    name: 'form-login',
    summary: "members signing in through an HTML form with a CSRF token, then using members' pages",
    source: `// Members of a server-rendered site (Django, Rails, Laravel…): sign in through the HTML form, which
// carries a CSRF token tied to a cookie, keep the session cookie, then use the members' pages. Each
// virtual user signs in with its own account.
//
// The flow: GET /login, read the hidden \`csrfmiddlewaretoken\` field, POST it back with the credentials
// (the cookie jar sends the cookie); a good login redirects to /dashboard, a bad one shows the form again
// (status 200), so the check looks at where the redirect landed, not at the status.
//
// Written by \`brink init --pattern form-login\`. Paths, field names and accounts are those of brink's demo
// shop (\`brink demo --serve-only\`): change them to your app's.
//
//   brink run __FILE__ --host http://localhost:8000
import {scenario, user, task, between, rows, type UserContext} from 'brink';

// One account per virtual user (they wrap around past the last). For real accounts, keep them in a CSV
// file next to this one: \`csv<{username: string; password: string}>('accounts.csv')\`.
const accounts = rows(Array.from({length: 100}, (_, i) => ({username: \`user\${i + 1}\`, password: \`pass\${i + 1}\`})));

async function signIn({http, data}: UserContext): Promise<void> {
  const {username, password} = data(accounts);
  const page = await http.get('/login');
  const token = page.formField('csrfmiddlewaretoken');
  if (!page.check(token, 'no csrfmiddlewaretoken field on the login page')) return;
  await http.post('/login', {
    form: {username, password, csrfmiddlewaretoken: token!},
    headers: {referer: \`\${http.baseUrl}/login\`},
    check: (res) => new URL(res.url).pathname === '/dashboard' || \`login as \${username} failed: landed on \${new URL(res.url).pathname}\`,
  });
}

/** A members' page must not bounce back to the login form. */
const signedIn = (res: {url: string}) => !new URL(res.url).pathname.startsWith('/login') || 'session lost: redirected to /login';

export const member = user('member', {wait: between(2, 4), onStart: signIn}, [
  task(4, 'dashboard', ({http}) => http.get('/dashboard', {check: signedIn})),
  task(2, 'settings', ({http}) => http.get('/settings', {check: signedIn})),
  task(1, 'update profile', async ({http, userId}) => {
    // Forms after login carry a fresh token too.
    const page = await http.get('/settings', {check: signedIn});
    const token = page.formField('csrfmiddlewaretoken');
    if (!page.check(token, 'no csrfmiddlewaretoken field on /settings')) return;
    await http.post('/profile', {
      form: {display_name: \`Load Tester \${userId}\`, email: \`member\${userId}@example.com\`, timezone: 'UTC', csrfmiddlewaretoken: token!},
      headers: {referer: \`\${http.baseUrl}/settings\`},
      // Post/redirect/get: a saved profile lands on /settings?saved=1.
      check: (res) => new URL(res.url).searchParams.has('saved') || 'profile not saved',
    });
  }),
]);

export default scenario({name: 'form-login', users: [member]});
`,
  },
  {
    name: 'api',
    summary: 'a JSON API: anonymous reads, and logged-in users (bearer token) writing',
    source: `// Clients of a JSON API (the backend of a single-page or mobile app). Two kinds:
//   browser (3 of 4): anonymous, lists and searches the catalog and opens items;
//   shopper (1 of 4): logs in for a bearer token, fills a cart and checks out.
// The write path (POST /api/orders) is usually the one that gives first as users rise: watch it.
//
// Written by \`brink init --pattern api\`. Paths, bodies and accounts are those of brink's demo shop
// (\`brink demo --serve-only\`): change them to your API's.
//
//   brink run __FILE__ --host http://localhost:8000
import {scenario, user, task, between, rows, type HttpMethod, type RequestOptions, type Response, type UserContext} from 'brink';

${EMAIL_ACCOUNTS}
const SEARCHES = ['mouse', 'keyboard', 'hub', 'monitor', 'stand', 'webcam', 'headphones', 'lamp'];
const json = {accept: 'application/json'};

${BEARER_LOGIN}

/**
 * A request that needs the token: logs in again a little before the token runs out, and once after a
 * 401 (the token expired while the request waited in the server's queue), which is then not a failure.
 */
async function authed(ctx: UserContext, method: HttpMethod, path: string, options?: RequestOptions): Promise<Response> {
  if (Date.now() > (ctx.vars.tokenExpiresAt ?? 0) - 5000) await logIn(ctx);
  const first = await ctx.http.request(method, path, options);
  if (first.status !== 401) return first;
  first.success();
  if (!(await logIn(ctx))) return first;
  return ctx.http.request(method, path, options);
}

export const browser = user('browser', {weight: 3, wait: between(1, 3), headers: json}, [
  task(4, 'list', ({http, randomInt}) => http.get('/api/products', {query: {page: randomInt(1, 10), limit: 20}})),
  task(3, 'detail', ({http, randomInt}) => http.get(\`/api/products/\${randomInt(1, 500)}\`, {name: 'GET /api/products/:id'})),
  task(2, 'search', ({http, pick}) => http.get('/api/products', {query: {q: pick(SEARCHES), limit: 10}})),
]);

async function addToCart(ctx: UserContext): Promise<boolean> {
  const res = await authed(ctx, 'POST', '/api/cart/items', {json: {product_id: ctx.randomInt(1, 500), quantity: ctx.randomInt(1, 3)}, expect: 201});
  return !res.failed;
}

export const shopper = user('shopper', {weight: 1, wait: between(1, 3), headers: json, onStart: logIn}, [
  task(3, 'add to cart', addToCart),
  task(1, 'view cart', (ctx) => authed(ctx, 'GET', '/api/cart')),
  task(1, 'checkout', async (ctx) => {
    // The API refuses empty orders: an empty cart gets one item first.
    const cart = await authed(ctx, 'GET', '/api/cart');
    if (cart.status !== 200) return;
    if (cart.json<{items: unknown[]}>().items.length === 0 && !(await addToCart(ctx))) return;
    await authed(ctx, 'POST', '/api/orders', {
      json: {shipping_address: {full_name: \`Shopper \${ctx.userId}\`, line1: '1 Test Street', city: 'Lyon', postal_code: '69001', country: 'FR'}, payment_method: 'card_test_visa'},
      expect: 201,
      check: (res) => Number.isInteger(res.json().id) || 'the order answer has no id',
    });
  }),
]);

export default scenario({name: 'api', users: [browser, shopper]});
`,
  },
  {
    name: 'upload',
    summary: 'multipart file uploads, and an import the client polls until done',
    source: `// Account owners uploading files: a picture (multipart/form-data, the bytes made here), and a CSV import
// that the API accepts at once (202) and processes in the background; the user polls the import until it
// is done, as a web client's progress bar would. Uploads stress request parsing and body limits in a way
// small JSON requests do not.
//
// Written by \`brink init --pattern upload\`. Paths, fields and accounts are those of brink's demo shop
// (\`brink demo --serve-only\`): change them to your app's.
//
//   brink run __FILE__ --host http://localhost:8000
import {scenario, user, task, between, rows, type UserContext} from 'brink';

${EMAIL_ACCOUNTS}

${BEARER_LOGIN}

/** Logs in again a little before the token runs out. */
async function freshToken(ctx: UserContext): Promise<void> {
  if (Date.now() > (ctx.vars.tokenExpiresAt ?? 0) - 5000) await logIn(ctx);
}

/** A PNG signature followed by \`size\` bytes of noise: enough for a server that checks what arrived. */
function fakePng(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) bytes[i] = (i * 2654435761) >>> 24;
  return bytes;
}

function customersCsv(count: number, userId: number): string {
  const lines = ['email,first_name,last_name,plan'];
  for (let i = 0; i < count; i++) lines.push(\`customer\${userId}-\${i}@example.com,Ada\${i},Lovelace,\${['starter', 'business', 'enterprise'][i % 3]}\`);
  return \`\${lines.join('\\n')}\\n\`;
}

export const uploader = user('uploader', {wait: between(2, 5), onStart: logIn}, [
  task(2, 'avatar', async (ctx) => {
    await freshToken(ctx);
    const image = fakePng(ctx.randomInt(2_000, 64_000));
    await ctx.http.post('/upload/avatar', {
      multipart: {avatar: {filename: 'avatar.png', data: image, contentType: 'image/png'}},
      expect: 201,
      check: (res) => res.json().bytes === image.length || \`the server got \${res.json().bytes} bytes, not \${image.length}\`,
    });
  }),
  task(1, 'import customers', async (ctx) => {
    await freshToken(ctx);
    const upload = await ctx.http.post('/api/imports', {
      multipart: {file: {filename: 'customers.csv', data: customersCsv(ctx.randomInt(20, 200), ctx.userId), contentType: 'text/csv'}, import_type: 'customers'},
      expect: 202,
      check: (res) => typeof res.json().id === 'string' || 'the import answer has no id',
    });
    if (upload.failed) return;
    const {id} = upload.json<{id: string}>();
    // Poll every half second, for at most 30 s.
    for (let poll = 1; ; poll++) {
      await ctx.sleep(0.5);
      const status = await ctx.http.get(\`/api/imports/\${id}\`, {name: 'GET /api/imports/:id'});
      if (status.failed || status.json<{status: string}>().status === 'done') return;
      if (poll === 60) return status.fail(\`import \${id} still not done after 30 s\`);
    }
  }),
]);

export default scenario({name: 'upload', users: [uploader]});
`,
  },
  {
    name: 'single',
    summary: 'one endpoint back to back, like wrk or hey',
    source: `// One endpoint, back to back, as with wrk or hey but with brink's live view: every virtual user sends the
// request again as soon as the answer is in (no think time), so users ≈ concurrent connections. Ids are
// drawn at random and grouped under one endpoint name. Ids 1..1200 on a service that knows 0..999 give
// about one 404 in six, which \`expect\` accepts as a right answer, not a failure.
//
// Written by \`brink init --pattern single\`. The path is that of brink's demo shop: change it to yours.
//
//   brink run __FILE__ --host http://localhost:8000
import {scenario, user, task} from 'brink';

export const client = user('client', {}, [
  task(1, 'lookup', ({http, randomInt}) => http.get(\`/user/\${randomInt(1, 1200)}\`, {name: 'GET /user/:id', expect: [200, 404]})),
]);

export default scenario({name: 'single endpoint', users: [client]});
`,
  },
];
